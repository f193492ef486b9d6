// Who gets in from the network: requests made from this machine's own non-loopback address (a
// neighbour as the agent's socket sees it) that claim `Host: 127.0.0.1`, against the same requests
// from loopback. Real agents, real sockets, the SDK's own client auth.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NetworkWithoutAuthError, bracketed } from '../../src/core/listenAddress';
import { silentLogger } from '../../src/core/logger';
import { Agent } from '../../src/core/agent';
import {
  authorizedClient,
  dashboardForm,
  decideOnDashboard,
  INITIALIZE,
  logLines,
  openAuthorizationPage,
  startAgent as startAuthAgent,
  startAuthorization,
  TestOAuthProvider,
  type Harness,
} from '../helpers/authHarness';
import { connectClient, fixtureEntry, settled, startAgent, tempDir, type RunningAgent } from '../helpers/harness';
import { rawRequest, type RawAnswer } from '../helpers/loopback';

/** This machine's first address that is not loopback (IPv4 preferred), to connect from. */
function ownNetworkAddress(): { address: string; wildcard: string } | undefined {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((i) => !i.internal && !i.address.startsWith('fe80:'));
  const info = all.find((i) => i.family === 'IPv4') ?? all[0];
  return info && { address: info.address, wildcard: info.family === 'IPv4' ? '0.0.0.0' : '::' };
}

const own = ownNetworkAddress();
const skip = own ? false : 'this machine has no non-loopback address to connect from, so no request can come from the network';
const neighbour = own?.address ?? '';
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' };

/**
 * A request to `to` (the agent's port on `to.hostname`) from the neighbour's address, claiming to be
 * for `127.0.0.1:<port>` unless `headers.host` says otherwise.
 */
function fromNeighbour(to: URL, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return rawRequest(to, { ...options, localAddress: neighbour, headers: { host: `127.0.0.1:${to.port}`, ...options.headers } });
}


