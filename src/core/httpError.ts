/**
 * An error that knows its HTTP status. Its message is shown to the caller only below 500; anything
 * else reaches the caller as a generic message and the log with its cause.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

/** JSON-RPC error codes used at the HTTP boundary (JSON-RPC 2.0 §5.1). */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
/** MCP streamable HTTP uses this for a missing or unknown session. */
export const JSONRPC_SESSION_ERROR = -32001;

export function jsonRpcErrorBody(code: number, message: string): object {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
