import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineReader } from '../../src/core/backends/lineReader';
import { isOversized } from '../../src/core/backends/messageLimit';

const text = (lines: readonly (Buffer | object)[]) => lines.map((l) => (Buffer.isBuffer(l) ? l.toString('utf8') : l));

function feed(reader: LineReader, input: Buffer, chunkSize: number): (Buffer | object)[] {
  const out: (Buffer | object)[] = [];
  for (let i = 0; i < input.length; i += chunkSize) out.push(...reader.push(input.subarray(i, i + chunkSize)));
  return out;
}

describe('LineReader', () => {
  const input = Buffer.from('{"a":"é😀"}\n\r\n{"b":2}\r\nlast without end');

  it('splits at LF, drops a CR before it, and gives the same lines however the bytes are cut', () => {
    for (const size of [1, 2, 3, 7, input.length]) {
      assert.deepEqual(text(feed(new LineReader(false), input, size)), ['{"a":"é😀"}', '', '{"b":2}'], `chunks of ${size}`);
    }
  });

  it('with crEndsLine, ends lines at CR, LF or CRLF, even with CRLF across two chunks', () => {
    const events = Buffer.from('a\rb\nc\r\nd\r\re\n');
    for (const size of [1, 2, 5, events.length]) {
      assert.deepEqual(text(feed(new LineReader(true), events, size)), ['a', 'b', 'c', 'd', '', 'e'], `chunks of ${size}`);
    }
  });

  it('keeps only the ends and the length of a line over the limit, then reads on', () => {
    const long = `{"result":{"text":"${'x'.repeat(3000)}"},"jsonrpc":"2.0","id":9}`;
    const lines = feed(new LineReader(false, 1000), Buffer.from(`${long}\n{"ok":true}\n`), 256);
    assert.equal(lines.length, 2);
    const [first, second] = lines;
    assert.ok(isOversized(first));
    assert.equal(first.bytes, long.length);
    assert.equal(first.head.toString(), long.slice(0, 512));
    assert.equal(first.tail.toString(), long.slice(-512));
    assert.deepEqual(text([second ?? {}]), ['{"ok":true}']);
  });
});
