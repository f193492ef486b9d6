import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Results that never change once built (catalog lists), with their encoded JSON once computed. */
const encoded = new WeakMap<object, Buffer | undefined>();

/**
 * Marks `result` as immutable and shared: however many sessions are sent it, it is serialized and
 * encoded once. A list of thousands of tools costs milliseconds to stringify, on every `tools/list` otherwise.
 */
export function sharedResult<T extends object>(result: T): T {
  if (!encoded.has(result)) encoded.set(result, undefined);
  return result;
}

/** The UTF-8 JSON of a value; computed once for a shared result. */
export function encodedJson(value: object): Buffer {
  if (!encoded.has(value)) return Buffer.from(JSON.stringify(value));
  let bytes = encoded.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(value));
    encoded.set(value, bytes);
  }
  return bytes;
}

/**
 * A JSON-RPC message as parts to write in order: the bytes of a shared result are reused; anything
 * else is one string (which Node sends in the same write as the response headers).
 */
export function encodeMessage(message: JSONRPCMessage): (string | Buffer)[] {
  if ('result' in message && 'id' in message && encoded.has(message.result)) {
    return [`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`, encodedJson(message.result), '}'];
  }
  return [JSON.stringify(message)];
}
