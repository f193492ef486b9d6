// "1MCP: Connect Client…" in a real VS Code (code-server) with a throwaway HOME holding Cursor's and
// Claude Desktop's configs: the quick pick lists them, connecting writes their files (keeping the rest),
// the pick then says "connected", the stdio entry for Claude Desktop really starts the bridge, and
// Disconnect restores the file. One editor launch for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'jsonc-parser';
import { health } from './harness/mcpClient';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { e2eUnavailable } from './harness/tools';
import { eventually, pickQuickItem, runCommand, screenshot } from './harness/workbench';

const unavailable = e2eUnavailable();
const CURSOR = '{\n  // my editor servers\n  "mcpServers": {\n    "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }\n  }\n}\n';
const CLAUDE_DESKTOP = '{\n  "globalShortcut": "Ctrl+Space"\n}\n';

describe('1MCP: Connect Client… in VS Code', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  const home = (file: string): string => path.join(s.server.home, file);
  const servers = (file: string): Record<string, Record<string, unknown>> => (parse(readFileSync(home(file), 'utf8')) as { mcpServers?: Record<string, Record<string, unknown>> }).mcpServers ?? {};
  const row = (label: string) => s.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();

  before(async () => {
    port = await freePort();
    s = await startScenario({
      trusted: true,
      settings: { 'onemcp.port': port, 'onemcp.configPath': '~/mcp.json' },
      files: {
        'home/mcp.json': JSON.stringify({ mcpServers: { memory: backends.memory } }, null, 2),
        'home/.cursor/mcp.json': CURSOR,
        'home/.config/Claude/claude_desktop_config.json': CLAUDE_DESKTOP,
      },
    });
    await eventually('the agent with its backend', async () => (await health(port))?.backends.some((b) => b.status === 'connected'));
  });
  afterEach((t) => screenshotAfter(s, 'connect', t.name));
  after(() => stopScenario(s, 'connect'));

  test('lists the clients found on this machine, each not connected', async () => {
    await runCommand(s.page, '1MCP: Connect Client…');
    await row('Cursor').waitFor();
    assert.match(await row('Cursor').innerText(), /not connected/);
    assert.match(await row('Claude Desktop').innerText(), /not connected/);
    assert.equal(await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Codex' }).count(), 0, 'Codex is not installed here');
    await screenshot(s.page, 'connect-01-clients');
  });

  test('connects Cursor: its file gets "1mcp" and keeps the rest, and the pick then says connected', async () => {
    await pickQuickItem(s.page, 'Cursor');
    await pickQuickItem(s.page, 'Connect Cursor');
    const url = `http://127.0.0.1:${port}/mcp`;
    await eventually('Cursor connected', () => servers('.cursor/mcp.json')['1mcp']?.url === url);
    const text = readFileSync(home('.cursor/mcp.json'), 'utf8');
    assert.ok(text.includes('// my editor servers') && text.includes('"everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }'), text);
    await s.page.locator('.notifications-toasts', { hasText: 'Cursor now uses the agent' }).waitFor();

    await runCommand(s.page, '1MCP: Connect Client…');
    await row('Cursor').waitFor();
    const description = await row('Cursor').innerText();
    assert.match(description, /connected/);
    assert.doesNotMatch(description, /not connected/);
    await screenshot(s.page, 'connect-02-cursor-connected');
  });

  test('connects Claude Desktop with a stdio entry that starts the bridge to this agent', async () => {
    await pickQuickItem(s.page, 'Claude Desktop');
    await pickQuickItem(s.page, 'Connect Claude Desktop');
    const entry = await eventually('Claude Desktop connected', () => servers('.config/Claude/claude_desktop_config.json')['1mcp']);
    const { command, args, env } = entry as { command: string; args: string[]; env: Record<string, string> };
    assert.deepEqual(env, { ELECTRON_RUN_AS_NODE: '1' });
    assert.equal(args[0], home('.config/1mcp/bin/onemcp-proxy.js'));
    // Start it the way Claude Desktop does: that command line, no shell.
    const client = new Client({ name: 'claude-ai', version: '1' });
    await client.connect(new StdioClientTransport({ command, args, env: { ...env, HOME: s.server.home }, stderr: 'ignore' }));
    try {
      assert.ok((await client.listTools()).tools.some((t) => t.name.startsWith('memory_1mcp_')));
    } finally {
      await client.close();
    }
  });

  test('disconnects Cursor, restoring its file byte for byte', async () => {
    await runCommand(s.page, '1MCP: Connect Client…');
    await pickQuickItem(s.page, 'Cursor');
    await pickQuickItem(s.page, 'Disconnect Cursor');
    await eventually('the original Cursor file', () => readFileSync(home('.cursor/mcp.json'), 'utf8') === CURSOR);
  });
});
