// The extension from its .vsix in a real VS Code (code-server) with client authorization on: an outside
// client approved with fewer tags from the notification and the dashboard webview, a protected backend
// signed in through its own consent page, VS Code's own MCP client approved once, Revoke, and a window
// reload that keeps every grant. One editor launch for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Frame, Page } from 'playwright-core';
import { startProtectedBackend, type ProtectedBackend } from '../fixtures/protectedBackend';
import { connect, INITIALIZE, rawMcpPost, redirectListener, startAuthorization, TestOAuthProvider } from '../helpers/authHarness';
import { health } from './harness/mcpClient';
import { backends, freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { secretNowhere } from './harness/secrets';
import { e2eUnavailable } from './harness/tools';
import { contextMenu, eventually, filesUnder, frameWith, hidePanel, pickQuickItem, runCommand, screenshot, showBackendsView, treeRow } from './harness/workbench';

const unavailable = e2eUnavailable();

describe('1MCP extension with client authorization on', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  let service: ProtectedBackend;
  let listener: Awaited<ReturnType<typeof redirectListener>>;
  /** The outside client's OAuth side (registration, tokens), as a native app keeps it. */
  let provider: TestOAuthProvider;
  const mcpUrl = (): URL => new URL(`http://127.0.0.1:${port}/mcp`);
  const toast = (text: string | RegExp) => s.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  const dashboard = (): Promise<Frame> => frameWith(s.page, '#backends');
  const tools = async (client: Client): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);

  before(async () => {
    port = await freePort();
    service = await startProtectedBackend();
    listener = await redirectListener();
    const config = {
      mcpServers: {
        everything: { ...backends.everything, tags: ['demo'] },
        memory: { ...backends.memory, tags: ['memory'], env: { MEMORY_FILE_PATH: '${env:HOME}/memory.jsonl' } },
        locked: { url: service.url, tags: ['remote'] },
      },
    };
    s = await startScenario({
      trusted: true,
      settings: { 'onemcp.port': port, 'onemcp.configPath': '~/mcp.json', 'onemcp.auth.enabled': true, 'onemcp.auth.scopeValidation': true },
      files: { 'home/mcp.json': JSON.stringify(config, null, 2) },
    });
  });
  afterEach((t) => screenshotAfter(s, 'auth', t.name));
  after(async () => {
    await stopScenario(s, 'auth');
    await listener?.close();
    await service?.close();
  });

  test('an outside client asks for access: a notification names it and its tags, Review opens the dashboard at the request', async () => {
    await eventually('the agent with its local backends', async () => (await health(port))?.backends.filter((b) => b.status === 'connected').length === 2);
    provider = new TestOAuthProvider(listener.url, 'E2E Outside Client');
    const transport = await startAuthorization(mcpUrl(), provider);
    assert.ok(provider.authorizationUrl);
    // The client opens its browser at /authorize: the page waits for the decision in VS Code.
    const clientPage = await s.browser.newPage();
    await clientPage.goto(provider.authorizationUrl.href);
    await clientPage.getByText(/in VS Code/).first().waitFor();
    await screenshot(clientPage, 'auth-01-client-waiting');

    const request = toast('From this machine: "E2E Outside Client" asks for access to tags demo, memory, remote');
    await request.waitFor();
    await screenshot(s.page, 'auth-02-request-notification');
    await request.locator('.monaco-button', { hasText: 'Review' }).click();
    const frame = await frameWith(s.page, 'article[data-client="E2E Outside Client"]');
    const article = frame.locator('article[data-client="E2E Outside Client"]');
    await frame.locator('article.revealed[data-client="E2E Outside Client"]').waitFor();
    assert.match(await article.innerText(), new RegExp(listener.url.replace(/[.:/]/g, '\\$&')));
    assert.equal(await article.locator('dd.origin').innerText(), 'this machine', 'the request says where it came from');
    const memory = article.locator('vscode-checkbox[data-tag="memory"]');
    assert.equal(await memory.getAttribute('aria-checked'), 'true');
    await memory.click();
    await eventually('memory unticked', async () => (await memory.getAttribute('aria-checked')) === 'false');
    await screenshot(s.page, 'auth-03-dashboard-request', { readme: 'approval' });
    await article.locator('vscode-button[data-decision="approve"]').click();

    await eventually('the browser to return to the client', () => listener.received.length > 0);
    const query = listener.received[0];
    assert.equal(query?.get('state'), provider.stateValue);
    await clientPage.close();
    await transport.finishAuth(query?.get('code') ?? '');
  });

  test('the approved client sees only the backends of the tags granted, and the Clients view lists it', async () => {
    const client = await connect(mcpUrl(), provider);
    const names = await tools(client);
    await client.close();
    assert.ok(names.some((n) => n.startsWith('everything_1mcp_')), names.join(', '));
    assert.ok(!names.some((n) => n.startsWith('memory_1mcp_')), 'the unticked tag is not granted');
    await showBackendsView(s.page);
    await treeRow(s.page, 'E2E Outside Client: authorized for #demo #remote').waitFor();
  });

  test('a request decided in the dashboard while its notification is open: the status bar says how it ended, a late click only tells', async () => {
    const second = new TestOAuthProvider(listener.url, 'E2E Second Client');
    await startAuthorization(mcpUrl(), second);
    const clientPage = await s.browser.newPage();
    await clientPage.goto(second.authorizationUrl?.href ?? '');
    await toast('"E2E Second Client" asks for access').waitFor();
    await runCommand(s.page, '1MCP: Open Dashboard');
    await (await dashboard()).locator('article[data-client="E2E Second Client"] vscode-button[data-decision="deny"]').click();
    await s.page.locator('.statusbar', { hasText: 'the request from "E2E Second Client" was denied' }).waitFor();
    await eventually('the browser sent back with access_denied', () => listener.received.some((q) => q.get('error') === 'access_denied' && q.get('state') === second.stateValue));
    await clientPage.close();
    await runCommand(s.page, 'Notifications: Show Notifications');
    const stale = s.page.locator('.notifications-center .monaco-list-row', { hasText: '"E2E Second Client" asks for access' });
    await stale.locator('.monaco-button', { hasText: 'Review' }).click();
    await toast('the request from "E2E Second Client" was denied.').waitFor();
    await screenshot(s.page, 'auth-03b-stale-notification');
    await runCommand(s.page, 'Notifications: Clear All Notifications');
  });

  test('the protected backend: Awaiting OAuth, Authorize, the service’s consent page, "Connect locked?", Connected', async () => {
    await treeRow(s.page, 'locked: awaiting OAuth').waitFor();
    const popups: string[] = [];
    s.page.context().on('page', (page: Page) => popups.push(page.url()));
    await contextMenu(s.page, treeRow(s.page, 'locked: awaiting OAuth'), 'Authorize Backend');
    // Authorize opened the service's sign-in page externally; the dashboard links to the same page.
    await runCommand(s.page, '1MCP: Open Dashboard');
    const link = (await dashboard()).locator('a.sign-in-link[data-backend="locked"]');
    await link.waitFor();
    const signIn = new URL((await link.getAttribute('href')) ?? '');
    assert.equal(signIn.origin, new URL(service.url).origin);
    assert.equal(signIn.searchParams.get('redirect_uri'), `http://127.0.0.1:${port}/oauth/callback/locked`);

    const browserPage = await s.browser.newPage();
    await browserPage.goto(signIn.href);
    await browserPage.getByRole('heading', { name: 'Sign in to the protected fixture' }).waitFor();
    await screenshot(browserPage, 'auth-04-service-consent');
    await browserPage.getByRole('button', { name: 'Allow' }).click();
    await browserPage.waitForURL(/\/oauth#connect-locked$/);
    await browserPage.close();

    const prompt = toast('Connect locked?');
    await prompt.waitFor();
    await (await dashboard()).locator('article[data-connection="locked"]').waitFor();
    await screenshot(s.page, 'auth-05-connect-prompt');
    await prompt.locator('.monaco-button', { hasText: 'Approve' }).click();
    await (await dashboard()).locator('tr[data-backend="locked"][data-status="connected"]').waitFor();
    await showBackendsView(s.page);
    await treeRow(s.page, 'locked: connected').waitFor();
    await screenshot(s.page, 'auth-06-locked-connected');
    console.log(`# external pages opened by Authorize: ${popups.join(', ') || 'none seen by the browser'}`);
  });

  test("VS Code's own MCP client reaches the agent after one approval, with no browser", async () => {
    const sessions = (await health(port))?.sessions ?? 0;
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Start Server');
    const request = toast('VS Code’s own MCP client ("code-server") asks for access to tags demo, memory, remote');
    await request.waitFor();
    await request.locator('.monaco-button', { hasText: 'Review' }).click();
    const article = (await dashboard()).locator('article.revealed[data-client="code-server"]');
    await article.waitFor();
    assert.match(await article.innerText(), /this editor/);
    await screenshot(s.page, 'auth-07-editor-request');
    await article.locator('vscode-button[data-decision="approve"]').click();
    await eventually('a session from VS Code', async () => ((await health(port))?.sessions ?? 0) > sessions);
    await assertEditorClientRunning();
    await screenshot(s.page, 'auth-08-editor-running');
  });

  test('tokens live only in SecretStorage: not in settings, state, logs or browser storage', async () => {
    const outsideTokens = provider.tokens();
    assert.ok(outsideTokens?.refresh_token && service.issuedTokens.length > 0);
    for (const secret of [outsideTokens.access_token, outsideTokens.refresh_token, ...service.issuedTokens]) await secretNowhere(s, secret);
    // The editor's own grant (client id + refresh token) is a JSON value in SecretStorage; its field
    // names would show up wherever it was written in clear.
    const files = filesUnder(s.server.root).filter((f) => !f.endsWith('.sock') && !f.includes('/extensions/'));
    assert.deepEqual(files.filter((f) => /"(refreshToken|accessToken|access_token|refresh_token)"/.test(readFileSync(f, 'latin1'))), []);
  });

  test('reloading the window keeps every grant: no new approval, the client and VS Code’s client still get in', async () => {
    await runCommand(s.page, 'Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor();
    await eventually('the agent back with every backend connected', async () => (await health(port))?.backends.every((b) => b.status === 'connected'));
    const client = await connect(mcpUrl(), provider);
    assert.ok((await tools(client)).some((n) => n.startsWith('locked_1mcp_')), 'the outside client sees the signed-in backend');
    await client.close();
    await runCommand(s.page, 'MCP: List Servers');
    await pickQuickItem(s.page, '1MCP Agent');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: /^(Start|Restart) Server/ }).first().click();
    await assertEditorClientRunning();
    assert.equal(await toast('asks for access').count(), 0, 'nobody was asked again');
    await screenshot(s.page, 'auth-09-after-reload');
  });

  test('Revoke Client in the Clients view ends the client’s access at once', async () => {
    await hidePanel(s.page);
    await showBackendsView(s.page);
    await contextMenu(s.page, treeRow(s.page, 'E2E Outside Client'), 'Revoke Client');
    const dialog = s.page.locator('.monaco-dialog-box', { hasText: 'Revoke "E2E Outside Client"?' });
    await dialog.locator('.monaco-button', { hasText: 'Revoke' }).click();
    await treeRow(s.page, 'E2E Outside Client').waitFor({ state: 'detached' });
    const response = await rawMcpPost(mcpUrl(), INITIALIZE, { authorization: `Bearer ${provider.tokens()?.access_token ?? ''}` });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test("Revoke Client from the palette on VS Code's own client stops its connection; its next start asks again", async () => {
    await runCommand(s.page, '1MCP: Revoke Client');
    await pickQuickItem(s.page, 'code-server');
    await s.page.locator('.monaco-dialog-box', { hasText: 'Revoke "code-server"?' }).locator('.monaco-button', { hasText: 'Revoke' }).click();
    await runCommand(s.page, 'MCP: List Servers');
    await s.page.locator('.quick-input-list .monaco-list-row[aria-label^="1MCP Agent, Stopped"]').waitFor();
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Start Server');
    const request = toast('VS Code’s own MCP client ("code-server") asks for access');
    await request.waitFor();
    await request.locator('.monaco-button', { hasText: 'Deny' }).click();
    await toast('VS Code’s own MCP client was not authorized').waitFor();
    assert.equal(await s.page.locator('.monaco-dialog-box').count(), 0, 'VS Code did not start a sign-in of its own');
    await screenshot(s.page, 'auth-10-editor-denied');
  });

  test('Sign Out in the dashboard deletes the backend’s sign-in: it awaits OAuth again', async () => {
    await runCommand(s.page, '1MCP: Open Dashboard');
    const frame = await dashboard();
    await frame.locator('vscode-button[data-command="onemcp.signOutBackend"][data-arg="locked"]').click();
    await frame.locator('tr[data-backend="locked"][data-status="awaiting_oauth"]').waitFor();
    await frame.locator('vscode-button[data-command="onemcp.authorizeBackend"][data-arg="locked"]').waitFor();
    await showBackendsView(s.page);
    await treeRow(s.page, 'locked: awaiting OAuth').waitFor();
  });

  /**
   * MCP: List Servers says Running, and VS Code's MCP output logged the tools/list the agent answered:
   * every backend's tools, since the editor was granted every tag.
   */
  async function assertEditorClientRunning(): Promise<void> {
    await runCommand(s.page, 'MCP: List Servers');
    await s.page.locator('.quick-input-list .monaco-list-row[aria-label^="1MCP Agent, Running"]').waitFor();
    await pickQuickItem(s.page, '1MCP Agent');
    await pickQuickItem(s.page, 'Show Output');
    const total = ((await health(port))?.backends ?? []).reduce((sum, b) => sum + b.tools, 0);
    await s.page.locator('.output-view, .panel', { hasText: `Discovered ${total} tools` }).first().waitFor();
  }
});
