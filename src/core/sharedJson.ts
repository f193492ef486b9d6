import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Results that never change once built (catalog lists), with their JSON once computed. */
const serialized = new WeakMap<object, string | undefined>();

/**
 * Marks `result` as immutable and shared: however many sessions are sent it, it is serialized once.
 * A list of thousands of tools costs milliseconds to stringify, on every `tools/list` otherwise.
 */
export function sharedResult<T extends object>(result: T): T {
  if (!serialized.has(result)) serialized.set(result, undefined);
  return result;
}

/** The JSON of a shared result (computed on first use), or of any other value. */
export function jsonOf(value: object): string {
  if (!serialized.has(value)) return JSON.stringify(value);
  let json = serialized.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    serialized.set(value, json);
  }
  return json;
}

/** Serializes a JSON-RPC message, reusing the JSON of a shared result. */
export function stringifyMessage(message: JSONRPCMessage): string {
  if ('result' in message && 'id' in message && serialized.has(message.result)) {
    return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${jsonOf(message.result)}}`;
  }
  return JSON.stringify(message);
}
