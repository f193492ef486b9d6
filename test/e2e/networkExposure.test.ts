// `onemcp.host` set to every interface with client authorization off: the agent does not start, says
// why in a notification and the status bar, and "Turn On Authorization" fixes it; then a request for
// access from the network says so, with its address, in the editor's notification. One editor launch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startAuthorization, TestOAuthProvider } from '../helpers/authHarness';
import { health } from './harness/mcpClient';
import { freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { e2eUnavailable } from './harness/tools';
import { eventually, screenshot, statusBarItem } from './harness/workbench';

const unavailable = e2eUnavailable();
/** This machine's address on the network, where a neighbour would connect. */
const ownAddress = Object.values(networkInterfaces()).flatMap((list) => list ?? []).find((i) => i.family === 'IPv4' && !i.internal)?.address;

describe('1MCP extension bound to every interface', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;

  before(async () => {
    port = await freePort();
    s = await startScenario({ trusted: true, settings: { 'onemcp.port': port, 'onemcp.host': '0.0.0.0' } });
  });
  afterEach((t) => screenshotAfter(s, 'exposure', t.name));
  after(() => stopScenario(s, 'exposure'));

  test('does not start without client authorization, and says why in a notification and the status bar', async () => {
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'Client authorization is off' });
    await toast.waitFor();
    assert.match(await toast.innerText(), new RegExp(`does not listen on all interfaces \\(0\\.0\\.0\\.0:${port}\\)`));
    assert.equal(await health(port), undefined, 'nothing listens');
    const item = statusBarItem(s.page);
    await item.hover();
    const hover = s.page.locator('.monaco-hover', { hasText: 'did not start' });
    await hover.waitFor();
    assert.match(await hover.innerText(), /Client authorization is off/);
    await screenshot(s.page, 'exposure-01-refused');
  });

  test('"Turn On Authorization" saves onemcp.auth.enabled and the agent serves every interface, tokens required', async () => {
    await s.page.mouse.move(700, 300); // away from the status bar hover; Escape would hide the toast
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'Client authorization is off' });
    await toast.locator('.monaco-button', { hasText: 'Turn On Authorization' }).click();
    await eventually('the setting saved', () => JSON.parse(readFileSync(path.join(s.server.userDataDir, 'User', 'settings.json'), 'utf8'))['onemcp.auth.enabled'] === true);
    await eventually('the agent running', async () => (await health(port)) !== undefined);
    const unauthenticated = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unauthenticated.status, 401);
    if (ownAddress) {
      const fromNetwork = await fetch(`http://${ownAddress}:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(fromNetwork.status, 401, 'the network address answers, and wants a token');
    }
    await eventually('status bar 1MCP 0/0', async () => (await statusBarItem(s.page).innerText()).includes('1MCP 0/0'));
    await statusBarItem(s.page).hover();
    const hover = s.page.locator('.monaco-hover', { hasText: 'all interfaces' });
    await hover.waitFor();
    const text = await hover.innerText();
    assert.match(text, new RegExp(`on all interfaces \\(0\\.0\\.0\\.0:${port}\\), reachable at http://127\\.0\\.0\\.1:${port}/mcp`));
    if (ownAddress) assert.ok(text.includes(`http://${ownAddress}:${port}/mcp`), text);
    await screenshot(s.page, 'exposure-02-all-interfaces');
  });

  test('a request for access from the network names its address in the notification', { skip: !ownAddress && 'this machine has no network address' }, async () => {
    const provider = new TestOAuthProvider('https://neighbour.example/callback', 'Neighbour App');
    await startAuthorization(new URL(`http://${ownAddress}:${port}/mcp`), provider);
    assert.ok(provider.authorizationUrl);
    const page = await fetch(provider.authorizationUrl);
    assert.equal(page.status, 200, await page.text());
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'Neighbour App' });
    await toast.waitFor();
    const text = await toast.innerText();
    assert.ok(text.includes(`From the network (${ownAddress ?? ''}): "Neighbour App" asks for access`), text);
    assert.ok(text.includes('It came from another machine: approve only if you started it there.'), text);
    await screenshot(s.page, 'exposure-03-request-from-network');
  });
});
