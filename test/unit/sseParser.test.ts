import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOversized } from '../../src/core/backends/messageLimit';
import { SseParser, type SseEvent } from '../../src/core/backends/sseParser';

/** Feeds `text` one byte at a time, so that every line end and every character falls across chunks. */
function byteByByte(parser: SseParser, text: string): SseEvent[] {
  const bytes = Buffer.from(text);
  return Array.from({ length: bytes.length }, (_, i) => parser.push(bytes.subarray(i, i + 1))).flat();
}

const asText = (events: readonly SseEvent[]) => events.map((e) => ({ ...e, data: isOversized(e.data) ? e.data : e.data.toString('utf8') }));

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with any line ending', () => {
    const parser = new SseParser();
    const text = 'event: message\r\ndata: {"a":"é😀"}\r\n\r\n: comment\nid: 7\ndata: line one\ndata: line two\n\nretry: 10\rdata: x\r\r\n';
    assert.deepEqual(asText(byteByByte(parser, text)), [
      { event: 'message', data: '{"a":"é😀"}', id: undefined },
      { event: 'message', data: 'line one\nline two', id: '7' },
      { event: 'message', data: 'x', id: undefined },
    ]);
    assert.equal(parser.lastEventId, '7');
  });

  it('keeps the event type and drops events without data', () => {
    const parser = new SseParser();
    assert.deepEqual(asText(parser.push(Buffer.from('event: endpoint\ndata: /messages?sessionId=1\n\nevent: ping\n\n'))), [{ event: 'endpoint', data: '/messages?sessionId=1', id: undefined }]);
  });

  it('gives the ends of an event over the limit, whether one line or many, and goes on with the next', () => {
    const parser = new SseParser(64);
    const big = `{"result":{"text":"${'x'.repeat(100)}"},"jsonrpc":"2.0","id":3}`;
    const split = `{"jsonrpc":"2.0","id":"a",\ndata: "result":{"text":"${'y'.repeat(40)}"}}`;
    const events = byteByByte(parser, `data: ${big}\n\ndata: ${split}\n\ndata: {"ok":true}\n\n`);
    assert.equal(events.length, 3);
    const [first, second, third] = events.map((e) => e.data);
    assert.ok(isOversized(first) && isOversized(second) && !isOversized(third));
    assert.equal(first.bytes, Buffer.byteLength(big));
    assert.equal(first.head.toString(), big.slice(0, 512));
    assert.ok(first.tail.toString().endsWith('"jsonrpc":"2.0","id":3}'));
    assert.equal(second.bytes, Buffer.byteLength(split.replace('\ndata: ', '\n')));
    assert.ok(second.head.toString().startsWith('{"jsonrpc":"2.0","id":"a",\n"result"'));
    assert.equal(String(third), '{"ok":true}');
  });
});
