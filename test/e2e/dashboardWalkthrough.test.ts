import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startProtectedBackend, type ProtectedBackend } from '../fixtures/protectedBackend';
import { browserUnavailable, launchChromium, screenshotPath } from '../helpers/browser';
import { connectClient, firstText, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

const skip = browserUnavailable();

describe('the OAuth dashboard walkthrough in a real browser', { skip }, () => {
  let service: ProtectedBackend;
  let running: RunningAgent;
  let browser: Browser;
  let page: Page;
  const row = (name: string) => page.locator(`#backend-${name}`);
  const shot = (name: string) => page.screenshot({ path: screenshotPath('dashboard', name), fullPage: true });

  before(async () => {
    service = await startProtectedBackend();
    running = await startAgent({ mcpServers: { local: fixtureEntry('local', { tags: ['local'] }), locked: { url: service.url, tags: ['remote'] } } });
    await settled(running.agent);
    browser = await launchChromium();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await running?.close();
    await service?.close();
  });

  it('1. lists every backend with its status', async () => {
    await page.goto(`${running.base}/oauth`);
    await assert.doesNotReject(page.getByRole('heading', { name: 'Backends' }).waitFor());
    assert.equal(await row('local').locator('.status').textContent(), 'Connected');
    await shot('1-backends');
  });

  it('2. shows the protected backend Awaiting OAuth with an Authorize button', async () => {
    assert.equal(await row('locked').locator('.status').textContent(), 'Awaiting OAuth');
    assert.equal(await row('locked').getByRole('button', { name: 'Authorize locked' }).count(), 1);
  });

  it("3. Authorize leads to the service's own sign-in page, where the user grants access", async () => {
    await row('locked').getByRole('button', { name: 'Authorize locked' }).click();
    await page.getByRole('heading', { name: 'Sign in to the protected fixture' }).waitFor();
    assert.ok(page.url().startsWith(new URL(service.url).origin));
    await shot('3-service-sign-in');
    await page.getByRole('button', { name: 'Allow' }).click();
  });

  it('4. back on the dashboard, a prompt asks to approve the connection', async () => {
    await page.getByRole('heading', { name: 'Connect locked?' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/oauth');
    await shot('4-approve-connection');
    const html = await page.content();
    for (const token of service.issuedTokens) assert.ok(!html.includes(token), 'no token in the page');
    await page.locator('#connect-locked').getByRole('button', { name: 'Approve' }).click();
  });

  it('5. the backend turns Connected and its tools reach clients', async () => {
    const client = await connectClient(running.url);
    await waitFor(async () => {
      await page.goto(`${running.base}/oauth`);
      return (await row('locked').locator('.status').textContent()) === 'Connected';
    }, 'Connected on the dashboard');
    await shot('5-connected');
    assert.equal(firstText(await client.callTool({ name: 'locked_1mcp_echo', arguments: { text: 'hello' } })), 'protected: hello');
    assert.equal(await row('locked').getByRole('button', { name: 'Sign out locked' }).count(), 1);
    await client.close();
    const log = running.logs.join('\n');
    for (const token of service.issuedTokens) assert.ok(!log.includes(token), 'no token in the log');
  });
});
