import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { HttpError, JSONRPC_INVALID_REQUEST, JSONRPC_PARSE_ERROR, jsonRpcErrorBody } from '../httpError';

/** Largest request body the endpoint accepts. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Parses JSON bodies (`application/json`, `+json`) up to {@link MAX_BODY_BYTES}. */
export function jsonBody(): RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
}

/** Why a body over `limit` bytes is refused, naming the limit of the route it was sent to. */
export function tooLargeMessage(limit: number): string {
  const [amount, unit] = limit >= 1024 * 1024 ? [limit / 1024 / 1024, 'MB'] : limit >= 1024 ? [limit / 1024, 'KB'] : [limit, 'bytes'];
  return `Request body is larger than ${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit}`;
}

/** The answers to a body that is not JSON (400, -32700) or is larger than {@link MAX_BODY_BYTES} (413). */
export const BODY_ERRORS = {
  parse: { status: 400, body: jsonRpcErrorBody(JSONRPC_PARSE_ERROR, 'Parse error: the request body is not valid JSON') },
  tooLarge: { status: 413, body: jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, tooLargeMessage(MAX_BODY_BYTES)) },
} as const;

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
