import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

const toolNames = async (client: Client): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);
const backendsOf = async (client: Client): Promise<string[]> => [...new Set((await toolNames(client)).map((n) => n.split('_1mcp_')[0] ?? ''))].sort();

describe('tag filtering', () => {
  let running: RunningAgent;
  let webNotTest: Client;
  let dbOnly: Client;

  before(async () => {
    running = await startAgent({
      mcpServers: {
        alpha: fixtureEntry('alpha', { tags: ['web', 'prod'] }),
        beta: fixtureEntry('beta', { tags: ['db'] }),
        gamma: fixtureEntry('gamma', { tags: ['web', 'test'] }),
      },
      presets: { frontend: 'web and not prod', storage: ['db'] },
    });
    await settled(running.agent);
    webNotTest = await connectClient(`${running.url}?tag-filter=${encodeURIComponent('web+!test')}`);
    dbOnly = await connectClient(`${running.url}?tags=db`);
  });

  after(async () => {
    await webNotTest?.close();
    await dbOnly?.close();
    await running?.close();
  });

  it('gives clients with different selectors different tool sets', async () => {
    assert.deepEqual(await backendsOf(webNotTest), ['alpha']);
    assert.deepEqual(await backendsOf(dbOnly), ['beta']);
    const all = await connectClient(running.url);
    assert.deepEqual(await backendsOf(all), ['alpha', 'beta', 'gamma']);
    await all.close();
  });

  it('selects by preset from the config', async () => {
    const frontend = await connectClient(`${running.url}?preset=frontend`);
    const storage = await connectClient(`${running.url}?preset=storage`);
    assert.deepEqual(await backendsOf(frontend), ['gamma']);
    assert.deepEqual(await backendsOf(storage), ['beta']);
    await frontend.close();
    await storage.close();
  });

  it('refuses calls, reads and gets outside the selection', async () => {
    await assert.rejects(webNotTest.callTool({ name: 'beta_1mcp_echo', arguments: { text: 'x' } }), /is outside this session's selection of backends/);
    await assert.rejects(webNotTest.readResource({ uri: 'beta+fixture://info' }), /not found/);
    await assert.rejects(webNotTest.getPrompt({ name: 'gamma_1mcp_greet', arguments: { who: 'x' } }), /not found/);
    // The three backends all list fixture://info; a session that sees one of them sees it as its server named it.
    const { resources } = await webNotTest.listResources();
    assert.deepEqual(resources.map((r) => r.uri), ['fixture://info']);
    const read = await webNotTest.readResource({ uri: 'fixture://info' });
    assert.equal((read.contents[0] as { text?: string }).text, 'info from alpha');
  });

  it('delivers notifications only to sessions that see the backend', async () => {
    const seen = { web: [] as unknown[], db: [] as unknown[] };
    webNotTest.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.web.push(n.params.data));
    dbOnly.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.db.push(n.params.data));
    await webNotTest.setLoggingLevel('debug');
    await dbOnly.setLoggingLevel('debug');
    await dbOnly.callTool({ name: 'beta_1mcp_log', arguments: { level: 'info', message: 'from beta' } });
    await webNotTest.callTool({ name: 'alpha_1mcp_log', arguments: { level: 'info', message: 'from alpha' } });
    await waitFor(() => seen.web.includes('from alpha') && seen.db.includes('from beta'), 'both messages');
    assert.deepEqual(seen.web, ['from alpha']);
    assert.deepEqual(seen.db, ['from beta']);
  });

  it('answers 400, pointing at the problem, for bad selectors', async () => {
    const post = (query: string) =>
      fetch(`${running.url}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
      });
    const cases: [string, RegExp][] = [
      ['tags=web&preset=frontend', /only one of/],
      ['preset=nope', /Unknown preset "nope" \(known: frontend, storage\)/],
      [`tag-filter=${encodeURIComponent('web+(db')}`, /expected "\)" but found the end at position 8/],
    ];
    for (const [query, message] of cases) {
      const response = await post(query);
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { error: { message: string } };
      assert.match(body.error.message, message);
    }
  });
});
