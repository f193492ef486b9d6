import { rpcErrorOfFailure } from './backendFailure';
import { refusedVersions } from '../rpcError';
import { MODERN_PROTOCOL_VERSION } from '../protocol';

/**
 * The versions a server named when it refused the handshake era's `initialize` with
 * UnsupportedProtocolVersionError (-32022, MCP 2026-07-28 Versioning: a modern-only server "SHOULD name
 * the protocol versions it supports in any error it returns to an initialize request"), on stdio as a
 * JSON-RPC error, over HTTP as the body of a 400. Undefined for any other failure.
 */
export function versionsOfRefusal(error: unknown): string[] | undefined {
  const rpc = rpcErrorOfFailure(error);
  return rpc && refusedVersions(rpc);
}

/** Whether a refusal's list offers the revision the agent speaks statelessly. */
export function offersModern(versions: readonly string[]): boolean {
  return versions.includes(MODERN_PROTOCOL_VERSION);
}

/** A status line for a backend that wants a revision the agent cannot speak to it as configured. */
export function describeRefusal(versions: readonly string[], pinnedLegacy: boolean): string {
  const named = versions.length > 0 ? versions.join(', ') : 'an unnamed revision';
  if (pinnedLegacy && offersModern(versions)) {
    return `the server speaks only MCP ${named} and refused the 2025 handshake (-32022); remove "protocol": "legacy" from its entry (or set "modern")`;
  }
  return `the server speaks MCP ${named}, which the agent does not speak (it speaks ${MODERN_PROTOCOL_VERSION} and the 2025 handshake)`;
}
