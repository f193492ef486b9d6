// Authorization requests from another machine: made from this machine's own non-loopback address (a
// neighbour as the agent's socket sees it) against an agent on every interface, with the SDK's client
// auth. The request says where it came from everywhere it is shown, cannot pass for a local one, is
// collected only by the peer that made it, and cannot push out anyone else's.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { PendingApproval } from '../../src/core/auth/approvalBroker';
import { bracketed } from '../../src/core/listenAddress';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { approvalRequestText } from '../../src/extension/render/requestText';
import {
  connect,
  decideOnDashboard,
  followWaitingPage,
  openAuthorizationPage,
  recordingFetch,
  startAgent,
  startAuthorization,
  TestOAuthProvider,
  type Harness,
} from '../helpers/authHarness';
import { neighbourAddress, rawRequest, type RawAnswer } from '../helpers/loopback';

const neighbour = neighbourAddress();
const skip = neighbour ? false : 'this machine has no non-loopback IPv4 address to connect from, so no request can come from the network';
const WARNING = 'It came from another machine: approve only if you started it there.';

describe('authorization requests from the network', { skip }, () => {
  let h: Harness;
  let network: URL;
  /** Opens `url` as a browser of this machine would, from loopback (naming the same host, so asking for the same resource). */
  const fromThisMachine = (url: URL, headers: Record<string, string> = {}): Promise<RawAnswer> =>
    rawRequest(Object.assign(new URL(url), { hostname: '127.0.0.1' }), { headers: { host: url.host, ...headers } });
  const pendingOf = (clientId: string): PendingApproval[] => h.agent.state.pendingApprovals.filter((p) => p.clientId === clientId);
  const denyAll = async (): Promise<void> => {
    for (const p of h.agent.state.pendingApprovals) await h.agent.decideApproval(p.id, { approve: false });
  };

  before(async () => {
    h = await startAgent({ options: { host: '0.0.0.0' } });
    network = new URL(`http://${bracketed(neighbour ?? '')}:${h.mcpUrl.port}/mcp`);
  });
  after(() => h.close());
  afterEach(denyAll);

  it('refuses a loopback redirect asked for from the network, on a page that says why, and asks nobody', async () => {
    const provider = new TestOAuthProvider('http://127.0.0.1:33418/callback', 'Claude Code');
    await startAuthorization(network, provider);
    assert.ok(provider.authorizationUrl);
    const page = await recordingFetch(provider.authorizationUrl, { redirect: 'manual' });
    const text = await page.text();
    assert.equal(page.status, 403, text);
    assert.match(text, new RegExp(`This request came from the network \\(${neighbour?.replace(/\./g, '\\.')}\\), but the application would return to http://127\\.0\\.0\\.1:33418/callback, a loopback address`));
    assert.deepEqual(pendingOf(provider.clientId), [], 'nothing was put in front of the user');

    const relayed = await fromThisMachine(provider.authorizationUrl, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(relayed.status, 403, 'a proxy on this machine relaying the request is the network too');
    assert.match(relayed.body, /This request came from the network \(203\.0\.113\.9, relayed by a proxy on this machine\)/);

    const local = await fromThisMachine(provider.authorizationUrl);
    assert.equal(local.status, 200, local.body);
    assert.deepEqual(pendingOf(provider.clientId).map((p) => p.origin), [{ kind: 'loopback' }], 'the browser of this machine may ask for it');
  });

  it('says where the request came from: in the state, on the waiting page, on /oauth, in the notification and the dashboard webview', async () => {
    const provider = new TestOAuthProvider('https://neighbour.example/callback', '\u202EClaude\u200B Code\u2066');
    await startAuthorization(network, provider);
    assert.ok(provider.authorizationUrl);
    const waiting = await (await recordingFetch(provider.authorizationUrl)).text();
    assert.match(waiting, new RegExp(`<dt>From</dt><dd>the network \\(${neighbour}\\)</dd>`));

    const [approval] = pendingOf(provider.clientId);
    assert.ok(approval);
    assert.deepEqual(approval.origin, { kind: 'network', address: neighbour });
    assert.equal(approval.clientName, 'Claude Code', 'what reorders or hides text is gone from the name');

    const dashboard = await (await recordingFetch(`${h.base}/oauth`)).text();
    const article = dashboard.split('<article').find((part) => part.includes(provider.clientId)) ?? '';
    assert.match(article, new RegExp(`<dd class="origin" data-origin="network"><strong>the network \\(${neighbour}\\)</strong>\\. ${WARNING}</dd>`));
    assert.match(article, /<h3 id="[^"]+">Claude Code<\/h3>/);

    assert.equal(approvalRequestText(approval), `1MCP: From the network (${neighbour}): "Claude Code" asks for access to tags a, b. It will return to https://neighbour.example/callback. ${WARNING}`);
    const view = dashboardState(h.agent.state).approvals.find((a) => a.clientId === provider.clientId);
    assert.deepEqual([view?.clientName, view?.from, view?.warning], ['Claude Code', `the network (${neighbour})`, WARNING]);
  });

  it('refuses tags that no tag could be named, so that nothing but tag names is put in front of the user', async () => {
    const provider = new TestOAuthProvider('https://neighbour.example/tags', 'Tag client');
    await startAuthorization(network, provider);
    assert.ok(provider.authorizationUrl);
    const url = new URL(provider.authorizationUrl);
    url.searchParams.set('scope', 'tag:a tag:\u202Eb\u200Bc');
    const answer = await recordingFetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    const location = new URL(answer.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
    assert.equal(location.searchParams.get('state'), provider.stateValue);
    assert.deepEqual(pendingOf(provider.clientId), []);
  });

  it('lets only the peer that started a request collect its outcome, then lets it in', async () => {
    const provider = new TestOAuthProvider('com.example.onemcp-test:/callback', 'Network client');
    const transport = await startAuthorization(network, provider);
    assert.ok(provider.authorizationUrl);
    const waitUrl = await openAuthorizationPage(provider.authorizationUrl);

    const elsewhere = await fromThisMachine(waitUrl);
    assert.equal(elsewhere.status, 403);
    assert.match(elsewhere.body, /This authorization request was started from another address; only the browser that started it can continue it\./);
    await decideOnDashboard(h.base, provider.clientId, { tags: ['a'] });
    const stillElsewhere = await fromThisMachine(waitUrl);
    assert.equal(stillElsewhere.status, 403, 'approved, the outcome still goes only to its peer');
    assert.ok(!/code=/.test(String(stillElsewhere.headers.location)));

    const location = await followWaitingPage(waitUrl);
    assert.equal(`${location.protocol}${location.pathname}`, 'com.example.onemcp-test:/callback');
    await transport.finishAuth(location.searchParams.get('code') ?? '');
    const client = await connect(network, provider);
    try {
      assert.ok((await client.listTools()).tools.some((t) => t.name.startsWith('alpha_1mcp_')));
    } finally {
      await client.close();
    }
  });

  it('keeps requesters to their quotas, refusing the newcomer on a page and ending nobody else\'s request', async () => {
    const local = new TestOAuthProvider('http://127.0.0.1:43126/callback', 'Local client');
    await startAuthorization(h.mcpUrl, local);
    assert.ok(local.authorizationUrl);
    await openAuthorizationPage(local.authorizationUrl);
    const [localRequest] = pendingOf(local.clientId);
    assert.ok(localRequest);

    const busy = new TestOAuthProvider('https://neighbour.example/busy', 'Busy client');
    await startAuthorization(network, busy);
    assert.ok(busy.authorizationUrl);
    for (let i = 0; i < 3; i++) await openAuthorizationPage(busy.authorizationUrl);
    const overClient = await recordingFetch(busy.authorizationUrl);
    assert.equal(overClient.status, 429);
    assert.match(await overClient.text(), /This application already has 3 authorization requests waiting for the user\. Decide on them in 1MCP, or wait until they expire, then try again\./);

    for (let i = 0; i < 7; i++) {
      const other = new TestOAuthProvider(`https://neighbour.example/other-${i}`, `Other ${i}`);
      await startAuthorization(network, other);
      assert.ok(other.authorizationUrl);
      await openAuthorizationPage(other.authorizationUrl);
    }
    const newcomer = new TestOAuthProvider('https://neighbour.example/newcomer', 'Newcomer');
    await startAuthorization(network, newcomer);
    assert.ok(newcomer.authorizationUrl);
    const overRequester = await recordingFetch(newcomer.authorizationUrl);
    assert.equal(overRequester.status, 429);
    assert.match(await overRequester.text(), new RegExp(`10 authorization requests from the network \\(${neighbour}\\) are already waiting for the user`));

    assert.deepEqual(pendingOf(local.clientId).map((p) => p.id), [localRequest.id], 'the local request still waits');
    assert.equal(h.agent.state.pendingApprovals.filter((p) => p.origin.kind === 'network').length, 10);
    const another = new TestOAuthProvider('http://127.0.0.1:43127/callback', 'Another local client');
    await startAuthorization(h.mcpUrl, another);
    assert.ok(another.authorizationUrl);
    await openAuthorizationPage(another.authorizationUrl);
    assert.equal(pendingOf(another.clientId).length, 1, 'this machine is still heard');
  });
});
