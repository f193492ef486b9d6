import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP 2026-07-28, the stateless revision: no `initialize` handshake and no session; every request
 * carries its protocol version, client capabilities and identity in `_meta` (MCP 2026-07-28 Base
 * Protocol §`_meta`, Versioning).
 */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** The revisions the agent serves statelessly. */
export const MODERN_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];

/** Every revision the agent speaks: the stateless one first, then the handshake era's. */
export const SUPPORTED_VERSIONS: readonly string[] = [...MODERN_VERSIONS, ...SUPPORTED_PROTOCOL_VERSIONS];

/** Reserved `_meta` keys (MCP 2026-07-28 Base Protocol, "Reserved keys"). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/**
 * The extensions (MCP 2025-11-25 Capabilities, `extensions`) the agent tells backends it carries to its
 * clients, as a host would declare them: MCP Apps (`io.modelcontextprotocol/ui`), whose tools, `ui://`
 * resources and `_meta` pass through unchanged. A client without UI support gets the tool's text content.
 */
export const CARRIED_EXTENSIONS: Record<string, { mimeTypes: string[] }> = { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } };

/** Error codes the specification reserves (MCP 2026-07-28 Base Protocol, "Error Codes"). */
export const HEADER_MISMATCH = -32020;
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/** Whether a revision is of the stateless era (2026-07-28 and later; revisions are dates). */
export function isModernVersion(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_PROTOCOL_VERSION;
}

/**
 * The protocol version a message claims in `params._meta`, if it carries the per-request envelope:
 * the body decides a request's era (MCP 2026-07-28 Versioning, "A dual-era server selects its
 * behavior from how the client opens").
 */
export function envelopeClaim(message: unknown): unknown {
  if (typeof message !== 'object' || message === null) return undefined;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const meta = (params as { _meta?: unknown })._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  return (meta as Record<string, unknown>)[META.protocolVersion];
}

/** The JSON-RPC error of an UnsupportedProtocolVersionError: the versions this side speaks, and the one asked for. */
export function unsupportedVersionError(requested: unknown): { code: number; message: string; data: { supported: readonly string[]; requested: unknown } } {
  return {
    code: UNSUPPORTED_PROTOCOL_VERSION,
    message: `Unsupported protocol version: ${String(requested)} (this server speaks ${SUPPORTED_VERSIONS.join(', ')})`,
    data: { supported: SUPPORTED_VERSIONS, requested },
  };
}
