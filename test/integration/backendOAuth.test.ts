import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpError } from '../../src/core/httpError';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { startProtectedBackend, type ProtectedBackend } from '../fixtures/protectedBackend';
import { connectClient, firstText, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

/** Does what the user does at the service: opens its authorization page and clicks Allow (or Deny). */
async function signInAtService(authorizationUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await (await fetch(authorizationUrl)).text();
  const id = /name="id" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(id, 'the service shows its consent page');
  const consent = await fetch(new URL('/consent', authorizationUrl), {
    method: 'POST',
    body: new URLSearchParams({ id, decision }),
    redirect: 'manual',
  });
  const location = consent.headers.get('location');
  assert.ok(location, 'the service redirects back to the agent');
  return location;
}

describe('backend OAuth: the agent signs in to a protected backend', () => {
  let service: ProtectedBackend;
  let running: RunningAgent;
  const secrets = new MemorySecretStore();
  const status = () => running.agent.state.backends.find((b) => b.name === 'locked');

  before(async () => {
    service = await startProtectedBackend({ accessTokenTtl: 3600 });
    running = await startAgent({ mcpServers: { locked: { url: service.url, tags: ['remote'] } } }, { secrets });
    await settled(running.agent);
  });

  after(async () => {
    await running?.close();
    await service?.close();
  });

  it('shows Awaiting OAuth without registering anywhere until the user acts', () => {
    assert.equal(status()?.status, 'awaiting_oauth');
    assert.match(status()?.reason ?? '', /Authorize/);
    assert.equal(service.counts.registrations, 0);
  });

  it('rejects a callback with a forged, missing or replayed state and changes nothing', async () => {
    const url = await running.agent.backendLogins.authorize('locked');
    assert.ok(url);
    const callback = new URL(await signInAtService(url));
    assert.equal(callback.origin + callback.pathname, `${running.base}/oauth/callback/locked`);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    for (const attempt of [forged, missing]) {
      const response = await fetch(attempt, { redirect: 'manual' });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /missing, unknown, expired or already used state; nothing was changed/);
    }
    assert.deepEqual(running.agent.state.pendingConnections, []);
    assert.equal(service.counts.codeExchanges, 0);

    const real = await fetch(callback, { redirect: 'manual' });
    assert.equal(real.status, 303);
    assert.equal(real.headers.get('location'), '/oauth#connect-locked');
    const replay = await fetch(callback, { redirect: 'manual' });
    assert.equal(replay.status, 400);
    assert.equal(service.counts.codeExchanges, 1);
  });

  it('discards what a denied connection obtained', async () => {
    assert.deepEqual(running.agent.state.pendingConnections.map((p) => p.backend), ['locked']);
    await running.agent.backendLogins.decide('locked', false);
    assert.deepEqual(running.agent.state.pendingConnections, []);
    assert.equal(await secrets.get('backend-oauth/locked/tokens'), undefined);
    assert.equal(status()?.status, 'awaiting_oauth');
  });

  it('connects once the user approves, and the tools reach clients', async () => {
    const url = await running.agent.backendLogins.authorize('locked');
    assert.ok(url);
    const response = await fetch(await signInAtService(url), { redirect: 'manual' });
    assert.equal(response.status, 303);
    const client = await connectClient(running.url);
    await running.agent.backendLogins.decide('locked', true);
    await waitFor(() => status()?.status === 'connected', 'the backend to connect');
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'locked_1mcp_echo'), 'its tools');
    assert.equal(firstText(await client.callTool({ name: 'locked_1mcp_echo', arguments: { text: 'in' } })), 'protected: in');
    assert.equal(service.counts.registrations, 1, 'registered once, reused for the second login');
    await client.close();
  });

  it('refreshes an expired access token on a 401', async () => {
    const client = await connectClient(running.url);
    service.expireAccessTokens();
    assert.equal(firstText(await client.callTool({ name: 'locked_1mcp_echo', arguments: { text: 'again' } })), 'protected: again');
    assert.equal(service.counts.refreshes, 1);
    await client.close();
  });

  it('reuses stored tokens after a restart without asking again', async () => {
    await running.close();
    running = await startAgent({ mcpServers: { locked: { url: service.url } } }, { secrets });
    await settled(running.agent);
    assert.equal(status()?.status, 'connected');
    assert.equal(service.counts.consents, 2);
  });

  it('returns to Awaiting OAuth, saying why, when the refresh token is revoked', async () => {
    const client = await connectClient(running.url);
    service.revokeRefreshTokens();
    service.expireAccessTokens();
    await assert.rejects(client.callTool({ name: 'locked_1mcp_echo', arguments: { text: 'x' } }));
    await waitFor(() => status()?.status === 'awaiting_oauth', 'awaiting OAuth again');
    assert.match(status()?.reason ?? '', /invalid_grant/);
    await client.close();
  });

  it('signs out: tokens deleted, back to Awaiting OAuth', async () => {
    const url = await running.agent.backendLogins.authorize('locked');
    assert.ok(url);
    await fetch(await signInAtService(url), { redirect: 'manual' });
    await running.agent.backendLogins.decide('locked', true);
    await waitFor(() => status()?.status === 'connected', 'connected');
    await running.agent.backendLogins.signOut('locked');
    await waitFor(() => status()?.status === 'awaiting_oauth', 'awaiting OAuth after sign-out');
    assert.equal(await secrets.get('backend-oauth/locked/tokens'), undefined);
  });

  it('never writes a token to the log', () => {
    const log = running.logs.join('\n');
    for (const token of service.issuedTokens) assert.ok(!log.includes(token));
  });
});

