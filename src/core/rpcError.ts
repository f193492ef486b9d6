import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { UNSUPPORTED_PROTOCOL_VERSION } from './protocol';

/** A JSON-RPC error object (JSON-RPC 2.0 §5.1). */
export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** The SDK's `McpError` writes its code before the message; on the wire the code has its own field. */
const MCP_PREFIX = /^MCP error -?\d+: /;

/**
 * A JSON-RPC error message without the `MCP error <code>: ` prefixes the SDK's McpError put in front of
 * it. An SDK server sends that prefixed text as the message, and the SDK client prefixes it again.
 */
export function withoutMcpPrefix(message: string): string {
  let text = message;
  while (MCP_PREFIX.test(text)) text = text.replace(MCP_PREFIX, '');
  return text;
}

/** The JSON-RPC error an error stands for: an McpError's, with its message as it was on the wire. */
export function rpcErrorFromMcp(error: McpError): RpcError {
  return { code: error.code, message: withoutMcpPrefix(error.message), data: error.data };
}

/** The JSON-RPC error a response body carries, if it is one. */
export function rpcErrorOf(body: string): RpcError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: Partial<RpcError> } | null)?.error;
  if (typeof error?.code !== 'number' || typeof error.message !== 'string') return undefined;
  return { code: error.code, message: withoutMcpPrefix(error.message), data: error.data };
}

/** The versions a server that refused ours supports, if the error says (MCP 2026-07-28 Versioning). */
function supportedVersions(error: RpcError): string[] | undefined {
  const supported = (error.data as { supported?: unknown } | null | undefined)?.supported;
  return Array.isArray(supported) && supported.every((v) => typeof v === 'string') ? (supported as string[]) : undefined;
}

/**
 * The versions a server speaks, when `error` is its refusal of the version we asked for: -32022
 * (UnsupportedProtocolVersion, MCP 2026-07-28 Versioning; its list may be missing), or any error that
 * names the versions it supports. Undefined for any other error.
 */
export function refusedVersions(error: RpcError): string[] | undefined {
  return supportedVersions(error) ?? (error.code === UNSUPPORTED_PROTOCOL_VERSION ? [] : undefined);
}

/**
 * One line for a JSON-RPC error: its message and code, and for a refused protocol version the versions the
 * server supports (MCP 2026-07-28 Versioning: `UnsupportedProtocolVersion`, `data.supported`).
 */
export function describeRpcError(error: RpcError): string {
  const supported = supportedVersions(error);
  const requested = (error.data as { requested?: unknown } | null | undefined)?.requested;
  const asked = typeof requested === 'string' ? `, asked for ${requested}` : '';
  const versions = supported ? `; the server supports protocol version ${supported.join(', ')}${asked}` : '';
  return `${withoutMcpPrefix(error.message)} (JSON-RPC error ${error.code}${versions})`;
}

/**
 * An error the agent answers a client's request with. Its message goes on the wire as it is: unlike the
 * SDK's McpError it does not carry `MCP error <code>: ` in front, which the client's SDK adds itself.
 */
export class ProxyError extends Error implements RpcError {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'ProxyError';
  }
}
