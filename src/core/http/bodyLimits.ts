import { JSONRPC_INVALID_REQUEST, JSONRPC_PARSE_ERROR, jsonRpcErrorBody } from '../httpError';

/** Largest request body the endpoint accepts. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

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
