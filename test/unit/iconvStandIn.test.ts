import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as iconv from 'iconv-lite';
import * as standIn from '../../src/shims/iconvLite';

/** What raw-body makes of a body that arrives in `chunks`. */
function decodeChunks(chunks: readonly Buffer[], encoding: string): string {
  const decoder = standIn.getDecoder(encoding);
  return chunks.map((chunk) => decoder.write(chunk)).join('') + (decoder.end() ?? '');
}

/** The body cut at `at`: a character of several bytes may be split between two chunks. */
const splitAt = (bytes: Buffer, at: number): Buffer[] => [bytes.subarray(0, at), bytes.subarray(at)];

const UTF8_BODIES: Record<string, Buffer> = {
  ascii: Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}'),
  'two, three and four byte characters': Buffer.from('{"text":"héllo ✓ 日本 😀"}'),
  'a byte order mark first': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"ü"}')]),
  'invalid bytes': Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x7d]),
  'a character cut short at the end': Buffer.from([0x22, 0x61, 0xe2, 0x9c]),
};

// The bundles put src/shims/iconvLite.ts in place of iconv-lite (scripts/build.mjs): for the charsets
// body-parser accepts it must decode exactly as iconv-lite does, however the body is cut into chunks.
describe('the iconv-lite stand-in', () => {
  for (const [what, bytes] of Object.entries(UTF8_BODIES)) {
    it(`decodes UTF-8 as iconv-lite does: ${what}, cut anywhere`, () => {
      const expected = iconv.decode(bytes, 'utf-8');
      assert.equal(standIn.decode(bytes, 'utf-8'), expected);
      for (let at = 0; at <= bytes.length; at++) assert.equal(decodeChunks(splitAt(bytes, at), 'utf-8'), expected, `cut at byte ${at}`);
    });
  }

  it('decodes ISO-8859-1 (the other charset of urlencoded bodies) as iconv-lite does', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.equal(decodeChunks(splitAt(bytes, 100), 'ISO-8859-1'), iconv.decode(bytes, 'ISO-8859-1'));
  });

  it('knows the names body-parser passes, in any case', () => {
    for (const name of ['utf-8', 'UTF-8', 'utf8', 'iso-8859-1', 'ISO-8859-1', 'latin1']) assert.equal(standIn.encodingExists(name), true, name);
  });

  it("refuses every other charset with iconv-lite's message, which raw-body answers with 415", () => {
    for (const name of ['utf-16', 'utf-16le', 'utf-32', 'shift_jis', 'gbk', 'windows-1252', 'constructor', '']) {
      assert.equal(standIn.encodingExists(name), false, name);
      // raw-body tells an unknown charset from other failures by this message.
      assert.throws(() => standIn.getDecoder(name), /^Error: Encoding not recognized: /);
      assert.throws(() => standIn.decode(Buffer.from('x'), name), /^Error: Encoding not recognized: /);
    }
  });
});
