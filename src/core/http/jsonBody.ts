import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { JSONRPC_INVALID_REQUEST, JSONRPC_PARSE_ERROR, jsonRpcErrorBody } from './httpError';

/** Largest request body the endpoint accepts. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Parses JSON bodies (`application/json`, `+json`) up to {@link MAX_BODY_BYTES}. */
export function jsonBody(): RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
}

/** Turns body-parser failures into JSON-RPC errors: 400 / -32700 for bad JSON, 413 for too large. */
export function jsonBodyErrors(): ErrorRequestHandler {
  return (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.parse.failed') {
      res.status(400).json(jsonRpcErrorBody(JSONRPC_PARSE_ERROR, 'Parse error: the request body is not valid JSON'));
    } else if (error.type === 'entity.too.large') {
      res.status(413).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, `Request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`));
    } else if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      res.status(415).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, 'Unsupported body encoding'));
    } else {
      next(error);
    }
  };
}
