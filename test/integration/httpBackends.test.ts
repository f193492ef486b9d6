import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, firstText, settled, startAgent, startHttpBackend, startSseBackend, waitFor, type RunningAgent } from '../helpers/harness';

describe('HTTP backends', () => {
  let streamable: Awaited<ReturnType<typeof startHttpBackend>>;
  let legacy: Awaited<ReturnType<typeof startSseBackend>>;
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    streamable = await startHttpBackend('web');
    legacy = await startSseBackend('old');
    running = await startAgent({
      mcpServers: {
        web: { url: streamable.url },
        old: { url: legacy.url },
        oldExplicit: { type: 'sse', url: legacy.url },
        refused: { type: 'streamableHttp', url: `${streamable.url.replace('/mcp', '')}/nothing-here` },
      },
    });
    await settled(running.agent);
    client = await connectClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await legacy?.close();
    await streamable?.close();
  });

  it('falls back to SSE for an "http" server that only speaks the legacy transport', async () => {
    const byName = Object.fromEntries(running.agent.state.backends.map((b) => [b.name, b]));
    assert.equal(byName.old?.status, 'connected');
    assert.equal(byName.oldExplicit?.status, 'connected');
    assert.equal(firstText(await client.callTool({ name: 'old_1mcp_echo', arguments: { text: 'sse' } })), 'old: sse');
    // A 404 may be a server still starting behind a proxy: it is retried, and says when.
    assert.match(byName.refused?.status ?? '', /restarting|connecting/);
    assert.match(byName.refused?.lastError?.message ?? '', /HTTP 404/);
  });

  it("relays what a streamable HTTP backend announces on its own stream", async () => {
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_grow', arguments: {} })), 'grew');
    // New on a server whose tools were pinned: held back until accepted.
    await waitFor(() => running.agent.state.toolReviews.some((r) => r.server === 'web' && r.tool === 'grown'), 'grown held back');
    await running.agent.acceptTools('web');
    await waitFor(async () => changed > 0 && (await client.listTools()).tools.some((t) => t.name === 'web_1mcp_grown'), 'the new tool to be announced');
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_grown', arguments: {} })), 'grown');
  });
});
