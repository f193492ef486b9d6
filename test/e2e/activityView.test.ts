// The Activity view in a real VS Code (code-server), two windows of it: an outside client's calls show
// in the window that serves the agent and in one that follows it, as they are made; the status bar
// counts them; the view filters by server and clears.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { health, withMcpClient } from './harness/mcpClient';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { e2eUnavailable } from './harness/tools';
import { eventually, openWindow, pickQuickItem, runCommand, screenshot, showBackendsView, statusBarItem } from './harness/workbench';

const unavailable = e2eUnavailable();

/** A row of the Activity view, by what a screen reader says of it: `<time>, <client> called <server › tool>: <outcome>, <duration>`. */
function callRow(page: Page, text: string) {
  return page.locator(`#workbench\\.parts\\.sidebar .monaco-list-row[aria-label*="${text}"]`);
}

/** Shows the 1MCP container, whose Activity view is open below Backends and Clients. */
async function showActivity(page: Page): Promise<void> {
  await showBackendsView(page);
  await page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Activity' }).first().waitFor();
}

describe('the Activity view', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  let follower: Page | undefined;
  const url = (): string => `http://127.0.0.1:${port}/mcp`;
  const call = (name: string): Promise<unknown> => withMcpClient(url(), (client) => client.callTool({ name, arguments: {} }).catch((error: unknown) => error));

  before(async () => {
    port = await freePort();
    s = await startScenario({
      trusted: true,
      settings: { 'onemcp.port': port, 'onemcp.configPath': '~/mcp.json' },
      files: { 'home/mcp.json': JSON.stringify({ mcpServers: { pids: backends.pid } }, null, 2) },
    });
    await eventually('the agent to serve with its backend connected', async () => (await health(port))?.backends.every((b) => b.status === 'connected') && (await health(port))?.backends.length === 1);
  });
  afterEach((t) => screenshotAfter(s && follower && !follower.isClosed() ? { ...s, page: follower } : s, 'activity', t.name));
  after(() => stopScenario(s, 'activity'));

  test('a client’s calls show in the serving window, newest first, with how each ended; the status bar counts them', async () => {
    await showActivity(s.page);
    await call('pids_1mcp_pid');
    await call('pids_1mcp_missing');
    await callRow(s.page, 'e2e-outside-client called pids › pid: ok').waitFor();
    const failed = callRow(s.page, 'e2e-outside-client called pids_1mcp_missing: error');
    await failed.waitFor();
    const labels = await s.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-label*=" called "]').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
    assert.ok(labels.findIndex((l) => l.includes('pids_1mcp_missing')) < labels.findIndex((l) => l.includes('pids › pid')), `newest first: ${labels.join(' | ')}`);
    assert.equal(await failed.locator('.codicon-error').count(), 1, 'an error icon');
    await failed.hover();
    await s.page.locator('.monaco-hover', { hasText: 'pids_1mcp_missing' }).filter({ hasText: 'not found' }).waitFor();
    // The tooltip is brought up to date a moment after the calls (they come in bursts); an open hover
    // keeps what it showed, so it is opened again until it counts them.
    await eventually('the status bar tooltip to count the calls', async () => {
      await s.page.mouse.move(700, 400);
      await statusBarItem(s.page).hover();
      return s.page.locator('.monaco-hover', { hasText: 'Last hour: 2 calls, 1 failed' }).waitFor({ timeout: 5_000 }).then(() => true, () => false);
    });
    await screenshot(s.page, 'activity-01-serving', { readme: 'activity' });
  });

  test('a following window shows the same calls, and each new one as it is made', async () => {
    follower = await openWindow(s.browser, s.server.url);
    await statusBarItem(follower).filter({ hasText: '1MCP 1/1' }).waitFor();
    await showActivity(follower);
    await callRow(follower, 'e2e-outside-client called pids_1mcp_missing: error').waitFor();
    await callRow(follower, 'e2e-outside-client called pids › pid: ok').waitFor();
    await call('pids_1mcp_pid');
    await eventually('the new call in the follower', async () => (await callRow(follower as Page, 'called pids › pid: ok').count()) === 2);
    await eventually('the new call in the serving window', async () => (await callRow(s.page, 'called pids › pid: ok').count()) === 2);
    await screenshot(follower, 'activity-02-follower');
  });

  test('filters by server, and clears', async () => {
    const page = follower as Page;
    await runCommand(page, '1MCP: Filter Activity…');
    await pickQuickItem(page, 'Server: pids');
    await eventually('the call to no server to be filtered out', async () => (await callRow(page, 'pids_1mcp_missing').count()) === 0);
    assert.equal(await callRow(page, 'called pids › pid: ok').count(), 2);
    await page.locator('.pane-header', { hasText: 'Activity' }).filter({ hasText: 'server pids' }).waitFor();
    await runCommand(page, '1MCP: Clear Activity');
    await page.locator('.welcome-view-content', { hasText: 'No calls to show' }).waitFor();
    await call('pids_1mcp_pid');
    await eventually('only the call after Clear', async () => (await callRow(page, 'called pids › pid: ok').count()) === 1);
  });
});
