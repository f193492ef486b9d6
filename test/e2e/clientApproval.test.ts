import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { connect, redirectListener, startAgent, startAuthorization, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import { browserUnavailable, launchChromium, screenshotPath } from '../helpers/browser';
import { waitFor } from '../helpers/harness';

const skip = browserUnavailable();

describe('a client asks for access and the user approves fewer tags in a real browser', { skip }, () => {
  let h: Harness;
  let browser: Browser;
  let listener: Awaited<ReturnType<typeof redirectListener>>;

  before(async () => {
    h = await startAgent();
    listener = await redirectListener();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await listener?.close();
    await h?.close();
  });

  it('waits on the authorization page, approves on the dashboard, and confines the client', async () => {
    const provider = new TestOAuthProvider(listener.url, 'Browser Test Client');
    const transport = await startAuthorization(h.mcpUrl, provider);
    assert.ok(provider.authorizationUrl);

    const clientPage = await browser.newPage();
    await clientPage.goto(provider.authorizationUrl.href);
    await clientPage.getByText(/approve/i).first().waitFor();
    await clientPage.screenshot({ path: screenshotPath('client-approval', '1-waiting'), fullPage: true });

    const dashboard = await browser.newPage();
    await dashboard.goto(`${h.base}/oauth`);
    const request = dashboard.locator('article', { hasText: 'Browser Test Client' });
    await request.waitFor();
    assert.match(await request.locator('dd.origin').innerText(), /^this machine$/, 'the request says where it came from');
    assert.equal(await request.getByLabel('a', { exact: true }).isChecked(), true);
    await request.getByLabel('b', { exact: true }).uncheck();
    await dashboard.screenshot({ path: screenshotPath('client-approval', '2-dashboard'), fullPage: true });
    await request.getByRole('button', { name: 'Approve' }).click();

    await waitFor(() => listener.received.length > 0, 'the browser to return to the client');
    const query = listener.received[0];
    assert.equal(query?.get('state'), provider.stateValue);
    assert.ok(query?.get('code'));
    await transport.finishAuth(query?.get('code') ?? '');
    const client = await connect(h.mcpUrl, provider);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.some((n) => n.startsWith('alpha_1mcp_')));
    assert.ok(!names.some((n) => n.startsWith('beta_1mcp_')), 'the unticked tag is not granted');
    await client.close();
  });
});
