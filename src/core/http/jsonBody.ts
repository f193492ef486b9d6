import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { HttpError, JSONRPC_INVALID_REQUEST, jsonRpcErrorBody } from '../httpError';
import { BODY_ERRORS, MAX_BODY_BYTES, tooLargeMessage } from './bodyLimits';

/** Parses JSON bodies (`application/json`, `+json`) up to {@link MAX_BODY_BYTES}. */
export function jsonBody(): RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
}

/**
 * Turns body-parser failures into JSON-RPC errors: 400 / -32700 for bad JSON; 413 for too large, with
 * the limit of the parser that refused it (the control channel takes less than MCP), in the shape of
 * the path (the error handler's).
 */
export function jsonBodyErrors(): ErrorRequestHandler {
  return (error: { type?: string; limit?: unknown }, _req, res, next) => {
    if (error.type === 'entity.parse.failed') {
      res.status(BODY_ERRORS.parse.status).json(BODY_ERRORS.parse.body);
    } else if (error.type === 'entity.too.large') {
      next(new HttpError(413, 'invalid_request', tooLargeMessage(typeof error.limit === 'number' ? error.limit : MAX_BODY_BYTES)));
    } else if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      res.status(415).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, 'Unsupported body encoding'));
    } else {
      next(error);
    }
  };
}
