import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { MAX_MESSAGE_BYTES } from '../../src/core/backends/messageLimit';
import { blobText } from '../fixtures/testServer';
import { connectClient, firstText, fixtureEntry, settled, startAgent, startHttpBackend, type RunningAgent } from '../helpers/harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Backends by how they answer: a stdio child process, streamable HTTP with JSON bodies, and with event streams. */
const KINDS = ['pipe', 'json', 'sse'] as const;
const MB = 1_000_000;

describe('large results', () => {
  let json: Awaited<ReturnType<typeof startHttpBackend>>;
  let sse: Awaited<ReturnType<typeof startHttpBackend>>;
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    json = await startHttpBackend('json', { json: true });
    sse = await startHttpBackend('sse');
    running = await startAgent({ mcpServers: { pipe: fixtureEntry('pipe'), json: { url: json.url }, sse: { url: sse.url } } });
    const backends = await settled(running.agent);
    for (const kind of KINDS) assert.equal(backends[kind]?.status, 'connected');
    client = await connectClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await sse?.close();
    await json?.close();
  });

  for (const size of [1, 5, 20]) {
    it(`passes a ${size} MB result from each kind of backend intact`, async () => {
      const expected = sha256(blobText(size * MB));
      for (const kind of KINDS) {
        const result = await client.callTool({ name: `${kind}_1mcp_blob`, arguments: { chars: size * MB } }, undefined, { timeout: 120_000 });
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
});
