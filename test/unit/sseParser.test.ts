import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../../src/core/backends/sseParser';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with any line ending', () => {
    const parser = new SseParser();
    const text = 'event: message\r\ndata: {"a":1}\r\n\r\n: comment\nid: 7\ndata: line one\ndata: line two\n\nretry: 10\rdata: x\r\r\n';
    const events = [...text].flatMap((ch) => parser.push(ch));
    assert.deepEqual(events, [
      { event: 'message', data: '{"a":1}', id: undefined },
      { event: 'message', data: 'line one\nline two', id: '7' },
      { event: 'message', data: 'x', id: undefined },
    ]);
    assert.equal(parser.lastEventId, '7');
  });

  it('keeps the event type and drops events without data', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: endpoint\ndata: /messages?sessionId=1\n\nevent: ping\n\n'), [{ event: 'endpoint', data: '/messages?sessionId=1', id: undefined }]);
  });
});
