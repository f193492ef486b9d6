import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from '../../src/core/backends/decodeMessage';
import { envelopeOf, resultSpan } from '../../src/core/backends/jsonEnvelope';
import { encodeMessage } from '../../src/core/sharedJson';

const spanText = (json: string): string | undefined => {
  const bytes = Buffer.from(json);
  const span = resultSpan(bytes, Object.keys(JSON.parse(json) as object));
  return span && bytes.toString('utf8', span.start, span.end);
};

describe('JSON-RPC envelope', () => {
  const result = '{"content":[{"type":"text","text":"a \\"quoted\\" }, é"}],"isError":false}';

  it("finds a result's bytes whichever side its envelope is on", () => {
    assert.equal(spanText(`{"result":${result},"jsonrpc":"2.0","id":12}`), result);
    assert.equal(spanText(`{"jsonrpc":"2.0","id":"r-1","result":${result}}`), result);
    assert.equal(spanText(`{ "id" : 3 ,\n "result" : ${result} ,\t"jsonrpc" : "2.0" }\n`), result);
    assert.equal(spanText(`{"result":${result},"jsonrpc":"2.0","id":"a\\",\\"id\\":2"}`), result);
  });

  it('finds none when other members hide between, or the keys do not add up', () => {
    assert.equal(spanText(`{"jsonrpc":"2.0","id":1,"result":${result},"extra":{"a":1}}`), undefined);
    assert.equal(spanText(`{"jsonrpc":"2.0","extra":[1],"id":1,"result":${result}}`), undefined);
    assert.equal(spanText(`{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}}`), undefined);
  });

  it('tells a response from a request by the ends of a message alone', () => {
    const head = (s: string) => Buffer.from(s.slice(0, 40));
    const tail = (s: string) => Buffer.from(s.slice(-40));
    const response = `{"result":{"text":"${'x'.repeat(200)}"},"jsonrpc":"2.0","id":42}`;
    const modern = `{"jsonrpc":"2.0","id":"q","result":{"text":"${'x'.repeat(200)}"}}`;
    const request = `{"method":"sampling/createMessage","params":{"t":"${'x'.repeat(200)}"},"jsonrpc":"2.0","id":0}`;
    assert.deepEqual(envelopeOf(head(response), tail(response)), { id: 42, isRequest: false });
    assert.deepEqual(envelopeOf(head(modern), tail(modern)), { id: 'q', isRequest: false });
    assert.deepEqual(envelopeOf(head(request), tail(request)), { id: 0, isRequest: true });
    assert.deepEqual(envelopeOf(Buffer.from('{"result":{"t":"xx'), Buffer.from('xxx"}}')), { id: undefined, isRequest: false });
  });

  it('forwards a large result as the bytes it came in, and anything else serialized again', () => {
    const large = JSON.stringify({ content: [{ type: 'text', text: 'é"\\\n'.repeat(30_000) }] });
    const bytes = Buffer.from(`{"result":${large},"jsonrpc":"2.0","id":5}`);
    const message = decodeMessage(bytes);
    assert.ok(!Array.isArray(message));
    const parts = encodeMessage({ ...message, id: 'client-7' } as never);
    assert.equal(parts.length, 3);
    assert.ok(Buffer.isBuffer(parts[1]) && parts[1].buffer === bytes.buffer, 'the result part is a view of the received bytes');
    assert.deepEqual(JSON.parse(Buffer.concat(parts.map((p) => Buffer.from(p))).toString()), { ...JSON.parse(bytes.toString()), id: 'client-7' });

    const pretty = decodeMessage(Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 1)));
    assert.equal(encodeMessage(pretty as never).length, 1, 'a result with line breaks between its tokens is serialized again');
  });
});
