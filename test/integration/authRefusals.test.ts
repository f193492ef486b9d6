import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  assertNoSecretLogged,
  challengeViolations,
  dashboardForm,
  decideOnDashboard,
  followWaitingPage,
  INITIALIZE,
  openAuthorizationPage,
  postForm,
  rawMcpPost,
  recordingFetch,
  secretsSeen,
  startAgent,
  type Harness,
} from '../helpers/authHarness';

const REDIRECT = 'http://127.0.0.1:45001/cb';

interface Flow {
  readonly clientId: string;
  readonly verifier: string;
  readonly url: URL;
}

void describe('OAuth authorization server refuses what it must', () => {
  let h: Harness;
  before(async () => {
    h = await startAgent();
  });
  after(() => h.close());

  async function register(redirectUris: string[] = [REDIRECT]): Promise<Response> {
    return recordingFetch(`${h.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Refusals', redirect_uris: redirectUris, token_endpoint_auth_method: 'none' }),
    });
  }

  /** A registered client and an authorization URL for it, with `overrides` applied to the parameters. */
  async function flow(overrides: Record<string, string | undefined> = {}): Promise<Flow> {
    const { client_id: clientId } = (await (await register()).json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${h.base}/authorize`);
    const params: Record<string, string | undefined> = {
      client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', state: 'st', scope: 'tag:a',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', resource: h.mcpUrl.href,
      ...overrides,
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return { clientId, verifier, url };
  }

  /** Runs the browser part with approval and returns the code. */
  async function approvedCode(f: Flow): Promise<string> {
    const waitUrl = await openAuthorizationPage(f.url);
    await decideOnDashboard(h.base, f.clientId, { tags: ['a'] });
    return (await followWaitingPage(waitUrl)).searchParams.get('code') ?? '';
  }

  async function token(fields: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
    const response = await recordingFetch(`${h.base}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, string>;
    if (body.access_token) secretsSeen.add(body.access_token);
    if (body.refresh_token) secretsSeen.add(body.refresh_token);
    return { status: response.status, body };
  }

  const exchange = (f: Flow, code: string, extra: Record<string, string> = {}) =>
    token({ grant_type: 'authorization_code', client_id: f.clientId, code, code_verifier: f.verifier, redirect_uri: REDIRECT, ...extra });

  void it('refuses a wrong PKCE verifier, and the code is spent', async () => {
    const f = await flow();
    const code = await approvedCode(f);
    const wrong = await exchange(f, code, { code_verifier: randomBytes(32).toString('base64url') });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    assert.equal((await exchange(f, code)).status, 400);
  });

  void it('refuses a reused code and revokes the tokens issued for it', async () => {
    const f = await flow();
    const code = await approvedCode(f);
    const first = await exchange(f, code);
    assert.equal(first.status, 200);
    const again = await exchange(f, code);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal((await rawMcpPost(h.mcpUrl, INITIALIZE, { authorization: `Bearer ${first.body.access_token ?? ''}` })).status, 401);
  });

  void it('refuses an expired code', async () => {
    const f = await flow();
    const code = await approvedCode(f);
    h.clock.advance(61_000);
    assert.equal((await exchange(f, code)).body.error, 'invalid_grant');
  });

  void it('refuses made-up codes, unknown clients and unsupported grants', async () => {
    const f = await flow();
    assert.equal((await exchange(f, 'made-up')).body.error, 'invalid_grant');
    assert.equal((await token({ grant_type: 'authorization_code', client_id: 'nobody', code: 'x', code_verifier: f.verifier })).body.error, 'invalid_client');
    assert.equal((await token({ grant_type: 'client_credentials', client_id: f.clientId })).body.error, 'unsupported_grant_type');
    assert.equal((await token({ grant_type: 'refresh_token', client_id: f.clientId, refresh_token: 'made-up' })).body.error, 'invalid_grant');
  });

  void it('refuses a redirect URI that was not registered, and one that differs at the token endpoint', async () => {
    const unregistered = await flow({ redirect_uri: 'http://127.0.0.1:45001/elsewhere' });
    const page = await recordingFetch(unregistered.url, { redirect: 'manual' });
    assert.equal(page.status, 400, 'shown to the user, never redirected to');
    assert.equal(page.headers.get('location'), null);
    const notLoopback = await flow({ redirect_uri: 'https://attacker.example/cb' });
    assert.equal((await recordingFetch(notLoopback.url, { redirect: 'manual' })).status, 400);

    const f = await flow();
    const code = await approvedCode(f);
    assert.equal((await exchange(f, code, { redirect_uri: 'http://127.0.0.1:45002/cb' })).body.error, 'invalid_grant');
  });

  void it('refuses a resource other than its /mcp URL, and a token bound to another one', async () => {
    const f = await flow({ resource: 'https://other.example/mcp' });
    const response = await recordingFetch(f.url, { redirect: 'manual' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_target');
    assert.equal(location.searchParams.get('state'), 'st');
    assert.equal(location.searchParams.get('iss'), h.base);

    const good = await flow();
    const code = await approvedCode(good);
    assert.equal((await exchange(good, code, { resource: 'https://other.example/mcp' })).body.error, 'invalid_target');

    // A token for http://localhost:<port>/mcp is not good at http://127.0.0.1:<port>/mcp (RFC 8707).
    const localhost = `http://localhost:${h.mcpUrl.port}`;
    const viaLocalhost = await flow({ resource: `${localhost}/mcp` });
    const localUrl = new URL(`${localhost}${viaLocalhost.url.pathname}${viaLocalhost.url.search}`);
    const localCode = await approvedCode({ ...viaLocalhost, url: localUrl });
    const local = await exchange(viaLocalhost, localCode);
    assert.equal(local.status, 200);
    const bearer = { authorization: `Bearer ${local.body.access_token ?? ''}` };
    const elsewhere = await rawMcpPost(h.mcpUrl, INITIALIZE, bearer);
    assert.equal(elsewhere.status, 401);
    assert.match(elsewhere.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal((await rawMcpPost(`${localhost}/mcp`, INITIALIZE, bearer)).status, 200);
  });

  void it('refuses authorization requests without PKCE S256', async () => {
    for (const overrides of [{ code_challenge_method: 'plain' }, { code_challenge: undefined }, { response_type: 'token' }]) {
      const f = await flow(overrides);
      const response = await recordingFetch(f.url, { redirect: 'manual' });
      assert.equal(response.status, 302);
      const error = new URL(response.headers.get('location') ?? '').searchParams.get('error');
      assert.ok(error === 'invalid_request' || error === 'unsupported_response_type', String(error));
    }
    assert.equal(h.agent.state.pendingApprovals.length, 0, 'nothing reached the user');
  });

  void it('refuses registrations with unsafe redirect URIs', async () => {
    for (const uri of ['http://example.com/cb', 'javascript:alert(1)', 'https://app.example/cb#frag', 'not a url']) {
      const response = await register([uri]);
      assert.equal(response.status, 400, uri);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_redirect_uri');
    }
  });

  void it('refuses dashboard posts with a forged CSRF token, from another site, or through a proxy', async () => {
    const f = await flow();
    const waitUrl = await openAuthorizationPage(f.url);
    const form = await dashboardForm(h.base, f.clientId);
    const approve: [string, string][] = [['decision', 'approve'], ['tag', 'a']];
    assert.equal((await postForm(form.action, [['csrf', 'forged'], ...approve])).status, 403);
    assert.equal((await postForm(form.action, approve)).status, 403);
    const crossSite = await recordingFetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams([['csrf', form.csrf], ...approve]).toString(),
    });
    assert.equal(crossSite.status, 403);
    const proxied = await recordingFetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
      body: new URLSearchParams([['csrf', form.csrf], ...approve]).toString(),
    });
    assert.equal(proxied.status, 403);
    assert.equal((await recordingFetch(`${h.base}/oauth`, { headers: { forwarded: 'for=203.0.113.9' } })).status, 403);
    assert.ok(h.agent.state.pendingApprovals.some((p) => p.clientId === f.clientId), 'still waiting');
    assert.equal((await recordingFetch(waitUrl, { redirect: 'manual' })).status, 200);
  });

  void it('lets an unanswered request expire into access_denied', async () => {
    const f = await flow();
    const waitUrl = await openAuthorizationPage(f.url);
    h.clock.advance(601_000);
    const location = await followWaitingPage(waitUrl);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.ok(!h.agent.state.pendingApprovals.some((p) => p.clientId === f.clientId));
  });

  void it('closes having sent no 401 without a challenge and logged no secret', async () => {
    await h.close();
    assert.deepEqual(challengeViolations, []);
    assertNoSecretLogged();
  });
});
