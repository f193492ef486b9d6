// Two "windows" with their own secret stores (as code-server tabs, which load SecretStorage once each)
// and one window key, auth on: an outside client is approved in the follower; the serving window goes;
// the follower serves, and the client's same token works again after it re-initializes.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { PendingApproval } from '../../src/core/auth/approvalBroker';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { connect, followWaitingPage, INITIALIZE, openAuthorizationPage, rawMcpPost, startAuthorization, TestOAuthProvider } from '../helpers/authHarness';
import { tempDir, waitFor } from '../helpers/harness';
import { freePort, testWindow, type TestWindow } from '../helpers/sharedAgents';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'authBackend.ts');
/** Where the agent keeps its clients and grants in its secret store. */
const AUTH_KEY = 'onemcp.auth.v1';

describe('a follower takes over with every grant', () => {
  let dir: string;
  let port: number;
  let a: TestWindow;
  let b: TestWindow;
  const seenByB: PendingApproval[] = [];

  before(async () => {
    dir = await tempDir();
    const configPath = path.join(dir, 'mcp.json');
    const backend = (name: string, tag: string) => ({ command: process.execPath, args: ['--import', 'tsx', FIXTURE, name], tags: [tag] });
    await fs.writeFile(configPath, JSON.stringify({ mcpServers: { alpha: backend('alpha', 'a'), beta: backend('beta', 'b') } }));
    port = await freePort();
    const keys = new MemorySecretStore();
    const auth = { enabled: true, scopeValidation: true };
    const activityFile = path.join(dir, 'state', 'activity.jsonl');
    a = testWindow({ port, configPath, label: 'A', keys, auth, activityFile });
    b = testWindow({ port, configPath, label: 'B', keys, auth, activityFile });
    b.shared.events.onDidRequestApproval((approval) => seenByB.push(approval));
    assert.ok((await a.shared.join()).ok);
    assert.ok((await b.shared.join()).ok);
    assert.equal(b.shared.state.role, 'following');
    await waitFor(() => b.shared.state.backends.length === 2 && b.shared.state.backends.every((s) => s.status === 'connected'), 'the follower to see both backends connected');
  });
  after(async () => {
    await Promise.all([a?.shared.dispose(), b?.shared.dispose()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('approves an outside client in the follower, then serves it with the same token after the serving window is gone', async () => {
    const mcpUrl = new URL(`http://127.0.0.1:${port}/mcp`);
    const provider = new TestOAuthProvider(undefined, 'Outside Client');
    const transport = await startAuthorization(mcpUrl, provider);
    assert.ok(provider.authorizationUrl);
    const waitUrl = await openAuthorizationPage(provider.authorizationUrl);

    // The request shows in the follower, which decides it on the serving agent.
    await waitFor(() => seenByB.find((r) => r.clientName === 'Outside Client'), 'the follower to be told of the request');
    const request = await waitFor(() => b.shared.state.pendingApprovals.find((r) => r.clientName === 'Outside Client'), 'the follower’s state to list the request');
    await b.shared.decideApproval(request.id, { approve: true, tags: ['a'] });
    const location = await followWaitingPage(waitUrl);
    await transport.finishAuth(location.searchParams.get('code') ?? '');
    const client = await connect(mcpUrl, provider);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
    const oldSession = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    // The call shows in the follower as it is recorded in the serving window.
    await client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
    const call = await waitFor(() => b.shared.activity.list().find((r) => r.oauthClient?.name === 'Outside Client'), 'the follower to be sent the call');
    assert.deepEqual([call.client, call.server, call.outcome, call.session], ['auth-test', 'alpha', 'ok', oldSession]);
    const token = provider.tokens()?.access_token ?? '';
    await waitFor(() => b.shared.state.clients.some((c) => c.clientName === 'Outside Client' && c.authorized), 'the follower to list the client');

    // B's own store (as a code-server tab's, loaded before the grant existed) holds none of it: only what A sent.
    assert.equal(await b.store.get(AUTH_KEY), undefined, 'the follower wrote nothing it received');
    assert.ok(await a.store.get(AUTH_KEY), 'the serving window stored the grant');
    await a.shared.leave('shutdown');
    await waitFor(() => b.shared.state.role === 'serving', 'the follower to take over');
    await waitFor(() => b.store.get(AUTH_KEY), 'the new serving window to keep the grants it took over');

    const stale = await rawMcpPost(mcpUrl, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { authorization: `Bearer ${token}`, 'mcp-session-id': oldSession });
    assert.equal(stale.status, 404, 'an old session is unknown to the new agent');
    const reinitialized = await rawMcpPost(mcpUrl, INITIALIZE, { authorization: `Bearer ${token}` });
    assert.equal(reinitialized.status, 200, 'the same token opens a new session');
    const again = await connect(mcpUrl, provider);
    await waitFor(() => b.shared.state.backends.every((s) => s.status === 'connected'), 'the new agent’s backends');
    const result = await again.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
    assert.deepEqual(result.content, [{ type: 'text', text: 'I am alpha' }]);
    // The new serving window read the record the last one wrote: the call before the takeover is still there.
    await waitFor(() => b.shared.activity.list().length === 2, 'the history and the new call');
    assert.deepEqual(b.shared.activity.list().map((r) => r.session), [oldSession, (again.transport as StreamableHTTPClientTransport).sessionId]);
    assert.equal(b.shared.state.pendingApprovals.length, 0, 'nobody was asked again');
    await again.close();
    await client.close().catch(() => undefined);
  });
});
