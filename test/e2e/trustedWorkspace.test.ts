// The extension installed from its .vsix in a real VS Code (code-server), in a trusted workspace: the
// tree, the status bar, palette commands, the dashboard, ${input:} secrets, VS Code's own MCP client,
// a port change and a window reload. One editor launch for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { e2eUnavailable } from './harness/tools';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { health, toolNames, withMcpClient } from './harness/mcpClient';
import { alive, processesWith } from './harness/processes';
import { contextMenu, eventually, hidePanel, extensionLog, frameWith, pickQuickItem, runCommand, screenshot, showBackendsView, statusBarItem, treeRow } from './harness/workbench';
import { secretNowhere } from './harness/secrets';

const SECRET = `tok-${Date.now().toString(36)}-e2e-Secret`;
const unavailable = e2eUnavailable();

describe('1MCP extension in a trusted workspace', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  const configFile = (): string => path.join(s.server.home, 'mcp.json');

  before(async () => {
    port = await freePort();
    const config = {
      mcpServers: {
        everything: { ...backends.everything, tags: ['demo', 'reference'] },
        memory: { ...backends.memory, tags: ['memory'], env: { MEMORY_FILE_PATH: '${env:HOME}/memory.jsonl' } },
        secret: { ...backends.secret, tags: ['secret'], env: { FIXTURE_TOKEN: '${input:fixture-token}' } },
        broken: { command: process.execPath, args: ['/nonexistent/onemcp-e2e-missing.js'], restartOnExit: false },
        off: { ...backends.memory, disabled: true },
      },
      inputs: [{ id: 'fixture-token', description: 'Token for the secret fixture', password: true }],
    };
    s = await startScenario({
      trusted: true,
      settings: { 'onemcp.port': port, 'onemcp.configPath': '~/mcp.json' },
      files: { 'home/mcp.json': JSON.stringify(config, null, 2) },
    });
  });
  // A picture of the editor after every test, pass or fail: test-results/e2e/trusted-after-*.png.
  afterEach((t) => screenshotAfter(s, 'trusted', t.name));
  after(() => stopScenario(s, 'trusted'));

  test('asks for ${input:fixture-token} once, in a password box', async () => {
    const box = s.page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor();
    assert.match((await s.page.locator('.quick-input-widget').innerText()), /Token for the secret fixture/);
    await screenshot(s.page, 'trusted-01-input-prompt');
    await box.fill(SECRET);
    await box.press('Enter');
  });

  test('the activity bar view lists the backends with their statuses and tools', async () => {
    await s.page.locator('.activitybar [aria-label^="1MCP"]').first().click();
    await treeRow(s.page, 'everything: connected').waitFor();
    for (const label of ['memory: connected, 9 tools', 'secret: connected, 1 tool', 'broken: error', 'off: disabled']) {
      await treeRow(s.page, label).waitFor();
    }
    await treeRow(s.page, 'secret: connected').click();
    await s.page.keyboard.press('ArrowRight');
    await treeRow(s.page, 'tool token_digest').waitFor();
    await treeRow(s.page, 'everything: connected').click();
    await s.page.keyboard.press('ArrowRight');
    await treeRow(s.page, 'tool echo').waitFor();
    await screenshot(s.page, 'trusted-02-tree', { readme: 'tree' });
    await s.page.keyboard.press('ArrowLeft'); // collapse "everything" again: its 17 tools push the other rows out of view
  });

  test('the status bar shows the connected count, warns about the failed backend and links in its tooltip', async () => {
    const item = statusBarItem(s.page);
    await eventually('status bar 1MCP 3/4', async () => (await item.innerText()).includes('1MCP 3/4'));
    assert.match((await item.getAttribute('class')) ?? '', /warning-kind/);
    await item.hover();
    const hover = s.page.locator('.monaco-hover', { hasText: 'backends connected' });
    await hover.waitFor();
    assert.match(await hover.innerText(), new RegExp(`http://127\\.0\\.0\\.1:${port}/mcp`));
    assert.match(await hover.innerText(), /Open Dashboard/);
    // The failed backend and why, in the words the tree and the dashboard use.
    assert.match(await hover.innerText(), /broken — Error: process exited with code 1 — stderr: Error: Cannot find module '\/nonexistent\/onemcp-e2e-missing\.js'/);
    await screenshot(s.page, 'trusted-03-status-tooltip', { readme: 'status-bar' });
    await s.page.mouse.move(700, 400);
    await item.click();
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Dashboard' }).waitFor();
    const actions = await s.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    for (const action of ['Copy Endpoint URL', 'Add Server', 'Restart Agent', 'Stop Agent', 'Open Config', 'Show Logs']) {
      assert.ok(actions.some((a) => a.includes(action)), `${action} in ${actions.join(' | ')}`);
    }
    await s.page.keyboard.press('Escape');
  });

  test('the ${input:} value reached the backend, and is in no file nor browser storage outside SecretStorage', async () => {
    const digest = await withMcpClient(`http://127.0.0.1:${port}/mcp`, async (client) => {
      const result = await client.callTool({ name: 'secret_1mcp_token_digest', arguments: {} });
      return (result.content as { text: string }[])[0]?.text;
    });
    assert.equal(digest, createHash('sha256').update(SECRET).digest('hex'));
    await secretNowhere(s, SECRET);
  });

  test('palette: Copy Endpoint URL with a tag filter selects only the tagged backends', async () => {
    await runCommand(s.page, '1MCP: Copy Endpoint URL');
    await pickQuickItem(s.page, 'Backends with tags');
    await pickQuickItem(s.page, 'memory');
    await s.page.locator('.quick-input-widget input').press('Enter');
    const expected = `http://127.0.0.1:${port}/mcp?tags=memory`;
    await s.page.locator('.notifications-toasts', { hasText: `copied ${expected}` }).waitFor();
    assert.equal(await s.page.evaluate('navigator.clipboard.readText()'), expected);
    const names = await toolNames(expected);
    assert.ok(names.length === 9 && names.every((n) => n.startsWith('memory_1mcp_')), names.join(', '));
  });

  test('palette: Restart Agent restarts it without asking for the stored input again; Show Logs shows the channel', async () => {
    const listening = (): number => extensionLog(s.server.userDataDir).split('1MCP agent listening on').length - 1;
    const before = listening();
    await runCommand(s.page, '1MCP: Restart Agent');
    await eventually('a second listening line', () => listening() > before);
    await eventually('status bar 1MCP 3/4 again', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 3/4'));
    assert.equal(await s.page.locator('.quick-input-widget input[type="password"]').isVisible(), false);
    await runCommand(s.page, '1MCP: Show Logs');
    await s.page.locator('.output-view, .panel', { hasText: 'Agent listening' }).first().waitFor();
    await screenshot(s.page, 'trusted-04-logs');
  });

  test('palette: Stop Agent closes the port and its backends (red status bar); Start Agent brings it back', async () => {
    const item = statusBarItem(s.page);
    const before = processesWith('secretServer.mjs', s.server.home);
    await runCommand(s.page, '1MCP: Stop Agent');
    await eventually('an error-coloured status bar', async () => /error-kind/.test((await item.getAttribute('class')) ?? ''));
    assert.equal(await health(port), undefined);
    await eventually('the backend processes to end', () => before.every((pid) => !alive(pid)));
    await runCommand(s.page, '1MCP: Start Agent');
    await eventually('status bar 1MCP 3/4 again', async () => (await item.innerText()).includes('1MCP 3/4'));
  });

  test('Show Logs on a backend opens its stderr', async () => {
    await showBackendsView(s.page);
    await contextMenu(s.page, treeRow(s.page, 'broken: error'), 'Show Logs');
    const editor = s.page.locator('.editor-instance', { hasText: 'last stderr lines' });
    await editor.waitFor();
    assert.match(await editor.innerText(), /onemcp-e2e-missing/);
    await screenshot(s.page, 'trusted-05-backend-log');
  });

  test('Disable from the tree edits the config; Enable from the dashboard brings the backend back', async () => {
    await showBackendsView(s.page);
    await contextMenu(s.page, treeRow(s.page, 'memory: connected'), 'Disable Backend');
    await treeRow(s.page, 'memory: disabled').waitFor();
    assert.equal(JSON.parse(readFileSync(configFile(), 'utf8')).mcpServers.memory.disabled, true);
    await eventually('status bar 1MCP 2/3', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 2/3'));

    await runCommand(s.page, '1MCP: Open Dashboard');
    const frame = await frameWith(s.page, '#backends');
    await frame.locator('tr[data-backend="memory"][data-status="disabled"]').waitFor();
    await frame.locator('vscode-button[data-command="onemcp.enableBackend"][data-arg="memory"]').click();
    await frame.locator('tr[data-backend="memory"][data-status="connected"]').waitFor();
    assert.equal(JSON.parse(readFileSync(configFile(), 'utf8')).mcpServers.memory.disabled, undefined);
    await frame.locator('tr[data-backend="everything"][data-status="connected"]').waitFor();
    assert.match(await frame.locator('tr[data-backend="broken"] .detail').innerText(), /^process exited with code 1 — stderr: Error: Cannot find module/);
    await hidePanel(s.page);
    await screenshot(s.page, 'trusted-06-dashboard', { readme: 'dashboard' });
  });

  test("VS Code's own MCP client lists the agent, starts it and gets its tools, with no configuration", async () => {
    assert.equal((await health(port))?.sessions, 0);
    await runCommand(s.page, 'MCP: List Servers');
    await s.page.locator('.quick-input-list .monaco-list-row[aria-label^="1MCP Agent, Stopped"]').waitFor();
    await screenshot(s.page, 'trusted-07-mcp-list');
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Start Server');
    await eventually('a session from VS Code', async () => ((await health(port))?.sessions ?? 0) >= 1);
    await runCommand(s.page, 'MCP: List Servers');
    await s.page.locator('.quick-input-list .monaco-list-row[aria-label^="1MCP Agent, Running"]').waitFor();
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Show Output');
    // "Discovered N tools" is VS Code's log line after its tools/list; N is what the agent serves.
    const total = (await toolNames(`http://127.0.0.1:${port}/mcp`)).length;
    await s.page.locator('.output-view, .panel', { hasText: `Discovered ${total} tools` }).first().waitFor();
    await screenshot(s.page, 'trusted-08-mcp-running', { readme: 'vscode-mcp' });
  });

  test("changing onemcp.port in the Settings editor moves the endpoint, for VS Code's MCP client too", async () => {
    const newPort = await freePort();
    await runCommand(s.page, 'Preferences: Open User Settings');
    await s.page.keyboard.type('onemcp.port');
    const input = s.page.locator('.settings-editor input[aria-label="onemcp.port"]');
    await input.fill(String(newPort));
    await input.press('Tab');
    await eventually('the agent on the new port', async () => (await health(newPort))?.backends.find((b) => b.name === 'secret')?.status === 'connected');
    assert.equal(await health(port), undefined);
    assert.ok((await toolNames(`http://127.0.0.1:${newPort}/mcp`)).includes('secret_1mcp_token_digest'));
    assert.equal(JSON.parse(readFileSync(path.join(s.server.userDataDir, 'User', 'settings.json'), 'utf8'))['onemcp.port'], newPort);
    port = newPort;
    await runCommand(s.page, 'View: Close All Editors');
    // VS Code was told the definition changed: (re)starting its client now reaches the new port.
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: /^(Start|Restart) Server/ }).first().click();
    await eventually('a session from VS Code on the new port', async () => ((await health(newPort))?.sessions ?? 0) >= 1);
  });

  test('reloading the window ends every backend process and remembers the stored input', async () => {
    const marker = 'secretServer.mjs';
    const before = processesWith(marker, s.server.home);
    assert.equal(before.length, 1);
    await runCommand(s.page, 'Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor();
    await eventually('the old backend processes to end', () => before.every((pid) => !alive(pid)));
    await eventually('the secret backend connected again', async () => (await health(port))?.backends.find((b) => b.name === 'secret')?.status === 'connected');
    assert.equal(await s.page.locator('.quick-input-widget input[type="password"]').isVisible(), false);
    assert.deepEqual(processesWith(marker, s.server.home).filter((pid) => before.includes(pid)), []);
    await eventually('status bar 1MCP 3/4 after reload', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 3/4'));
    await treeRow(s.page, 'secret: connected').waitFor();
    await screenshot(s.page, 'trusted-09-after-reload');
    const timings = [...extensionLog(s.server.userDataDir).matchAll(/Agent listening ([\d.]+) ms after activation/g)].map((m) => m[1]);
    console.log(`# activation -> listener: ${timings.join(' ms, ')} ms`);
  });

  test('Forget Stored Inputs deletes the value, and the next start asks again', async () => {
    await runCommand(s.page, '1MCP: Forget Stored Inputs');
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'forgot 1 stored input' });
    await toast.locator('.monaco-button', { hasText: 'Restart Agent' }).click();
    const box = s.page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor();
    await box.fill(`${SECRET}-2`);
    await box.press('Enter');
    const digest = createHash('sha256').update(`${SECRET}-2`).digest('hex');
    await eventually('the backend started with the new value', async () =>
      withMcpClient(`http://127.0.0.1:${port}/mcp`, async (client) => {
        const result = await client.callTool({ name: 'secret_1mcp_token_digest', arguments: {} });
        return (result.content as { text: string }[])[0]?.text === digest;
      }),
    );
  });
});
