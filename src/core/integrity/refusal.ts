import { ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ProxyError } from '../rpcError';

/**
 * Why the agent itself did not run a tool, as a `_meta` key of the result (or `data` key of the error)
 * the client gets, so that whoever records calls can tell a refusal by policy from a tool's own error.
 * (MCP 2025-11-25 Base Protocol, "_meta": a prefix of dot-separated labels, then a slash.)
 */
export const REFUSAL_META = 'onemcp/refusal';

/**
 * `held`: the tool changed or is new and the user has not accepted it; `declined`: the user said no to
 * running it; `unanswerable`: it needs the user's yes and nobody could be asked; `unanswered`: nobody
 * answered in time (or the client gave up waiting).
 */
export type ToolRefusal = 'held' | 'declined' | 'unanswerable' | 'unanswered';

/** The result a client gets for a call the agent did not run: an error result saying why (MCP 2025-11-25 Tools, "Error Handling"). */
export function refusalResult(reason: ToolRefusal, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, _meta: { [REFUSAL_META]: reason } };
}

/**
 * The same refusal as a JSON-RPC error, for a call that must not answer with a plain result (a client
 * that asked for a task expects a CreateTaskResult; MCP 2025-11-25 Tasks). Its `data` says why.
 */
export function refusalError(refused: CallToolResult): ProxyError {
  const text = refused.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return new ProxyError(ErrorCode.InvalidRequest, text, { [REFUSAL_META]: refused._meta?.[REFUSAL_META] });
}