describe('exposure to the network', () => {
  it('refuses to start without client authorization on an address other machines reach, and listens nowhere', async () => {
    const dir = await tempDir();
    const configPath = path.join(dir, 'mcp.json');
    await fs.writeFile(configPath, '{"mcpServers":{}}');
    // All interfaces always; the machine's own network address where it has one.
    for (const host of ['0.0.0.0', ...(own ? [neighbour] : [])]) {
      const agent = new Agent({ configPath, host, port: 0, logger: silentLogger, watchConfig: false });
      const error = await agent.start().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof NetworkWithoutAuthError, `${host}: ${String(error)}`);
      assert.equal(error.code, 'NETWORK_WITHOUT_AUTH');
      assert.match(error.message, /--enable-auth/);
      assert.equal(agent.state.phase, 'failed');
      assert.equal(agent.state.endpoint, undefined);
      const where = error.address.endpoints.at(-1) ?? '';
      await assert.rejects(fetch(where), `nothing answers at ${where} once the agent refused`);
      await agent.close();
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('without client authorization', () => {
    let running: RunningAgent;
    let mcp: URL;
    before(async () => {
      running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } }, { watchConfig: false });
      await settled(running.agent);
      mcp = new URL(running.url);
    });
    after(() => running.close());

    it('serves MCP to no socket but loopback, whatever Host says', { skip }, async () => {
      const init = await fromNeighbour(mcp, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(init.status, 403, init.body);
      assert.match(init.body, /"jsonrpc":"2\.0"/);
      assert.doesNotMatch(init.body, /serverInfo/);
      for (const [pathname, method] of [['/sse', 'GET'], ['/messages?sessionId=x', 'POST'], ['/health', 'GET'], ['/oauth', 'GET'], ['/activity', 'GET'], ['/activity/events', 'GET']] as const) {
        const answer = await fromNeighbour(new URL(pathname, mcp), { method, headers: MCP_HEADERS, body: method === 'POST' ? '{}' : undefined });
        assert.equal(answer.status, 403, `${method} ${pathname}: ${answer.body}`);
      }
      assert.equal(running.agent.state.sessions, 0);
    });

    it('does not serve a request a proxy on this machine relays', async () => {
      for (const [name, value] of [['x-forwarded-for', '203.0.113.9'], ['forwarded', 'for=203.0.113.9'], ['x-real-ip', '203.0.113.9']] as const) {
        const relayed = await rawRequest(mcp, { method: 'POST', headers: { ...MCP_HEADERS, [name]: value }, body: JSON.stringify(INITIALIZE) });
        assert.equal(relayed.status, 403, name);
      }
    });

    it('serves the same requests from loopback', async () => {
      const client = await connectClient(running.url);
      try {
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'alpha_1mcp_echo'));
      } finally {
        await client.close();
      }
      assert.equal((await rawRequest(new URL('/oauth', mcp), {})).status, 200);
      assert.equal((await rawRequest(new URL('/activity', mcp), {})).status, 200);
      const relayed = await rawRequest(new URL('/activity', mcp), { headers: { 'x-forwarded-for': '203.0.113.9' } });
      assert.equal(relayed.status, 403, 'the activity record is for this machine, not for what a proxy relays');
    });
  });

  describe('with client authorization, on all interfaces', { skip }, () => {
    let h: Harness;
    let network: URL;
    before(async () => {
      h = await startAuthAgent({ options: { host: own?.wildcard } });
      network = new URL(`http://${bracketed(neighbour)}:${h.mcpUrl.port}/mcp`);
    });
    after(() => h.close());

    it('tells where it listens: all interfaces and every URL that reaches it, the local one first', () => {
      const listening = h.agent.state.listening;
      assert.equal(listening?.description, `all interfaces (${bracketed(own?.wildcard ?? '')}:${h.mcpUrl.port})`);
      assert.equal(listening.loopbackOnly, false);
      assert.equal(listening.endpoints[0], `http://127.0.0.1:${h.mcpUrl.port}/mcp`);
      assert.ok(listening.endpoints.includes(network.href), listening.endpoints.join(', '));
      assert.equal(h.agent.state.endpoint, h.mcpUrl.href, 'local clients keep a loopback endpoint');
      assert.ok(logLines.some((line) => line.includes(`listening on ${listening.description}: ${listening.endpoints.join(', ')}`)), 'the start-up line names every URL');
      assert.equal(h.agent.dashboardUrl, `http://127.0.0.1:${h.mcpUrl.port}/oauth`);
    });

    it('gives a neighbour no MCP session without a token, whatever Host says', async () => {
      for (const to of [h.mcpUrl, network]) {
        const init = await fromNeighbour(to, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
        assert.equal(init.status, 401, init.body);
        assert.match(String(init.headers['www-authenticate']), /^Bearer /);
      }
      assert.equal((await fromNeighbour(new URL('/sse', network))).status, 401);
    });

    it('shows a neighbour no dashboard and lets it decide nothing, even with the real CSRF token', async () => {
      const provider = new TestOAuthProvider('https://neighbour.example/callback', 'Neighbour');
      await startAuthorization(network, provider);
      assert.ok(provider.authorizationUrl);
      await openAuthorizationPage(provider.authorizationUrl);
      const form = await dashboardForm(h.base, provider.clientId);

      const page = await fromNeighbour(new URL('/oauth', network));
      assert.equal(page.status, 403);
      assert.ok(!page.body.includes(form.csrf) && !page.body.includes(provider.clientId), 'the refusal shows nothing of the dashboard');
      const approve = new URLSearchParams([['csrf', form.csrf], ['decision', 'approve'], ['tag', 'a']]).toString();
      const origin = `http://127.0.0.1:${network.port}`;
      for (const action of [form.action.pathname, `/oauth/clients/${encodeURIComponent(provider.clientId)}/revoke`, '/oauth/backends/alpha/authorize', '/oauth/backends/alpha/sign-out', '/oauth/backends/alpha/connection']) {
        const post = await fromNeighbour(new URL(action, network), { method: 'POST', headers: { ...FORM, origin }, body: approve });
        assert.equal(post.status, 403, `${action}: ${post.body}`);
      }
      assert.ok(h.agent.state.pendingApprovals.some((p) => p.clientId === provider.clientId), 'the request still waits for the user');
      assert.ok(h.agent.state.clients.some((c) => c.clientId === provider.clientId), 'the client is not revoked');

      const relayed = await rawRequest(form.action, { method: 'POST', headers: { ...FORM, origin, 'x-forwarded-for': '203.0.113.9' }, body: approve });
      assert.equal(relayed.status, 403, 'a relayed request is no more the user than a neighbour');
      await decideOnDashboard(h.base, provider.clientId, 'deny');
    });

    it('never shows the activity record to the network, not even to a client holding a token', async () => {
      const { client, provider } = await authorizedClient(h, ['a']);
      try {
        await client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
      } finally {
        await client.close();
      }
      const authorization = `Bearer ${provider.tokens()?.access_token ?? ''}`;
      for (const to of [new URL('/activity', h.mcpUrl), new URL('/activity', network), new URL('/activity/events', network)]) {
        const answer = await fromNeighbour(to, { headers: { authorization } });
        assert.equal(answer.status, 403, `${to.href}: ${answer.body}`);
        assert.doesNotMatch(answer.body, /whoami/);
      }
      const local = await rawRequest(new URL('/activity', h.mcpUrl), { headers: { authorization } });
      assert.equal(local.status, 200);
      assert.match(local.body, /alpha_1mcp_whoami/, 'this machine reads it, token or not');
    });

    it('lets a client on the network in once the user approved it on this machine', async () => {
      const { client } = await authorizedClient(h, ['a'], network, new TestOAuthProvider('com.example.onemcp-test:/callback', 'Network client'));
      try {
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name.startsWith('alpha_1mcp_')), tools.map((t) => t.name).join(', '));
      } finally {
        await client.close();
      }
    });
  });
});
