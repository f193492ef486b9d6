import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { HttpError, JSONRPC_INVALID_REQUEST, jsonRpcErrorBody } from './httpError';

const JSON_RPC_PATHS = ['/mcp', '/messages'];

/**
 * Last in the chain: an HttpError becomes its status and message; anything else is a 500 with a generic
 * message, and its details go only to the log. MCP paths answer in JSON-RPC shape, others in OAuth shape.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = error instanceof HttpError ? error : undefined;
    const status = known?.status ?? 500;
    const message = known && status < 500 ? known.message : 'Internal server error';
    if (!known || status >= 500) logger.error(`${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(known?.headers ?? {})) res.setHeader(name, value);
    if (JSON_RPC_PATHS.includes(req.path)) res.status(status).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, message));
    else res.status(status).json({ error: known?.code ?? 'server_error', error_description: message });
  };
}
