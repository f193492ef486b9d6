// One client cannot hold sessions without end: past its share (per OAuth grant with client
// authorization, per peer address without) or past the agent's total, opening a session closes the
// least recently used one — of that client, or of all — handshake era, legacy SSE and 2026-07-28 listen streams alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizedClient, INITIALIZE, startAgent as startAuthAgent, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import * as http from 'node:http';
import { fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { rawRequest } from '../helpers/loopback';
import { envelope, MODERN } from '../helpers/modernClient';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

/** Opens a session from `localAddress` (a loopback address) with `headers`; its id. */
async function open(url: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<string> {
  const answer = await rawRequest(url, { method: 'POST', localAddress, headers: { ...HEADERS, ...headers }, body: JSON.stringify(INITIALIZE) });
  assert.equal(answer.status, 200, answer.body);
  return String(answer.headers['mcp-session-id']);
}

/** A 2026-07-28 `subscriptions/listen` stream from 127.0.0.1: `opened` once acknowledged, `ended` with all it carried once the agent ends it. */
function listen(url: string): { opened: Promise<void>; ended: Promise<string>; leave(): void } {
  let opened!: () => void;
  const acknowledged = new Promise<void>((resolve) => (opened = resolve));
  let req!: http.ClientRequest;
  const ended = new Promise<string>((resolve, reject) => {
    req = http.request(url, { method: 'POST', headers: { ...HEADERS, 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.includes('notifications/subscriptions/acknowledged')) opened();
      });
      res.once('end', () => resolve(body));
    });
    req.once('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true }, _meta: envelope() } }));
  });
  return { opened: acknowledged, ended, leave: () => req.destroy() };
}

/** The status a request in session `id` gets: 200 while it is open, 404 once it was closed. */
async function status(url: string, id: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<number> {
  return (await rawRequest(url, { method: 'POST', localAddress, headers: { ...HEADERS, ...headers, 'mcp-session-id': id }, body: LIST })).status;
}

describe('session limits', () => {
  describe('without client authorization: per peer address', () => {
    let running: RunningAgent;
    before(async () => {
      running = await startAgent({ mcpServers: { one: fixtureEntry('one') } }, { watchConfig: false, limits: { sessionsPerClient: 3, sessions: 5 } });
      await settled(running.agent);
    });
    after(() => running?.close());

    it("closes the client's least recently used session, then the least recently used of all", async () => {
      const url = running.url;
      const [s1, s2, s3] = [await open(url), await open(url), await open(url)];
      assert.equal(await status(url, s1), 200, 's1 is used: s2 is now the least recently used');
      const s4 = await open(url);
      assert.deepEqual([await status(url, s2)], [404], 'the fourth session of 127.0.0.1 closed its least recently used');
      assert.deepEqual([await status(url, s3), await status(url, s1), await status(url, s4)], [200, 200, 200]);

      // Another peer address is another client: its sessions count apart, and all count together.
      const others = [await open(url, '127.0.0.2'), await open(url, '127.0.0.2')];
      assert.equal(await status(url, s3), 200, 'five sessions: all fit');
      const t3 = await open(url, '127.0.0.2');
      assert.equal(await status(url, s1), 404, 'the sixth closed the least recently used of all (s1, used before s3, s4 and the rest)');
      for (const id of [s3, s4]) assert.equal(await status(url, id), 200);
      for (const id of [...others, t3]) assert.equal(await status(url, id, '127.0.0.2'), 200);

      // A legacy SSE session is a session like the others.
      const sse = await rawRequest(new URL('/sse', url), { headers: { accept: 'text/event-stream' } });
      assert.equal(sse.status, 200);
      assert.equal(await status(url, s3), 404, 'the SSE session took the place of the least recently used of all (s3, checked before the rest)');
      assert.ok(running.agent.state.sessions <= 5, `${running.agent.state.sessions} sessions`);
    });
  });

  describe('a 2026-07-28 listen stream', () => {
    let running: RunningAgent;
    before(async () => {
      running = await startAgent({ mcpServers: { one: fixtureEntry('one') } }, { watchConfig: false, limits: { sessionsPerClient: 2, sessions: 10 } });
      await settled(running.agent);
    });
    after(() => running?.close());

    it('is held like a session: the least recently used is ended gracefully, and one the client leaves frees its place', async () => {
      const url = running.url;
      const stream = listen(url);
      await stream.opened;
      const [s1, s2] = [await open(url), await open(url)];
      assert.match(await stream.ended, /"resultType":"complete"/, 'the third of 127.0.0.1 ended the listen stream, its least recently used, with its response');
      assert.deepEqual([await status(url, s1), await status(url, s2)], [200, 200]);

      const left = listen(url);
      await left.opened;
      assert.equal(await status(url, s1), 404, 'the listen stream took the place of the least recently used session');
      const before = running.agent.state.sessions;
      left.leave();
      await waitFor(() => running.agent.state.sessions < before, 'the agent to see the client leave');
      const s3 = await open(url);
      assert.deepEqual([await status(url, s2), await status(url, s3)], [200, 200], 'the stream the client left no longer counts');
    });
  });

  describe('with client authorization: per grant', () => {
    let h: Harness;
    before(async () => {
      h = await startAuthAgent({ options: { limits: { sessionsPerClient: 2 } } });
    });
    after(() => h?.close());

    it("closes only that client's sessions", async () => {
      const first = await authorizedClient(h, ['a']);
      const second = await authorizedClient(h, ['a'], h.mcpUrl, new TestOAuthProvider(undefined, 'Another client'));
      await Promise.all([first.client.close(), second.client.close()]);
      const bearer = (provider: TestOAuthProvider): Record<string, string> => ({ authorization: `Bearer ${provider.tokens()?.access_token ?? ''}` });
      const url = h.mcpUrl.href;
      const theirs = await open(url, undefined, bearer(second.provider));
      const mine = [await open(url, undefined, bearer(first.provider)), await open(url, undefined, bearer(first.provider)), await open(url, undefined, bearer(first.provider))];
      assert.deepEqual(await Promise.all(mine.map((id) => status(url, id, undefined, bearer(first.provider)))), [404, 200, 200]);
      assert.equal(await status(url, theirs, undefined, bearer(second.provider)), 200, "another client's session stays");
    });
  });
});
