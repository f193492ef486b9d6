import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { adoptEncoding } from '../sharedJson';
import { resultSpan } from './jsonEnvelope';

/** From this size a result keeps the bytes it came in; below it, serializing it again costs less than finding them. */
const KEEP_BYTES_FROM = 64 * 1024;

/**
 * Parses a backend's message from its UTF-8 JSON (a SyntaxError for anything else). A large result
 * keeps its bytes, and is forwarded as they are instead of being serialized and encoded again: for a
 * 20 MB result that is some 70 ms less of the event loop. The parse has just shown that they are JSON.
 */
export function decodeMessage(bytes: Buffer): JSONRPCMessage | JSONRPCMessage[] {
  const message: unknown = JSON.parse(bytes.toString('utf8'));
  if (bytes.length >= KEEP_BYTES_FROM && isResultResponse(message)) {
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
