// Tool search for VS Code's own MCP client, in a real VS Code (code-server) with the packaged extension:
// with more than 128 tools behind the agent, `onemcp.editorToolMode` = auto (the default) gives VS Code's
// client the two search tools; the Clients view says what it sees; `all` gives it every tool again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { health, toolNames, withMcpClient } from './harness/mcpClient';
import { eventually, extensionLog, pickQuickItem, runCommand, screenshot, showBackendsView, treeRow } from './harness/workbench';
import { e2eUnavailable, ROOT } from './harness/tools';

const unavailable = e2eUnavailable();
/** One stdio server with the tools of five realistic catalogs: 132 tools, more than VS Code sends with a request. */
const CATALOGS = 'github,atlassian,slack,gmail,calendar';

describe("tool search for VS Code's own MCP client", { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  const settingsFile = (): string => path.join(s.server.userDataDir, 'User', 'settings.json');

  before(async () => {
    port = await freePort();
    const config = {
      mcpServers: {
        work: { command: process.execPath, args: ['--import', 'tsx', path.join(ROOT, 'test', 'fixtures', 'catalogServer.ts')], cwd: ROOT, env: { CATALOG: CATALOGS }, tags: ['work'] },
        memory: { ...backends.memory, tags: ['memory'], env: { MEMORY_FILE_PATH: '${env:HOME}/memory.jsonl' } },
      },
    };
    s = await startScenario({ trusted: true, settings: { 'onemcp.port': port, 'onemcp.configPath': '~/mcp.json' }, files: { 'home/mcp.json': JSON.stringify(config, null, 2) } });
  });
  afterEach((t) => screenshotAfter(s, 'search', t.name));
  after(() => stopScenario(s, 'search'));

  test('the Clients view says VS Code’s client would see the tools through search', async () => {
    await s.page.locator('.activitybar [aria-label^="1MCP"]').first().click();
    await treeRow(s.page, 'work: connected, 132 tools').waitFor({ timeout: 90_000 });
    await treeRow(s.page, 'memory: connected, 9 tools').waitFor();
    await treeRow(s.page, 'code-server (this editor): not connected; would see 141 tools via search').waitFor();
    await screenshot(s.page, 'search-01-clients-forecast');
  });

  test('under auto, VS Code’s client discovers the two search tools, and they find and run the tools', async () => {
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Start Server');
    await eventually('a session from VS Code', async () => ((await health(port))?.sessions ?? 0) >= 1);
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Show Output');
    // "Discovered N tools" is VS Code's log line after its tools/list.
    await s.page.locator('.output-view, .panel', { hasText: 'Discovered 2 tools' }).first().waitFor();
    await showBackendsView(s.page);
    await treeRow(s.page, 'code-server (this editor): 141 tools via search').waitFor();
    await screenshot(s.page, 'search-02-vscode-discovered-2', { readme: 'tool-search' });
    // The URL VS Code was given, used by another client: the same two tools, which reach every tool.
    const url = `http://127.0.0.1:${port}/mcp?mode=auto`;
    assert.deepEqual(await toolNames(url), ['call_tool', 'search_tools']);
    const text = await withMcpClient(url, async (client) => {
      const found = await client.callTool({ name: 'search_tools', arguments: { query: 'send an email to my manager' } });
      const names = (found.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
      assert.ok(names.includes('work_1mcp_send_email'), names.join(', '));
      const ran = await client.callTool({ name: 'call_tool', arguments: { name: 'work_1mcp_send_email', arguments: { to: ['boss@example.com'], subject: 'Hi', body: 'x' } } });
      return (ran.content as { text: string }[])[0]?.text;
    });
    assert.match(text ?? '', /send_email .*boss@example\.com/);
  });

  test('with onemcp.editorToolMode = all, VS Code’s client gets every tool at its next start', async () => {
    await runCommand(s.page, 'Preferences: Open User Settings');
    await s.page.keyboard.type('onemcp.editorToolMode');
    await s.page.locator('.setting-item-contents[data-key="onemcp.editorToolMode"] select').selectOption('all');
    await eventually('the extension to see the setting', () => extensionLog(s.server.userDataDir).includes('gets the tools with mode "all"'));
    assert.equal((JSON.parse(readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>)['onemcp.editorToolMode'], 'all');
    await runCommand(s.page, 'View: Close All Editors');
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: /^(Start|Restart) Server/ }).first().click();
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Show Output');
    await s.page.locator('.output-view, .panel', { hasText: 'Discovered 141 tools' }).first().waitFor();
    await showBackendsView(s.page);
    await treeRow(s.page, 'code-server (this editor): 141 tools').waitFor();
    assert.equal(await treeRow(s.page, 'code-server (this editor): 141 tools via search').count(), 0);
  });
});
