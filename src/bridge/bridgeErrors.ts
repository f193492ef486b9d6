import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../core/logger';
import { rpcErrorOf } from '../core/rpcError';
import { AgentHttpError, AgentUnreachableError } from './agentLink';

/** JSON-RPC "server error" code for what the bridge itself answers (the SDK's ConnectionClosed is the same). */
export const BRIDGE_ERROR = -32000;

/**
 * The JSON-RPC error the client gets for a request the bridge could not get answered: the agent's own
 * JSON-RPC error when it refused the POST with one (a 403 for a selector outside the grant, say).
 */
export function errorAnswer(id: RequestId, error: unknown): JSONRPCMessage {
  const rpcError = error instanceof AgentHttpError ? rpcErrorOf(error.body) : undefined;
  if (error instanceof AgentHttpError) {
    return { jsonrpc: '2.0', id, error: { code: rpcError?.code ?? BRIDGE_ERROR, message: `1MCP agent (HTTP ${error.status}): ${rpcError?.message ?? error.message}` } };
  }
  const hint = error instanceof AgentUnreachableError ? '; start it (VS Code with the 1MCP extension, or "onemcp serve")' : '';
  return { jsonrpc: '2.0', id, error: { code: BRIDGE_ERROR, message: `${errorMessage(error)}${hint}` } };
}
