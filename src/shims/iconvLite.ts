/**
 * The bundles' iconv-lite: scripts/build.mjs puts this file in place of the package, whose tables for
 * every legacy charset were a quarter of the bundle. body-parser and raw-body call only
 * `encodingExists`, `getDecoder` and `decode`, and only for the charsets they take from a client:
 * UTF-8 (the one JSON may use, RFC 8259 §8.1) and ISO-8859-1 (the other charset body-parser's
 * urlencoded parser accepts). Any other charset is "not recognized", which both answer with
 * 415 Unsupported Media Type (body-parser's `charset.unsupported`, raw-body's `encoding.unsupported`).
 */
import { StringDecoder } from 'node:string_decoder';

/** A streaming decoder, as raw-body uses it. */
export interface Decoder {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

/** Like iconv-lite: UTF-8 replaces invalid bytes with U+FFFD and drops a leading byte order mark. */
function utf8Decoder(): Decoder {
  const decoder = new TextDecoder('utf-8');
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() || undefined };
}

function latin1Decoder(): Decoder {
  const decoder = new StringDecoder('latin1');
  return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() || undefined };
}

/** By iconv-lite's canonical names: lower case, only letters and digits. */
const DECODERS: Readonly<Record<string, () => Decoder>> = {
  utf8: utf8Decoder,
  unicode11utf8: utf8Decoder,
  iso88591: latin1Decoder,
  latin1: latin1Decoder,
};

function decoderOf(encoding: string): (() => Decoder) | undefined {
  return Object.hasOwn(DECODERS, canonical(encoding)) ? DECODERS[canonical(encoding)] : undefined;
}

function canonical(encoding: string): string {
  return String(encoding).toLowerCase().replace(/[^0-9a-z]/g, '');
}

export function encodingExists(encoding: string): boolean {
  return decoderOf(encoding) !== undefined;
}

/** Throws iconv-lite's own message for an unknown charset: raw-body recognizes it and answers 415. */
export function getDecoder(encoding: string): Decoder {
  const create = decoderOf(encoding);
  if (!create) throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${canonical(encoding)}')`);
  return create();
}

export function decode(buffer: Buffer, encoding: string): string {
  const decoder = getDecoder(encoding);
  return decoder.write(buffer) + (decoder.end() ?? '');
}
