// First run in an untrusted (Restricted Mode) workspace: the busy default port, the config created on
// first run, workspace settings that must not count, the welcome view, Import Servers and Add Server.
// One editor launch for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { health } from './harness/mcpClient';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { e2eUnavailable } from './harness/tools';
import { acceptInput, answerInput, eventually, extensionLog, pickQuickItem, runCommand, screenshot, showBackendsView, statusBarItem, treeRow } from './harness/workbench';

const unavailable = e2eUnavailable();

describe('1MCP extension on first run in an untrusted workspace', { skip: unavailable }, () => {
  let s: Scenario;
  let busy: Server;
  let busyPort: number;
  let port: number;
  const defaultConfig = (): string => path.join(s.server.home, '.config', '1mcp', 'mcp.json');
  const marker = (): string => path.join(s.server.home, 'workspace-config-ran');

  before(async () => {
    busyPort = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(busyPort, '127.0.0.1', resolve));
    // Would leave a mark in the (throwaway) home if the workspace's config were ever served.
    const workspaceServer = { command: process.execPath, args: ['-e', "require('fs').writeFileSync(require('path').join(process.env.HOME, 'workspace-config-ran'), 'ran')"] };
    s = await startScenario({
      trusted: false,
      settings: { 'onemcp.port': busyPort },
      files: {
        'workspace/.vscode/settings.json': JSON.stringify({ 'onemcp.configPath': '${workspaceFolder}/agent.json', 'onemcp.port': await freePort() }),
        'workspace/agent.json': JSON.stringify({ mcpServers: { 'from-workspace': workspaceServer } }),
        'workspace/.vscode/mcp.json': JSON.stringify({ servers: { 'workspace-only': backends.memory } }),
        'home/.config/Claude/claude_desktop_config.json': JSON.stringify({ mcpServers: { memory: { ...backends.memory, env: { MEMORY_FILE_PATH: '/tmp/unused.jsonl' } } } }),
        'home/.cursor/mcp.json': JSON.stringify({ mcpServers: { 'cursor everything': backends.everything } }),
      },
    });
  });
  afterEach((t) => screenshotAfter(s, 'untrusted', t.name));
  after(async () => {
    await stopScenario(s, 'untrusted');
    busy.close();
  });

  test('activates in Restricted Mode and reports the busy port with "Use another port"', async () => {
    await s.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: `port ${busyPort} on 127.0.0.1 is already in use` });
    await toast.waitFor();
    assert.match(await statusBarItem(s.page).innerText(), /1MCP/);
    await screenshot(s.page, 'untrusted-01-port-in-use');
    await toast.locator('.monaco-button', { hasText: 'Use another port' }).click();
    const input = s.page.locator('.quick-input-widget input');
    await input.waitFor();
    port = Number(await input.inputValue());
    assert.ok(port > 0 && port !== busyPort);
    await input.press('Enter');
    await eventually('the agent on the chosen port', async () => (await health(port)) !== undefined);
    const settings = JSON.parse(readFileSync(path.join(s.server.userDataDir, 'User', 'settings.json'), 'utf8'));
    assert.equal(settings['onemcp.port'], port);
  });

  test('serves the user-level default config, created empty on first run, and ignores the workspace settings', async () => {
    assert.deepEqual(JSON.parse(readFileSync(defaultConfig(), 'utf8')), { mcpServers: {} });
    assert.deepEqual((await health(port))?.backends, []);
    assert.equal(existsSync(marker()), false);
    assert.match(extensionLog(s.server.userDataDir), new RegExp(`Created ${defaultConfig().replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(extensionLog(s.server.userDataDir), /agent\.json/);
  });

  test('the empty Backends view offers Add Server, Import Servers and Open Config', async () => {
    await showBackendsView(s.page);
    const welcome = s.page.locator('.welcome-view-content', { hasText: 'No MCP servers configured yet' });
    await welcome.waitFor();
    for (const label of ['Add Server', 'Import Servers', 'Open Config']) await welcome.locator('.monaco-button', { hasText: label }).waitFor();
    await eventually('status bar 1MCP 0/0', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 0/0'));
    await screenshot(s.page, 'untrusted-02-welcome');
  });

  test("Import Servers offers other apps' servers, not the untrusted workspace's, and backs the config up", async () => {
    await s.page.locator('.welcome-view-content .monaco-button', { hasText: 'Import Servers' }).click();
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Claude Desktop' }).waitFor();
    const rows = await s.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('cursor-everything') && r.includes('Cursor')), rows.join(' | '));
    assert.ok(!rows.some((r) => r.includes('workspace-only')), rows.join(' | '));
    await screenshot(s.page, 'untrusted-03-import');
    await pickQuickItem(s.page, 'cursor-everything'); // untick: import only the Claude Desktop one
    await s.page.locator('.quick-input-widget input').press('Enter');
    await treeRow(s.page, 'memory: connected').waitFor();
    const config = JSON.parse(readFileSync(defaultConfig(), 'utf8'));
    assert.deepEqual(Object.keys(config.mcpServers), ['memory']);
    const backups = readdirSync(path.dirname(defaultConfig())).filter((f) => f.startsWith('mcp.json.bak-'));
    assert.equal(backups.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(path.join(path.dirname(defaultConfig()), backups[0] ?? ''), 'utf8')), { mcpServers: {} });
  });

  test('Add Server walks through a stdio server and the tree shows it connected', async () => {
    await runCommand(s.page, '1MCP: Add Server');
    await pickQuickItem(s.page, 'Command (stdio)');
    await answerInput(s.page, [backends.everything.command, ...backends.everything.args].join(' '));
    const name = s.page.locator('.quick-input-widget input');
    await eventually('the suggested name', async () => (await name.inputValue()) === 'everything');
    await acceptInput(s.page);
    await answerInput(s.page, 'demo, reference');
    await treeRow(s.page, 'everything: connected').waitFor();
    await eventually('status bar 1MCP 2/2', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 2/2'));
    const entry = JSON.parse(readFileSync(defaultConfig(), 'utf8')).mcpServers.everything;
    assert.deepEqual(entry, { ...backends.everything, tags: ['demo', 'reference'] });
    assert.equal(existsSync(marker()), false);
    await screenshot(s.page, 'untrusted-04-added');
  });

  test('with onemcp.auth.enabled on, a client that registers is listed in the Clients view', async () => {
    await runCommand(s.page, 'Preferences: Open User Settings');
    await s.page.keyboard.type('onemcp.auth.enabled');
    await s.page.locator('.setting-item-contents[data-key="onemcp.auth.enabled"] .setting-value-checkbox').click();
    await eventually('the agent restarted with auth', async () => (await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST' }).catch(() => undefined))?.status === 401);
    const registration = await fetch(`http://127.0.0.1:${port}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'E2E Client', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none' }),
    });
    assert.equal(registration.status, 201);
    await runCommand(s.page, 'View: Close All Editors');
    await showBackendsView(s.page);
    await treeRow(s.page, 'E2E Client: no grant').waitFor();
    await screenshot(s.page, 'untrusted-05-clients');
  });
});
