// The POSTs every proxied call makes — in an open session, or a 2026-07-28 request — take a path beside
// Express: the same guards must hold there (Host/Origin, the loopback peer without auth, the token and
// the session's owner with auth, the body limit and JSON), and whatever it does not take is answered as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizedClient, INITIALIZE, startAgent as startAuthAgent, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import { fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';
import { neighbourAddress, rawRequest, type RawAnswer } from '../helpers/loopback';
import { envelope } from '../helpers/modernClient';

function post(url: string, body: string | string[], headers: Record<string, string>, localAddress?: string): Promise<RawAnswer> {
  return rawRequest(url, { method: 'POST', body, localAddress, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } });
}

const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
const MODERN_LIST = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list', params: { _meta: envelope() } });
const MODERN_HEADERS = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' };
const neighbour = neighbourAddress();

/** Opens a session with a raw initialize; its id. */
async function openSession(url: string, headers: Record<string, string> = {}, protocolVersion = INITIALIZE.params.protocolVersion): Promise<string> {
  const answer = await post(url, JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion } }), headers);
  assert.equal(answer.status, 200, answer.body);
  const id = answer.headers['mcp-session-id'];
  assert.equal(typeof id, 'string');
  return String(id);
}

describe('session POSTs without client authorization', () => {
  let running: RunningAgent;
  let session: string;
  before(async () => {
    running = await startAgent({ mcpServers: { one: fixtureEntry('one') } });
    await settled(running.agent);
    session = await openSession(running.url);
  });
  after(() => running?.close());

  it('serve the session, and refuse a foreign Host or Origin', async () => {
    const ok = await post(running.url, LIST, { 'mcp-session-id': session });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /"result"/);
    assert.equal((await post(running.url, LIST, { 'mcp-session-id': session, host: 'evil.example:80' })).status, 403);
    assert.equal((await post(running.url, LIST, { 'mcp-session-id': session, origin: 'http://evil.example' })).status, 403);
  });

  it('refuse a relayed request', async () => {
    assert.equal((await post(running.url, LIST, { 'mcp-session-id': session, 'x-forwarded-for': '203.0.113.9' })).status, 403);
    assert.equal((await post(running.url, MODERN_LIST, { ...MODERN_HEADERS, forwarded: 'for=203.0.113.9' })).status, 403);
  });

  it('refuse a peer that is not on loopback even with a loopback Host', { skip: neighbour ? false : 'this machine has no non-loopback IPv4 address' }, async () => {
    assert.equal((await post(running.url, LIST, { 'mcp-session-id': session }, neighbour)).status, 403);
    assert.equal((await post(running.url, MODERN_LIST, MODERN_HEADERS, neighbour)).status, 403, 'a 2026-07-28 request too');
  });

  it('serve a 2026-07-28 request, and refuse it with a foreign Host', async () => {
    const ok = await post(running.url, MODERN_LIST, MODERN_HEADERS);
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /one_1mcp_echo/);
    assert.equal((await post(running.url, MODERN_LIST, { ...MODERN_HEADERS, host: 'evil.example:80' })).status, 403);
  });

  it('open a session with an initialize as Express does, and leave one whose header names a stateless revision to that era', async () => {
    const fast = await post(running.url, JSON.stringify(INITIALIZE), {});
    const full = await post(`${running.url}?via=express`, JSON.stringify(INITIALIZE), {});
    assert.equal(fast.status, 200, fast.body);
    assert.equal(full.status, 200, full.body);
    assert.equal(typeof fast.headers['mcp-session-id'], 'string');
    assert.equal(JSON.parse(fast.body).result.serverInfo.name, JSON.parse(full.body).result.serverInfo.name);
    const stateless = { 'mcp-protocol-version': '2026-07-28' };
    const fastModern = await post(running.url, JSON.stringify(INITIALIZE), stateless);
    const fullModern = await post(`${running.url}?via=express`, JSON.stringify(INITIALIZE), stateless);
    assert.equal(fastModern.headers['mcp-session-id'], undefined, 'no session opened');
    assert.deepEqual([fastModern.status, fastModern.body], [fullModern.status, fullModern.body]);
  });

  it('answer an unknown session 404, a body over 4 MB 413, bad JSON -32700, as without a session', async () => {
    const unknown = await post(running.url, LIST, { 'mcp-session-id': 'nope' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Session not found/);
    const big = await post(running.url, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'one_1mcp_echo', arguments: { text: 'x'.repeat(5 * 1024 * 1024) } } }), { 'mcp-session-id': session });
    assert.equal(big.status, 413);
    const chunked = await post(running.url, Array.from({ length: 5 }, () => 'x'.repeat(1024 * 1024)), { 'mcp-session-id': session });
    assert.equal(chunked.status, 413, 'a body without a Content-Length is counted as it comes');
    const bad = await post(running.url, '{"jsonrpc": "2.0", "id": 4,', { 'mcp-session-id': session });
    assert.equal(bad.status, 400);
    assert.equal((JSON.parse(bad.body) as { error: { code: number } }).error.code, -32700);
    assert.equal((await post(running.url, LIST, { 'mcp-session-id': session })).status, 200, 'the session still works');
  });

  it('refuse a batch where the revision has none, and take at most 64 where it has, on both paths', async () => {
    const batch = (size: number): string => JSON.stringify(Array.from({ length: size }, (_, i) => ({ jsonrpc: '2.0', id: 100 + i, method: 'ping' })));
    const batched = await openSession(running.url, {}, '2025-03-26');
    // The fast path, and Express (which takes a body with a Content-Encoding).
    const paths: Record<string, string>[] = [{}, { 'content-encoding': 'identity' }];
    const unbatched: Record<string, string>[] = [{ 'mcp-session-id': session }, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }, { 'mcp-session-id': batched, 'mcp-protocol-version': '2025-06-18' }];
    for (const path of paths) {
      for (const headers of unbatched) {
        const refused = await post(running.url, batch(2), { ...headers, ...path });
        assert.equal(refused.status, 400, refused.body);
        const error = (JSON.parse(refused.body) as { error: { code: number; message: string } }).error;
        assert.equal(error.code, -32600);
        assert.match(error.message, /MCP 2025-\d\d-\d\d has no JSON-RPC batches; send one message per POST/);
      }
      const full = await post(running.url, batch(64), { 'mcp-session-id': batched, ...path });
      assert.equal(full.status, 200, full.body);
      assert.equal((JSON.parse(full.body) as unknown[]).length, 64);
      const over = await post(running.url, batch(65), { 'mcp-session-id': batched, 'mcp-protocol-version': '2025-03-26', ...path });
      assert.equal(over.status, 400);
      assert.match(over.body, /a batch may carry at most 64 messages \(this one has 65\)/);
    }
    const modern = await post(running.url, `[${MODERN_LIST}]`, MODERN_HEADERS);
    assert.equal(modern.status, 400, 'nor has 2026-07-28');
    assert.match(modern.body, /no batches/);
  });
});

