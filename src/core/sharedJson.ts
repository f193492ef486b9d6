import * as z from 'zod';
import { ResultSchema, type JSONRPCMessage, type Result } from '@modelcontextprotocol/sdk/types.js';

/**
 * Results whose JSON is known and which never change once built: catalog lists, and large backend
 * results that keep the bytes they came in. Their encoded JSON once computed or adopted.
 */
const encoded = new WeakMap<object, Buffer | undefined>();

/**
 * Marks `result` as immutable and shared: however many sessions are sent it, it is serialized and
 * encoded once. A list of thousands of tools costs milliseconds to stringify, on every `tools/list` otherwise.
 */
export function sharedResult<T extends object>(result: T): T {
  if (!encoded.has(result)) encoded.set(result, undefined);
  return result;
}

/**
 * Gives `value` the JSON it was parsed from, to be written as it is wherever `value` is sent. The caller
 * vouches that `bytes` parse to `value`, hold no raw line break, and that nothing changes `value` after.
 */
export function adoptEncoding<T extends object>(value: T, bytes: Buffer): T {
  encoded.set(value, bytes);
  return value;
}

/** The size in bytes of each backend answer as it arrived, by its result: the activity record reports it. */
const receivedBytes = new WeakMap<object, number>();

/** Notes that `result` came in a message of `bytes` bytes (decodeMessage knows it at no cost). */
export function noteReceivedSize(result: object, bytes: number): void {
  receivedBytes.set(result, bytes);
}

/** The size of `result` as it arrived: its own bytes when kept, else its message's; undefined when not known. */
export function receivedSize(result: object): number | undefined {
  return encoded.get(result)?.length ?? receivedBytes.get(result);
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
 * A JSON-RPC message as parts to write in order: the bytes of a shared or adopted result are reused;
 * anything else is one string (which Node sends in the same write as the response headers).
 */
export function encodeMessage(message: JSONRPCMessage): (string | Buffer)[] {
  if ('result' in message && 'id' in message && encoded.has(message.result)) {
    return [`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`, encodedJson(message.result), '}'];
  }
  return [JSON.stringify(message)];
}

/**
 * The SDK's `ResultSchema` check without its copy: the result a backend sent reaches the client session
 * as the same object, so an adopted encoding goes with it.
 */
export const PassThroughResultSchema = z.custom<Result>((value) => ResultSchema.safeParse(value).success);
