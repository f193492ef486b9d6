import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { MAX_MESSAGE_BYTES } from '../../src/core/backends/messageLimit';
import { blobText } from '../fixtures/testServer';
import { connectClient, firstText, fixtureEntry, settled, startAgent, startHttpBackend, startSseBackend, type RunningAgent } from '../helpers/harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Backends by how they answer: a stdio child process, streamable HTTP with JSON bodies and with event
 * streams, and the legacy HTTP+SSE transport.
 */
const KINDS = ['pipe', 'json', 'sse', 'legacy'] as const;
const MB = 1_000_000;

describe('large results', () => {
  let json: Awaited<ReturnType<typeof startHttpBackend>>;
  let sse: Awaited<ReturnType<typeof startHttpBackend>>;
  let legacy: Awaited<ReturnType<typeof startSseBackend>>;
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    json = await startHttpBackend('json', { json: true });
    sse = await startHttpBackend('sse');
    legacy = await startSseBackend('legacy');
    running = await startAgent({ mcpServers: { pipe: fixtureEntry('pipe'), json: { url: json.url }, sse: { url: sse.url }, legacy: { type: 'sse', url: legacy.url } } });
    const backends = await settled(running.agent);
    for (const kind of KINDS) assert.equal(backends[kind]?.status, 'connected');
    client = await connectClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await legacy?.close();
    await sse?.close();
    await json?.close();
  });

  for (const size of [1, 5, 20]) {
    it(`passes a ${size} MB result from each kind of backend intact`, async () => {
      const expected = sha256(blobText(size * MB));
      for (const kind of KINDS) {
        const result = await client.callTool({ name: `${kind}_1mcp_blob`, arguments: { chars: size * MB } }, undefined, { timeout: 120_000 }).catch((error: Error) => {
          throw new Error(`${kind}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`, { cause: error });
        });
        const text = firstText(result);
        assert.equal(text.length, size * MB, kind);
        assert.equal(sha256(text), expected, kind);
      }
    });
  }

  it('ends a request whose answer is over the limit with a clear error; the backend keeps serving', async () => {
    for (const kind of KINDS) {
      await assert.rejects(
        client.callTool({ name: `${kind}_1mcp_blob`, arguments: { chars: MAX_MESSAGE_BYTES, plain: true } }, undefined, { timeout: 120_000 }),
        (error: Error) => {
          assert.match(error.message, /the backend's answer is (\d+(\.\d)? MB, )?larger than the 64 MB the agent takes in one message/, kind);
          return true;
        },
      );
      assert.equal(firstText(await client.callTool({ name: `${kind}_1mcp_echo`, arguments: { text: 'still here' } })), `${kind}: still here`);
      assert.equal(running.agent.state.backends.find((b) => b.name === kind)?.status, 'connected');
    }
  });

  it("refuses a backend's request over the limit with an error to that request", async () => {
    // Over a pipe and over HTTP (a server answering with JSON bodies has nowhere to send a request during
    // a call: the SDK drops it).
    for (const kind of ['pipe', 'sse'] as const) {
      const answer = firstText(await client.callTool({ name: `${kind}_1mcp_ask-large`, arguments: { chars: MAX_MESSAGE_BYTES } }, undefined, { timeout: 120_000 }));
      assert.match(answer, /backend sent a request of \d+(\.\d)? MB, larger than the 64 MB the agent takes in one message; refused it/, kind);
    }
  });
});