describe('session POSTs with client authorization', () => {
  let h: Harness;
  let url: string;
  let session: string;
  let token: string;
  let otherToken: string;
  before(async () => {
    h = await startAuthAgent();
    url = h.mcpUrl.href;
    const first = await authorizedClient(h, ['a']);
    await first.client.close();
    token = first.provider.tokens()?.access_token ?? '';
    const second = await authorizedClient(h, ['a'], h.mcpUrl, new TestOAuthProvider(undefined, 'Another client'));
    await second.client.close();
    otherToken = second.provider.tokens()?.access_token ?? '';
    session = await openSession(url, { authorization: `Bearer ${token}` });
  });
  after(() => h?.close());

  it('serve the session to its owner only: no token 401 with a challenge, a bad one 401, another client’s 404', async () => {
    assert.equal((await post(url, LIST, { 'mcp-session-id': session, authorization: `Bearer ${token}` })).status, 200);
    const none = await post(url, LIST, { 'mcp-session-id': session });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer resource_metadata=/);
    const forged = await post(url, LIST, { 'mcp-session-id': session, authorization: 'Bearer forged-token' });
    assert.equal(forged.status, 401);
    assert.match(String(forged.headers['www-authenticate']), /invalid_token/);
    assert.equal((await post(url, LIST, { 'mcp-session-id': session, authorization: `Bearer ${otherToken}` })).status, 404);
  });

  it('answer a 2026-07-28 request with a token, and 401 with a challenge without one', async () => {
    assert.equal((await post(url, MODERN_LIST, { ...MODERN_HEADERS, authorization: `Bearer ${token}` })).status, 200);
    const none = await post(url, MODERN_LIST, MODERN_HEADERS);
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer resource_metadata=/);
  });
});
