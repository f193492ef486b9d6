import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { adoptEncoding, noteReceivedSize } from '../sharedJson';
import { resultSpan } from './jsonEnvelope';
import { isOversized, refuseOversized, type Oversized } from './messageLimit';
import type { RelatedMessageInfo } from './routingTransport';

/** From this size a result keeps the bytes it came in; below it, serializing it again costs less than finding them. */
const KEEP_BYTES_FROM = 64 * 1024;

/**
 * Parses a backend's message from its UTF-8 JSON (a SyntaxError for anything else). A large result
 * keeps its bytes, and is forwarded as they are instead of being serialized and encoded again: for a
 * 20 MB result that is some 70 ms less of the event loop. The parse has just shown that they are JSON.
 * Every result notes the size it came in, which the activity record reports.
 */
export function decodeMessage(bytes: Buffer): JSONRPCMessage | JSONRPCMessage[] {
  const message: unknown = JSON.parse(bytes.toString('utf8'));
  if (!isResultResponse(message)) return message as JSONRPCMessage | JSONRPCMessage[];
  noteReceivedSize(message.result, bytes.length);
  if (bytes.length >= KEEP_BYTES_FROM) {
    const span = resultSpan(bytes, Object.keys(message));
    const result = span && bytes.subarray(span.start, span.end);
    // A line break between tokens would split an event-stream line on the way out.
    if (result && result.indexOf(0x0a) === -1 && result.indexOf(0x0d) === -1) adoptEncoding(message.result, result);
  }
  return message as JSONRPCMessage | JSONRPCMessage[];
}

function isResultResponse(value: unknown): value is { result: object } {
  if (typeof value !== 'object' || value === null || !('result' in value)) return false;
  const result = value.result;
  return typeof result === 'object' && result !== null && !Array.isArray(result);
}

/** What a client transport receives from a backend: one message's bytes, a message already parsed, or one over the limit. */
export type Received = Buffer | JSONRPCMessage | Oversized;

/**
 * Hands what was received to the transport's `onmessage`, at once: bytes once parsed (blank ones are
 * skipped, as servers may print them between messages), a message over the limit as the error it ends
 * its request with. `related`: the request on whose answer it came (an HTTP POST's event stream or JSON
 * body), which a message over the limit can only be the answer to.
 */
export function deliverReceived(transport: Transport, item: Received, related?: RequestId): void {
  if (isOversized(item)) {
    refuseOversized(transport, item, related);
    return;
  }
  const extra: RelatedMessageInfo | undefined = related === undefined ? undefined : { relatedRequestId: related };
  if (!Buffer.isBuffer(item)) {
    transport.onmessage?.(item, extra);
    return;
  }
  if (isBlank(item)) return;
  let message: JSONRPCMessage;
  try {
    message = decodeMessage(item) as JSONRPCMessage;
  } catch (error) {
    // A server that prints a banner where messages go breaks the protocol; report it but keep reading.
    transport.onerror?.(new Error(`backend sent something that is not JSON: ${item.toString('utf8', 0, 200)}`, { cause: error }));
    return;
  }
  transport.onmessage?.(message, extra);
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}
