import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startAgent } from '../helpers/harness';

void it('serves the dashboard with a strict CSP even when client authorization is off', async () => {
  const running = await startAgent({ mcpServers: {} });
  const base = running.base;
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
    for (const action of ['authorize', 'sign-out', 'connection']) {
      const forged = await fetch(`${base}/oauth/backends/x/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=guess&decision=approve' });
      assert.equal(forged.status, 403, `${action} needs the dashboard's CSRF token`);
    }
    const crossOrigin = await fetch(`${base}/oauth/clients/x/revoke`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    assert.equal(crossOrigin.status, 403, 'the Origin guard applies');
  } finally {
    await running.close();
  }
});
