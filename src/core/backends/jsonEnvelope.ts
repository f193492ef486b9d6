import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * The envelope of a JSON-RPC message (JSON-RPC 2.0 §4 and §5: `jsonrpc`, `id`, `method`, `params`,
 * `result`, `error`) read from its first and last bytes only, without looking at what lies between: the
 * small members come before or after the one large value, in whatever order the sender wrote them
 * (the TypeScript SDK writes `{"result":…,"jsonrpc":"2.0","id":1}`, most others `{"jsonrpc":"2.0","id":1,"result":…}`).
 *
 * Bytes are read as latin1, one character per byte, so positions in the text are positions in the bytes;
 * only ASCII matters to the patterns, and a string value is decoded as UTF-8 when it is used.
 */

/** How many bytes at each end are read: a few scalar members with a long string id fit easily. */
export const ENVELOPE_BYTES = 512;

const KEY = String.raw`"([A-Za-z_]+)"`;
/** A JSON string, number or literal (RFC 8259 §3, §6, §7); a string holds no unescaped quote or control character. */
const SCALAR = String.raw`"(?:[^"\\\u0000-\u001f]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null`;
const OPEN = /\s*\{/y;
const MEMBER = new RegExp(String.raw`\s*${KEY}\s*:\s*`, 'y');
const SCALAR_VALUE = new RegExp(SCALAR, 'y');
const SEPARATOR = /\s*,/y;
const CLOSE = /\}\s*$/;
const LAST_MEMBER = new RegExp(String.raw`,\s*${KEY}\s*:\s*(${SCALAR})\s*$`);

/** A member with a scalar value: its key and the value's JSON text. */
type Member = readonly [key: string, json: string];

interface Head {
  readonly members: Member[];
  /** The first member whose value is an object or array: its key, and where the value starts. */
  readonly open?: { readonly key: string; readonly start: number };
}

/** The scalar members at the start of a JSON object, up to the first object or array value. */
function readHead(text: string): Head | undefined {
  let at = 0;
  const step = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match) at = pattern.lastIndex;
    return match;
  };
  if (!step(OPEN)) return undefined;
  const members: Member[] = [];
  for (;;) {
    const key = step(MEMBER)?.[1];
    if (key === undefined) return { members };
    const scalar = step(SCALAR_VALUE);
    if (!scalar) return { members, ...((text[at] === '{' || text[at] === '[') && { open: { key, start: at } }) };
    members.push([key, scalar[0]]);
    if (!step(SEPARATOR)) return { members };
  }
}

/** The scalar members at the end of a JSON object, and where the value before them ends. */
function readTail(text: string): { members: Member[]; end: number } | undefined {
  const close = CLOSE.exec(text);
  if (!close) return undefined;
  let rest = text.slice(0, close.index);
  const members: Member[] = [];
  for (let match = LAST_MEMBER.exec(rest); match; match = LAST_MEMBER.exec(rest)) {
    members.unshift([match[1] ?? '', match[2] ?? '']);
    rest = rest.slice(0, match.index);
  }
  return { members, end: rest.trimEnd().length };
}

/**
 * Where the `result` object lies in the bytes of a message already parsed successfully, whose top-level
 * keys are `keys`; undefined unless every other member is a scalar before or after it, so that the span
 * holds exactly the result's JSON.
 */
export function resultSpan(bytes: Buffer, keys: readonly string[]): { start: number; end: number } | undefined {
  const head = readHead(bytes.toString('latin1', 0, Math.min(bytes.length, ENVELOPE_BYTES)));
  const open = head?.open;
  if (!head || open?.key !== 'result') return undefined;
  const tailStart = Math.max(open.start, bytes.length - ENVELOPE_BYTES);
  const tail = readTail(bytes.toString('latin1', tailStart));
  if (!tail) return undefined;
  const found = [...head.members.map(([key]) => key), 'result', ...tail.members.map(([key]) => key)];
  if (found.length !== keys.length || new Set(found).size !== found.length || !found.every((key) => keys.includes(key))) return undefined;
  const end = tailStart + tail.end;
  return bytes[open.start] === 0x7b && bytes[end - 1] === 0x7d ? { start: open.start, end } : undefined;
}

/** What the ends of a message too large to read say about it. */
export interface Envelope {
  /** The message's `id`, when one end shows it. */
  readonly id?: RequestId;
  /** It is a request or notification (it has a `method` or `params`), not a response. */
  readonly isRequest: boolean;
}

/** Reads the envelope of a message from its first and last bytes (each at most {@link ENVELOPE_BYTES}). */
export function envelopeOf(head: Buffer, tail: Buffer): Envelope {
  const start = readHead(head.toString('latin1'));
  const end = readTail(tail.toString('latin1'));
  const members = new Map([...(start?.members ?? []), ...(end?.members ?? [])]);
  const isRequest = members.has('method') || start?.open?.key === 'params';
  return { id: requestId(members.get('id')), isRequest };
}

function requestId(json: string | undefined): RequestId | undefined {
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(json, 'latin1').toString('utf8'));
    return typeof value === 'string' || typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
