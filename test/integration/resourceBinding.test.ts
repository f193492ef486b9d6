// What a token is for, and what the metadata says the agent is, come from the agent's own address (the
// port its socket accepted the connection on) or --external-url, never from Host: two agents of one
// home, sharing one secrets file, on two ports. And a Host that is not host[:port] is a 400 everywhere.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore';
import { authorizedClient, INITIALIZE, startAgent, type Harness } from '../helpers/authHarness';
import { rawRequest } from '../helpers/loopback';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('the resource a token is bound to', () => {
  let a: Harness;
  let b: Harness;
  let token: string;

  before(async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'onemcp-home-')), 'agent-secrets.json');
    a = await startAgent({ secrets: new FileSecretStore(file) });
    const { client, provider } = await authorizedClient(a, ['a']);
    await client.close();
    token = provider.tokens()?.access_token ?? '';
    assert.ok(token);
    // Started after the grant was saved: B knows A's grant, as another agent of the same home would.
    b = await startAgent({ secrets: new FileSecretStore(file) });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  const initialize = (to: Harness, host: string) =>
    rawRequest(to.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, host, authorization: `Bearer ${token}` }, body: JSON.stringify(INITIALIZE) });

  it('is the agent that minted it: another agent of the same home refuses it, whatever Host says', async () => {
    assert.equal((await initialize(a, a.mcpUrl.host)).status, 200, 'A takes its own token');
    assert.equal(b.agent.state.clients.length, 1, 'B knows the grant from the shared secrets file');
    for (const host of [`127.0.0.1:${a.mcpUrl.port}`, b.mcpUrl.host, `localhost:${a.mcpUrl.port}`]) {
      const refused = await initialize(b, host);
      assert.equal(refused.status, 401, `Host ${host}: ${refused.body}`);
      assert.match(String(refused.headers['www-authenticate']), /error="invalid_token", error_description="The access token was issued for another resource"/);
      assert.match(String(refused.headers['www-authenticate']), new RegExp(`resource_metadata="http://[^:]+:${b.mcpUrl.port}/\\.well-known/oauth-protected-resource/mcp"`));
    }
  });

  it('and the metadata name the agent at its own port, not the one Host names', async () => {
    const host = `127.0.0.1:${a.mcpUrl.port}`;
    const server = JSON.parse((await rawRequest(new URL('/.well-known/oauth-authorization-server', b.base), { headers: { host } })).body) as { issuer: string; authorization_endpoint: string };
    assert.equal(server.issuer, b.base);
    assert.equal(server.authorization_endpoint, `${b.base}/authorize`);
    const resource = JSON.parse((await rawRequest(new URL('/.well-known/oauth-protected-resource/mcp', b.base), { headers: { host } })).body) as { resource: string };
    assert.equal(resource.resource, b.mcpUrl.href);
    const named = JSON.parse((await rawRequest(new URL('/.well-known/oauth-authorization-server', b.base), { headers: { host: `localhost:${b.mcpUrl.port}` } })).body) as { issuer: string };
    assert.equal(named.issuer, `http://localhost:${b.mcpUrl.port}`, 'the host is the one the client used, among the agent\'s own names');
  });

  it('refuses a Host that is not host[:port] with 400, on every path', async () => {
    const host = `127.0.0.1:${a.mcpUrl.port}/evil`;
    const requests: [string, string, string?][] = [
      ['POST', '/mcp', JSON.stringify(INITIALIZE)],
      ['GET', '/mcp'],
      ['GET', '/sse'],
      ['GET', '/health'],
      ['GET', '/oauth'],
      ['GET', '/.well-known/oauth-authorization-server'],
      ['GET', '/.well-known/oauth-protected-resource/mcp'],
      ['GET', '/authorize?client_id=x'],
      ['POST', '/register', '{"redirect_uris":["http://127.0.0.1/cb"]}'],
      ['POST', '/token', 'grant_type=refresh_token'],
    ];
    for (const agent of [a, b]) {
      for (const [method, pathname, body] of requests) {
        const answer = await rawRequest(new URL(pathname, agent.base), { method, headers: { ...MCP_HEADERS, host, authorization: `Bearer ${token}` }, body });
        assert.equal(answer.status, 400, `${method} ${pathname}: ${answer.body}`);
        assert.match(answer.body, /The Host header must be a host and an optional port \(host\[:port\]\)/);
        assert.ok(!answer.body.includes('/evil'), 'nothing of it is reflected');
      }
    }
  });
});

describe('behind a reverse proxy (--external-url)', () => {
  let h: Harness;
  before(async () => {
    h = await startAgent({ options: { externalUrl: 'https://mcp.example.com/' } });
  });
  after(() => h.close());

  it('advertises the external URL as issuer and resource, whatever Host says', async () => {
    const local = new URL(h.agent.state.listening?.endpoints[0] ?? '');
    assert.equal(h.mcpUrl.href, 'https://mcp.example.com/mcp', 'clients are told the external URL');
    for (const host of [local.host, 'mcp.example.com']) {
      const server = JSON.parse((await rawRequest(new URL('/.well-known/oauth-authorization-server', local), { headers: { host } })).body) as { issuer: string };
      assert.equal(server.issuer, 'https://mcp.example.com');
      const resource = JSON.parse((await rawRequest(new URL('/.well-known/oauth-protected-resource/mcp', local), { headers: { host } })).body) as { resource: string };
      assert.equal(resource.resource, 'https://mcp.example.com/mcp');
    }
  });
});
