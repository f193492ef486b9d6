import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { JSONRPC_INVALID_REQUEST, JSONRPC_PARSE_ERROR, jsonRpcErrorBody } from '../httpError';

/** Largest request body the endpoint accepts. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Parses JSON bodies (`application/json`, `+json`) up to {@link MAX_BODY_BYTES}. */
export function jsonBody(): RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
}

/** The answers to a body that is not JSON (400, -32700) or is too large (413). */
export const BODY_ERRORS = {
  parse: { status: 400, body: jsonRpcErrorBody(JSONRPC_PARSE_ERROR, 'Parse error: the request body is not valid JSON') },
  tooLarge: { status: 413, body: jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, `Request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`) },
} as const;

/** Turns body-parser failures into JSON-RPC errors: 400 / -32700 for bad JSON, 413 for too large. */
export function jsonBodyErrors(): ErrorRequestHandler {
  return (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.parse.failed') {
      res.status(BODY_ERRORS.parse.status).json(BODY_ERRORS.parse.body);
    } else if (error.type === 'entity.too.large') {
      res.status(BODY_ERRORS.tooLarge.status).json(BODY_ERRORS.tooLarge.body);
    } else if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      res.status(415).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, 'Unsupported body encoding'));
    } else {
      next(error);
    }
  };
}
