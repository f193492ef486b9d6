import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { errorMessage, type Logger } from '../logger';
import { HttpError, JSONRPC_INVALID_REQUEST, jsonRpcErrorBody } from '../httpError';

const JSON_RPC_PATHS = ['/mcp', '/messages'];

/**
 * Last in the chain: an HttpError becomes its status and message; anything else is a 500 with a generic
 * message, and its details go only to the log (one line; the stack at debug level). MCP paths answer in JSON-RPC shape, others in OAuth shape.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => sendError(error, req.method, req.path, res, logger);
}

/** Answers `error` as {@link errorHandler} does, on a plain response (the `/mcp` fast path uses it too). */
export function sendError(error: unknown, method: string | undefined, path: string, res: ServerResponse, logger: Logger): void {
  const known = error instanceof HttpError ? error : undefined;
  const status = known?.status ?? 500;
  const message = known && status < 500 ? known.message : 'Internal server error';
  if (!known || status >= 500) {
    // One line per failed request: a caller repeating it must not fill the log with stacks (debug has them).
    logger.error(`${method ?? ''} ${path} failed: ${errorMessage(error).replace(/\s*\n\s*/g, ' ')}`);
    if (error instanceof Error && error.stack) logger.debug(error.stack);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(JSON_RPC_PATHS.includes(path) ? jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, message) : { error: known?.code ?? 'server_error', error_description: message });
  res.writeHead(status, { ...known?.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
