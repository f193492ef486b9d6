import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, firstText, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

describe('hot reload', () => {
  let running: RunningAgent;
  let client: Client;
  let listChanged = 0;
  let config: Record<string, Record<string, unknown>>;

  const toolNames = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);
  const pidOf = async (backend: string): Promise<string> => firstText(await client.callTool({ name: `${backend}_1mcp_pid`, arguments: {} }));
  /** Saves the way many editors do: write a temporary file, then rename it over the config. */
  const save = async (content: string): Promise<void> => {
    const temp = path.join(path.dirname(running.configPath), '.mcp.json.tmp');
    await fs.writeFile(temp, content);
    await fs.rename(temp, running.configPath);
  };
  const saveConfig = (): Promise<void> => save(JSON.stringify(config, null, 2));

  before(async () => {
    config = { mcpServers: { alpha: fixtureEntry('alpha', { tags: ['one'] }), beta: fixtureEntry('beta') } };
    running = await startAgent(config);
    await settled(running.agent);
    client = await connectClient(running.url);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
  });

  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('adds and removes backends while the client stays connected, with list_changed', async () => {
    const before = listChanged;
    config = { mcpServers: { alpha: config.mcpServers?.alpha ?? {}, gamma: fixtureEntry('gamma') } };
    await saveConfig();
    await waitFor(async () => {
      const names = await toolNames();
      return names.includes('gamma_1mcp_echo') && !names.some((n) => n.startsWith('beta_'));
    }, 'gamma to appear and beta to go');
    await waitFor(() => listChanged > before, 'a tools/list_changed notification');
    assert.equal(firstText(await client.callTool({ name: 'gamma_1mcp_echo', arguments: { text: 'new' } })), 'gamma: new');
  });

  it('applies tag and disabledTools edits without reconnecting', async () => {
    const pid = await pidOf('alpha');
    const before = listChanged;
    config = { mcpServers: { ...config.mcpServers, alpha: fixtureEntry('alpha', { tags: ['two'], disabledTools: ['echo'] }) } };
    await saveConfig();
    await waitFor(async () => !(await toolNames()).includes('alpha_1mcp_echo'), 'alpha echo to be hidden');
    await waitFor(() => listChanged > before, 'list_changed');
    assert.deepEqual(running.agent.state.backends.find((b) => b.name === 'alpha')?.tags, ['two']);
    assert.equal(await pidOf('alpha'), pid, 'same process: no reconnect');
  });

  it('reconnects a backend whose connection settings changed', async () => {
    const pid = await pidOf('alpha');
    config = { mcpServers: { ...config.mcpServers, alpha: fixtureEntry('alpha', { tags: ['two'], env: { FIXTURE_NAME: 'alpha', EXTRA: '1' } }) } };
    await saveConfig();
    await waitFor(async () => {
      try {
        return (await pidOf('alpha')) !== pid;
      } catch {
        return false;
      }
    }, 'alpha to restart with its new environment');
  });

  it('reports a broken edit and keeps the last good config running', async () => {
    const tools = await toolNames();
    await save('{ "mcpServers": { "alpha": ');
    await waitFor(() => running.agent.state.configError, 'the config error to be reported');
    assert.match(running.agent.state.configError ?? '', /not valid JSON.*\n.*line 1, column/);
    assert.deepEqual(await toolNames(), tools);
    assert.ok(running.logs.some((l) => l.includes('the last good config keeps running')));
    await saveConfig();
    await waitFor(() => running.agent.state.configError === undefined, 'the error to clear after a good save');
  });
});