describe('backend OAuth with a pre-registered client and short-lived tokens', () => {
  let service: ProtectedBackend;
  let running: RunningAgent;

  before(async () => {
    service = await startProtectedBackend({ accessTokenTtl: 2, preregistered: { clientId: 'agent-client', clientSecret: 'agent-secret' } });
    running = await startAgent({ mcpServers: { pre: { url: service.url, oauth: { clientId: 'agent-client', clientSecret: 'agent-secret' } } } });
    service.allowRedirectUri('agent-client', `${running.base}/oauth/callback/pre`);
    await settled(running.agent);
  });

  after(async () => {
    await running?.close();
    await service?.close();
  });

  it('cuts the client secret out of what the service says when it refuses', async () => {
    const url = await running.agent.backendLogins.authorize('pre');
    assert.ok(url);
    const refusal = new URL(await signInAtService(url, 'deny'));
    assert.equal(refusal.searchParams.get('error'), 'access_denied');
    refusal.searchParams.set('error_description', 'client agent-secret may not ask for this');
    const page = await fetch(refusal, { redirect: 'manual' });
    assert.equal(page.status, 400);
    const text = await page.text();
    assert.match(text, /did not authorize the agent \(access_denied: client \[redacted\] may not ask for this\); nothing was changed/);
    assert.ok(!text.includes('agent-secret'));
    assert.ok(!running.logs.join('\n').includes('agent-secret'));
  });

  it('skips registration and refreshes before the token expires', async () => {
    const url = await running.agent.backendLogins.authorize('pre');
    assert.ok(url && new URL(url).searchParams.get('client_id') === 'agent-client');
    await fetch(await signInAtService(url), { redirect: 'manual' });
    await running.agent.backendLogins.decide('pre', true);
    await waitFor(() => running.agent.state.backends[0]?.status === 'connected', 'connected');
    assert.equal(service.counts.registrations, 0);
    await waitFor(() => service.counts.refreshes >= 1, 'a refresh ahead of expiry');
    const client = await connectClient(running.url);
    assert.equal(firstText(await client.callTool({ name: 'pre_1mcp_echo', arguments: { text: 'fresh' } })), 'protected: fresh');
    await client.close();
  });
});

describe('backend OAuth with a sign-in page that is not a web page', () => {
  const endpoints = { script: 'javascript:alert(document.cookie)', local: 'file:///etc/passwd' };
  let services: ProtectedBackend[];
  let running: RunningAgent;

  before(async () => {
    services = await Promise.all(Object.values(endpoints).map((authorizationEndpoint) => startProtectedBackend({ authorizationEndpoint })));
    const names = Object.keys(endpoints);
    running = await startAgent({ mcpServers: Object.fromEntries(names.map((name, i) => [name, { url: services[i]?.url }])) });
    await settled(running.agent);
  });

  after(async () => {
    await running?.close();
    await Promise.all(services.map((s) => s.close()));
  });

  /** Clicks Authorize for `backend` on the /oauth dashboard, as the browser posts the form. */
  async function authorizeOnDashboard(backend: string): Promise<Response> {
    const page = await (await fetch(`${running.base}/oauth`)).text();
    const action = `/oauth/backends/${backend}/authorize`;
    const form = page.split('<form').find((part) => part.includes(`action="${action}"`));
    const csrf = /name="csrf" value="([^"]+)"/.exec(form ?? '')?.[1];
    assert.ok(csrf, `no Authorize form for ${backend}`);
    return fetch(new URL(action, running.base), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: running.base, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ csrf }).toString(),
    });
  }

  it('answers Authorize with a page that says what is wrong, and goes nowhere', async () => {
    const script = await authorizeOnDashboard('script');
    assert.equal(script.status, 502);
    assert.match(script.headers.get('content-type') ?? '', /^text\/html/);
    const scriptPage = await script.text();
    assert.match(scriptPage, /<p role="alert">Sign-in to &quot;script&quot; could not start: its OAuth metadata is not usable \(authorization_endpoint: URL cannot use javascript:, data:, or vbscript: scheme\)<\/p>/);
    assert.ok(!scriptPage.includes('http-equiv="refresh"'), 'no page goes on to it');

    const local = await authorizeOnDashboard('local');
    assert.equal(local.status, 502);
    const localPage = await local.text();
    assert.match(localPage, /Sign-in to &quot;local&quot; could not start: its authorization server names a sign-in page that is not an http\(s\) address \(file:\); 1MCP opens only web pages\./);
    assert.ok(!localPage.includes('/etc/passwd'));
  });

  it('refuses it to every other caller too (the editor opens what authorize returns)', async () => {
    await assert.rejects(running.agent.backendLogins.authorize('local'), (e: unknown) => e instanceof HttpError && e.status === 502 && /not an http\(s\) address/.test(e.message));
    assert.deepEqual(running.agent.state.backends.map((b) => b.status), ['awaiting_oauth', 'awaiting_oauth']);
  });
});
