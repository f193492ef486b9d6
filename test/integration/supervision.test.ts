import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectClient, firstText, fixtureEntry, isAlive, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

describe('supervision', () => {
  let running: RunningAgent;
  let client: Client;
  const backend = (name: string) => running.agent.state.backends.find((b) => b.name === name);

  before(async () => {
    running = await startAgent({
      mcpServers: {
        phoenix: fixtureEntry('phoenix', { restartDelay: 50 }),
        looper: fixtureEntry('looper', { restartDelay: 50, maxRestarts: 2, env: { FIXTURE_NAME: 'looper', FIXTURE_EXIT_AFTER_MS: '1500' } }),
        sloth: fixtureEntry('sloth', { requestTimeout: 400 }),
      },
    });
    await settled(running.agent);
    client = await connectClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('fails an in-flight call promptly when its backend dies, then restarts it', async () => {
    const pid = Number(firstText(await client.callTool({ name: 'phoenix_1mcp_pid', arguments: {} })));
    await assert.rejects(client.callTool({ name: 'phoenix_1mcp_crash', arguments: {} }), /closed|not available/i);
    await waitFor(() => backend('phoenix')?.status === 'connected' && (backend('phoenix')?.restarts ?? 0) >= 1, 'phoenix to come back');
    const next = Number(firstText(await client.callTool({ name: 'phoenix_1mcp_pid', arguments: {} })));
    assert.notEqual(next, pid);
    assert.equal(isAlive(pid), false);
  });

  it('gives up on a crash loop and reports it with the last stderr lines', async () => {
    await waitFor(() => backend('looper')?.status === 'error', 'looper to end in error', 30_000);
    const looper = backend('looper');
    assert.match(looper?.reason ?? '', /crash loop: .*code 2.*gave up after 2 restarts/);
    assert.ok(looper?.stderr.includes('fixture looper starting'));
  });

  it('ends a hung call at requestTimeout', async () => {
    await assert.rejects(client.callTool({ name: 'sloth_1mcp_hang', arguments: {} }), /timed out/i);
    assert.equal(firstText(await client.callTool({ name: 'sloth_1mcp_echo', arguments: { text: 'awake' } })), 'sloth: awake');
  });

  it('leaves no backend process behind when the agent closes', async () => {
    const pids = await Promise.all(['phoenix', 'sloth'].map(async (b) => Number(firstText(await client.callTool({ name: `${b}_1mcp_pid`, arguments: {} })))));
    await client.close();
    await running.agent.close();
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'every backend process to end');
  });
});
