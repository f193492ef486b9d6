import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  approveInBrowser,
  assertNoSecretLogged,
  authorizedClient,
  challengeViolations,
  connect,
  decideOnDashboard,
  followWaitingPage,
  INITIALIZE,
  openAuthorizationPage,
  rawMcpPost,
  recordingFetch,
  secretsSeen,
  startAgent,
  startAuthorization,
  TestOAuthProvider,
  type Harness,
} from '../helpers/authHarness';

const HOUR = 3_600_000;

function postToken(h: Harness, fields: Record<string, string>): Promise<Response> {
  return recordingFetch(`${h.base}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

function toolText(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  return content?.type === 'text' ? content.text : '';
}

void describe('OAuth authorization server, end to end with the SDK client', () => {
  let h: Harness;
  before(async () => {
    h = await startAgent();
  });
  after(() => h.close());

  void it('publishes RFC 8414 and RFC 9728 metadata for the URL the client uses', async () => {
    const as = (await (await recordingFetch(`${h.base}/.well-known/oauth-authorization-server`)).json()) as OAuthMetadata & Record<string, unknown>;
    assert.equal(as.issuer, h.base);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(as.scopes_supported, ['tag:a', 'tag:b']);
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    assert.equal(as.registration_endpoint, `${h.base}/register`);
    const prm = (await (await recordingFetch(`${h.base}/.well-known/oauth-protected-resource/mcp`)).json()) as OAuthProtectedResourceMetadata;
    assert.equal(prm.resource, h.mcpUrl.href);
    assert.deepEqual(prm.authorization_servers, [h.base]);
    const viaLocalhost = `http://localhost:${h.mcpUrl.port}`;
    const prmLocal = (await (await recordingFetch(`${viaLocalhost}/.well-known/oauth-protected-resource/mcp`)).json()) as OAuthProtectedResourceMetadata;
    assert.equal(prmLocal.resource, `${viaLocalhost}/mcp`);
  });

  void it('answers /mcp, /sse and /messages without a token with 401 and a challenge', async () => {
    const response = await rawMcpPost(h.mcpUrl, INITIALIZE);
    assert.equal(response.status, 401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /);
    assert.match(challenge, new RegExp(`resource_metadata="${h.base}/.well-known/oauth-protected-resource/mcp"`));
    assert.match(challenge, /scope="tag:a tag:b"/);
    const bad = await rawMcpPost(h.mcpUrl, INITIALIZE, { authorization: 'Bearer not-a-token' });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    for (const [method, url] of [['GET', `${h.base}/sse`], ['POST', `${h.base}/messages?sessionId=x`]] as const) {
      const legacy = await recordingFetch(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      assert.equal(legacy.status, 401);
      assert.match(legacy.headers.get('www-authenticate') ?? '', /resource_metadata=/);
    }
  });

  void it('lets a real SDK client discover, register, get approval on the dashboard and use its tools', async () => {
    const provider = new TestOAuthProvider();
    const transport = await startAuthorization(h.mcpUrl, provider);
    const authorizationUrl = provider.authorizationUrl ?? new URL('about:blank');
    assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorizationUrl.searchParams.get('resource'), h.mcpUrl.href);
    assert.equal(h.agent.state.pendingApprovals.length, 0);

    const waitUrl = await openAuthorizationPage(authorizationUrl);
    const [pending] = h.agent.state.pendingApprovals;
    assert.equal(pending?.clientId, provider.clientId);
    assert.deepEqual(pending?.requestedTags, ['a', 'b']);
    assert.deepEqual(pending?.availableTags, ['a', 'b']);
    assert.equal(pending?.redirectUri, provider.redirectUrl);
    // Still waiting: the page shows itself again.
    assert.equal((await recordingFetch(waitUrl, { redirect: 'manual' })).status, 200);

    await decideOnDashboard(h.base, provider.clientId, { tags: ['a', 'b'] });
    const location = await followWaitingPage(waitUrl);
    assert.equal(`${location.origin}${location.pathname}`, provider.redirectUrl);
    assert.equal(location.searchParams.get('state'), provider.stateValue);
    assert.equal(location.searchParams.get('iss'), h.base);
    assert.equal((await recordingFetch(waitUrl, { redirect: 'manual' })).status, 404, 'the handle is single-use');

    await transport.finishAuth(location.searchParams.get('code') ?? '');
    assert.equal(provider.tokens()?.scope, 'tag:a tag:b');
    const client = await connect(h.mcpUrl, provider);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, ['alpha_1mcp_whoami', 'beta_1mcp_whoami']);
    assert.equal(toolText(await client.callTool({ name: 'beta_1mcp_whoami' })), 'I am beta');
    await client.close();

    const summary = h.agent.state.clients.find((c) => c.clientId === provider.clientId);
    assert.deepEqual(summary?.grantedTags, ['a', 'b']);
    assert.equal(summary?.authorized, true);
    assert.ok(summary?.lastUsedAt !== undefined);
  });

  void it('refreshes an expired access token, rotating the refresh token, and revokes the family on reuse', async () => {
    const { client, provider } = await authorizedClient(h, ['a']);
    const first = provider.tokens();
    h.clock.advance(HOUR + 1000);
    // The expired token gets a 401; the SDK refreshes and retries by itself.
    assert.equal(toolText(await client.callTool({ name: 'alpha_1mcp_whoami' })), 'I am alpha');
    const second = provider.tokens();
    assert.notEqual(second?.access_token, first?.access_token);
    assert.notEqual(second?.refresh_token, first?.refresh_token);

    // Past the grace for concurrent refreshes, presenting the rotated-out token is reuse.
    h.clock.advance(31_000);
    const reuse = await postToken(h, { grant_type: 'refresh_token', client_id: provider.clientId, refresh_token: first?.refresh_token ?? '' });
    assert.equal(reuse.status, 400);
    assert.equal(((await reuse.json()) as { error: string }).error, 'invalid_grant');
    const stale = await rawMcpPost(h.mcpUrl, INITIALIZE, { authorization: `Bearer ${second?.access_token ?? ''}` });
    assert.equal(stale.status, 401, 'the access token of the revoked family no longer works');
    const current = await postToken(h, { grant_type: 'refresh_token', client_id: provider.clientId, refresh_token: second?.refresh_token ?? '' });
    assert.equal(current.status, 400, 'nor does its current refresh token');
    await client.close();
  });

  void it('revokes tokens through /revoke', async () => {
    const { client, provider } = await authorizedClient(h, ['a']);
    await client.close();
    const tokens = provider.tokens();
    const revoke = (token: string) =>
      recordingFetch(`${h.base}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: provider.clientId }).toString() });
    assert.equal((await revoke('unknown-token')).status, 200);
    assert.equal((await revoke(tokens?.refresh_token ?? '')).status, 200);
    assert.equal((await rawMcpPost(h.mcpUrl, INITIALIZE, { authorization: `Bearer ${tokens?.access_token ?? ''}` })).status, 401);
  });

  void it('sends access_denied back when the user denies', async () => {
    const provider = new TestOAuthProvider();
    await startAuthorization(h.mcpUrl, provider);
    const location = await approveInBrowser(h, provider, 'deny');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), provider.stateValue);
    assert.equal(location.searchParams.get('iss'), h.base);
    assert.equal(location.searchParams.get('code'), null);
  });

  void it("accepts VS Code's registration and its redirect on a random loopback port", async () => {
    const registration = await recordingFetch(`${h.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Visual Studio Code',
        client_uri: 'https://code.visualstudio.com',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: ['https://insiders.vscode.dev/redirect', 'https://vscode.dev/redirect', 'http://127.0.0.1/', 'http://127.0.0.1:33418/'],
        scope: 'tag:a',
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      }),
    });
    assert.equal(registration.status, 201);
    const client = (await registration.json()) as { client_id: string; token_endpoint_auth_method: string; grant_types: string[] };
    assert.equal(client.token_endpoint_auth_method, 'none');
    assert.deepEqual(client.grant_types, ['authorization_code', 'refresh_token']);

    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const redirectUri = `http://127.0.0.1:${port}/`;
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${h.base}/authorize`);
    for (const [k, v] of Object.entries({
      client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', state: 'vscode-state', scope: 'tag:a',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', resource: h.mcpUrl.href,
    })) authorize.searchParams.set(k, v);
    const waitUrl = await openAuthorizationPage(authorize);
    await decideOnDashboard(h.base, client.client_id, { tags: ['a'] });
    const location = await followWaitingPage(waitUrl);
    assert.equal(location.origin, `http://127.0.0.1:${port}`);
    assert.equal(location.searchParams.get('state'), 'vscode-state');

    const token = await postToken(h, { grant_type: 'authorization_code', client_id: client.client_id, code: location.searchParams.get('code') ?? '', code_verifier: verifier, redirect_uri: redirectUri, resource: h.mcpUrl.href });
    assert.equal(token.status, 200);
    assert.equal(token.headers.get('cache-control'), 'no-store');
    const body = (await token.json()) as { access_token: string; refresh_token: string; token_type: string; expires_in: number; scope: string };
    secretsSeen.add(body.access_token).add(body.refresh_token);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'tag:a');

    // The host must match exactly; only the port is free (RFC 8252 §7.3).
    authorize.searchParams.set('redirect_uri', `http://localhost:${port}/`);
    const wrongHost = await recordingFetch(authorize, { redirect: 'manual' });
    assert.equal(wrongHost.status, 400);
  });

  void it('recomputes scopes_supported when the config changes', async () => {
    const configPath = h.agent.state.configPath;
    const extra = { command: process.execPath, args: ['-e', ''], tags: ['c'], disabled: true };
    const alpha = { command: process.execPath, args: ['--import', 'tsx', path.join(__dirname, '..', 'fixtures', 'authBackend.ts'), 'alpha'], tags: ['a'] };
    const beta = { ...alpha, args: [...alpha.args.slice(0, -1), 'beta'], tags: ['b'] };
    writeFileSync(configPath, JSON.stringify({ mcpServers: { alpha, beta, extra } }));
    assert.equal(await h.agent.reload(), true);
    const as = (await (await recordingFetch(`${h.base}/.well-known/oauth-authorization-server`)).json()) as OAuthMetadata;
    assert.deepEqual(as.scopes_supported, ['tag:a', 'tag:b', 'tag:c']);
  });

  void it('lists clients for the UI and revokes one with all its tokens and sessions', async () => {
    const { client, provider } = await authorizedClient(h, ['b']);
    assert.ok(h.agent.state.clients.some((c) => c.clientId === provider.clientId && c.grantedTags.join() === 'b'));
    const sessions = h.agent.state.sessions;
    assert.equal(await h.agent.revokeClient(provider.clientId), true);
    assert.equal(h.agent.state.sessions, sessions - 1, 'its open session ended with the grant');
    await client.close();
    assert.ok(!h.agent.state.clients.some((c) => c.clientId === provider.clientId));
    const after = await rawMcpPost(h.mcpUrl, INITIALIZE, { authorization: `Bearer ${provider.tokens()?.access_token ?? ''}` });
    assert.equal(after.status, 401);
  });

  void it("issues tokens in process for the editor's own client after the user approves", async () => {
    const pending = h.agent.authorizeInProcessClient({ clientName: 'VS Code chat', tags: ['a'] });
    const [approval] = h.agent.state.pendingApprovals;
    assert.equal(approval?.clientName, 'VS Code chat');
    assert.equal(approval?.redirectUri, undefined);
    await h.agent.decideApproval(approval?.id ?? '', { approve: true, tags: ['a'] });
    const tokens = await pending;
    secretsSeen.add(tokens.accessToken).add(tokens.refreshToken);
    const client = await connect(h.mcpUrl, undefined, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
    await client.close();

    const refreshed = await h.agent.refreshInProcessClient(tokens.clientId, tokens.refreshToken);
    secretsSeen.add(refreshed.accessToken).add(refreshed.refreshToken);
    assert.notEqual(refreshed.refreshToken, tokens.refreshToken);

    const denied = h.agent.authorizeInProcessClient({ clientName: 'VS Code chat' });
    await h.agent.decideApproval(h.agent.state.pendingApprovals[0]?.id ?? '', { approve: false });
    await assert.rejects(denied, /denied/);
  });

  void it('closes having sent no 401 without a challenge and logged no secret', async () => {
    await h.close();
    assert.deepEqual(challengeViolations, []);
    assertNoSecretLogged();
  });
});
