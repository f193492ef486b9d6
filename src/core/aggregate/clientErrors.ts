import { UnauthorizedError } from '../backends/oauth/sdkAuth';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { BackendConnection } from '../backends/backendConnection';
import { errorMessage } from '../logger';
import { ProxyError, rpcErrorFromMcp } from '../rpcError';

/**
 * The error a client gets when its request to a backend failed. The backend's own JSON-RPC errors pass
 * through with their code, message (without the SDK's `MCP error <code>: ` prefixes, which the client's SDK
 * adds once) and data; a failure of the connection itself is named for the backend. Nothing secret in
 * either: the config's secret values are cut out of every message, and what looks like a secret out of
 * the connection's failures.
 */
export function clientErrorFor(backend: BackendConnection, error: unknown): ProxyError {
  const told = describedFor(backend, error);
  const message = backend.secretValues.cutKnown(told.message);
  return message === told.message ? told : new ProxyError(told.code, message, told.data);
}

function describedFor(backend: BackendConnection, error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const name = `Backend "${backend.name}"`;
  if (error instanceof McpError) {
    const timeout = (error.data as { timeout?: unknown } | undefined)?.timeout;
    if (error.code === ErrorCode.RequestTimeout && typeof timeout === 'number') {
      return new ProxyError(ErrorCode.RequestTimeout, `${name} timed out: no answer within ${timeout} ms (its requestTimeout)`, error.data);
    }
    if (error.code === ErrorCode.ConnectionClosed) {
      return new ProxyError(ErrorCode.ConnectionClosed, `${name} closed the connection before answering`);
    }
    const { code, message, data } = rpcErrorFromMcp(error);
    return new ProxyError(code, message, data);
  }
  if (error instanceof UnauthorizedError) return new ProxyError(ErrorCode.InternalError, `${name} needs a new sign-in: use Authorize in the agent`);
  return new ProxyError(ErrorCode.InternalError, `${name} failed: ${backend.secretValues.redact(errorMessage(error))}`);
}
