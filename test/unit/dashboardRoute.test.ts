import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { Aggregator } from '../../src/core/aggregate/aggregator';
import { ALL_BACKENDS } from '../../src/core/filter/selector';
import { createApp } from '../../src/core/http/createApp';
import { allowedHostnames } from '../../src/core/http/hostGuard';
import { silentLogger } from '../../src/core/logger';

void it('serves the dashboard with a strict CSP even when client authorization is off', async () => {
  const hub = new Aggregator({ logger: silentLogger, clientInfo: { name: 'test', version: '0' } });
  const app = createApp({
    hub,
    logger: silentLogger,
    allowedHosts: allowedHostnames('127.0.0.1'),
    selectorFor: () => ALL_BACKENDS,
    requestOwner: () => undefined,
    health: () => ({}),
    completeBackendLogin: () => Promise.resolve(),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await fetch(`${base}/oauth`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const body = await page.text();
    assert.match(body, /<html lang="en">/);
    assert.match(body, /Client authorization is off/);
    assert.equal((await fetch(`${base}/.well-known/oauth-authorization-server`)).status, 404, 'no OAuth endpoints without --enable-auth');
    const post = await fetch(`${base}/oauth/clients/x/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=guess' });
    assert.equal(post.status, 403);
    const crossOrigin = await fetch(`${base}/oauth/clients/x/revoke`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    assert.equal(crossOrigin.status, 403, 'the Origin guard applies');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await hub.close();
  }
});
