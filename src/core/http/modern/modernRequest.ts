import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode, LoggingLevelSchema, type ClientCapabilities, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { decodeSentinel } from './paramHeaders';
import { HEADER_MISMATCH, META, MODERN_VERSIONS, envelopeClaim, unsupportedVersionError } from '../../protocol';

/** The methods a 2026-07-28 client may call on the agent (MCP 2026-07-28 schema, `ClientRequest`). */
const MODERN_METHODS = [
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'subscriptions/listen',
] as const;
export type ModernMethod = (typeof MODERN_METHODS)[number];

/** Methods whose target is mirrored in the `Mcp-Name` header, and where it comes from. */
const NAME_SOURCE: Partial<Record<ModernMethod, 'name' | 'uri'>> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** A stateless request that passed the checks, with what its envelope says. */
export interface ModernRequest {
  readonly kind: 'request';
  readonly id: RequestId;
  readonly method: ModernMethod;
  readonly params: Record<string, unknown>;
  readonly capabilities: ClientCapabilities;
  readonly progressToken?: string | number;
}

/** A refused request: the HTTP status and the JSON-RPC error to answer with. */
export interface ModernRejection {
  readonly kind: 'reject';
  readonly status: number;
  readonly id: RequestId | null;
  readonly error: { code: number; message: string; data?: unknown };
}

/**
 * Checks a POST the body classified as 2026-07-28 traffic, in the order the specification gives:
 * JSON-RPC shape, a supported version (-32022 with the supported list), the envelope's required
 * fields (-32602), the standard headers mirroring the body (-32020 on absence or mismatch, MCP
 * 2026-07-28 Streamable HTTP "Server Validation"), then the method (-32601, HTTP 404). A notification
 * is accepted as it is (the revision defines none a client sends over HTTP).
 */
export function parseModernRequest(body: unknown, headers: IncomingHttpHeaders): ModernRequest | { kind: 'notification' } | ModernRejection {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || (body as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
    return reject(400, null, ErrorCode.InvalidRequest, 'Invalid Request: a 2026-07-28 POST carries exactly one JSON-RPC message (no batches)');
  }
  const message = body as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof message.method !== 'string') return reject(400, null, ErrorCode.InvalidRequest, 'Invalid Request: clients send requests and notifications only');
  if (message.id === undefined) return { kind: 'notification' };
  if (typeof message.id !== 'string' && typeof message.id !== 'number') return reject(400, null, ErrorCode.InvalidRequest, 'Invalid Request: the id must be a string or a number');
  const id = message.id;
  const version = envelopeClaim(message);
  const header = single(headers['mcp-protocol-version']);
  if (version === undefined) return reject(400, id, ErrorCode.InvalidParams, `Invalid params: _meta["${META.protocolVersion}"] is required`);
  if (typeof version !== 'string' || !MODERN_VERSIONS.includes(version)) return { kind: 'reject', status: 400, id, error: unsupportedVersionError(version) };
  if (header === undefined) return reject(400, id, HEADER_MISMATCH, 'Header mismatch: the MCP-Protocol-Version header is required');
  if (header !== version) return reject(400, id, HEADER_MISMATCH, `Header mismatch: MCP-Protocol-Version header ${header} does not match _meta version ${version}`);
  const methodHeader = single(headers['mcp-method']);
  if (methodHeader === undefined) return reject(400, id, HEADER_MISMATCH, 'Header mismatch: the Mcp-Method header is required');
  if (methodHeader !== message.method) return reject(400, id, HEADER_MISMATCH, `Header mismatch: Mcp-Method header ${methodHeader} does not match body method ${message.method}`);
  const params = message.params as Record<string, unknown>;
  const meta = params._meta as Record<string, unknown>;
  const capabilities = meta[META.clientCapabilities];
  if (typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities)) {
    return reject(400, id, ErrorCode.InvalidParams, `Invalid params: _meta["${META.clientCapabilities}"] is required (an object)`);
  }
  const logLevel = meta[META.logLevel];
  if (logLevel !== undefined && !LoggingLevelSchema.safeParse(logLevel).success) {
    return reject(400, id, ErrorCode.InvalidParams, `Invalid params: _meta["${META.logLevel}"] is not a log level`);
  }
  if (!(MODERN_METHODS as readonly string[]).includes(message.method)) return reject(404, id, ErrorCode.MethodNotFound, `Method not found: ${message.method}`);
  const method = message.method as ModernMethod;
  const source = NAME_SOURCE[method];
  if (source) {
    const mismatch = nameHeaderMismatch(single(headers['mcp-name']), params[source]);
    if (mismatch) return reject(400, id, HEADER_MISMATCH, `Header mismatch: ${mismatch}`);
  }
  const progressToken = meta.progressToken;
  return {
    kind: 'request',
    id,
    method,
    params,
    capabilities: capabilities as ClientCapabilities,
    ...((typeof progressToken === 'string' || typeof progressToken === 'number') && { progressToken }),
  };
}

/** Why `Mcp-Name` does not mirror the body, or undefined when it does (a Base64 sentinel is decoded first). */
function nameHeaderMismatch(header: string | undefined, body: unknown): string | undefined {
  if (header === undefined) return 'the Mcp-Name header is required for this method';
  const value = decodeSentinel(header);
  return value === body ? undefined : `Mcp-Name header ${JSON.stringify(value)} does not match the body's ${JSON.stringify(body)}`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function reject(status: number, id: RequestId | null, code: number, message: string): ModernRejection {
  return { kind: 'reject', status, id, error: { code, message } };
}
