import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { ENVELOPE_BYTES, envelopeOf } from './jsonEnvelope';

/**
 * The largest message the agent takes from a backend, on every transport: a stdio line, a JSON body, an
 * event's data. 64 MB holds a 45 MB file as base64; past it a backend is more likely broken than
 * helpful, and the agent would hold the message in memory several times over.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A message over {@link MAX_MESSAGE_BYTES}: not kept; only its first and last bytes, for its envelope. */
export interface Oversized {
  readonly oversized: true;
  readonly head: Buffer;
  readonly tail: Buffer;
  /** Its whole length, when known. */
  readonly bytes?: number;
}

export function isOversized(value: unknown): value is Oversized {
  return typeof value === 'object' && value !== null && 'oversized' in value;
}

/** The first bytes of `parts` joined, as many as an envelope needs; the parts themselves can be let go. */
export function firstBytes(parts: readonly Buffer[]): Buffer {
  if (parts[0]?.length === ENVELOPE_BYTES) return parts[0];
  const kept: Buffer[] = [];
  let length = 0;
  for (const part of parts) {
    if (length >= ENVELOPE_BYTES) break;
    const piece = part.subarray(0, ENVELOPE_BYTES - length);
    kept.push(piece);
    length += piece.length;
  }
  return Buffer.concat(kept, length);
}

/** The last bytes of `parts` joined, as many as an envelope needs, as a copy. */
export function lastBytes(parts: readonly Buffer[]): Buffer {
  const kept: Buffer[] = [];
  let length = 0;
  for (let i = parts.length - 1; i >= 0 && length < ENVELOPE_BYTES; i--) {
    const part = parts[i] as Buffer;
    const piece = part.subarray(Math.max(0, part.length - (ENVELOPE_BYTES - length)));
    kept.unshift(piece);
    length += piece.length;
  }
  return Buffer.concat(kept, length);
}

/**
 * Takes a message over the limit so that it ends one request and nothing else: a response fails the
 * request it answers (delivered as an error response from the backend); a request from the backend is
 * refused (an error response sent to it); a notification, or a message whose id is out of sight, is only
 * reported. `answering`: the request the message can only be the answer to (an HTTP response to a POST).
 */
export function refuseOversized(transport: Transport, message: Oversized, answering?: RequestId): void {
  const envelope = envelopeOf(message.head, message.tail);
  if (envelope.isRequest) {
    const error = new Error(`backend sent a request of ${tooLarge(message.bytes)}; refused it`);
    transport.onerror?.(error);
    if (envelope.id !== undefined) void transport.send(errorResponse(envelope.id, error.message)).catch(() => undefined);
    return;
  }
  const error = new Error(`the backend's answer is ${tooLarge(message.bytes)}`);
  transport.onerror?.(error);
  const id = envelope.id ?? answering;
  if (id !== undefined) transport.onmessage?.(errorResponse(id, error.message));
}

function errorResponse(id: RequestId, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message } };
}

function tooLarge(bytes: number | undefined): string {
  return `${bytes === undefined ? '' : `${megabytes(bytes)}, `}larger than the ${megabytes(MAX_MESSAGE_BYTES)} the agent takes in one message`;
}

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
