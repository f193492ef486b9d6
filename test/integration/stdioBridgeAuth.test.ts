// `onemcp proxy` with client authorization on: the bridge is an ordinary OAuth client. It prints the
// authorization URL, the user approves it on the agent's dashboard, the browser comes back to the
// bridge's loopback port; its registration and refresh token survive the agent restarting.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ManualClock } from '../../src/core/clock';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore';
import { assertNoSecretLogged, decideOnDashboard, followWaitingPage, openAuthorizationPage, secretsSeen, startAgent } from '../helpers/authHarness';
import { bridgeTransport } from '../helpers/bridge';
import { firstText, waitFor } from '../helpers/harness';

void it('is approved once on the dashboard, keeps its sign-in in a 0600 file, and refreshes it after the agent restarts', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onemcp-bridge-auth-'));
  const secrets = path.join(dir, 'agent', 'agent-secrets.json');
  const clock = new ManualClock();
  const first = await startAgent({ dir, clock, secrets: new FileSecretStore(secrets) });
  const port = Number(first.mcpUrl.port);
  const home = path.join(dir, 'home');
  const bridge = bridgeTransport(first.mcpUrl.href, home);
  const { transport } = bridge;
  const client = new Client({ name: 'stdio-app', title: 'Stdio App', version: '1' });
  const connected = client.connect(transport);
  let second: Awaited<ReturnType<typeof startAgent>> | undefined;
  try {
    // What a person does: open the printed page, approve on the dashboard, let the browser come back.
    const printed = await waitFor(() => /^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(bridge.stderr())?.[1], 'the authorization URL on stderr');
    const authorizationUrl = new URL(printed);
    assert.match(bridge.stderr(), /approve "Stdio App"/);
    const waitUrl = await openAuthorizationPage(authorizationUrl);
    await decideOnDashboard(first.base, authorizationUrl.searchParams.get('client_id') ?? '', { tags: ['a'] });
    const back = await followWaitingPage(waitUrl);
    assert.equal(back.hostname, '127.0.0.1');
    const landing = await fetch(back);
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /Approved/);
    await connected;
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
    const registered = first.agent.state.clients.find((c) => c.clientName === 'Stdio App (onemcp proxy)');
    assert.ok(registered?.authorized, 'the agent lists the bridge under the stdio client name');

    const proxyDir = path.join(home, '.config', '1mcp', 'proxy');
    const [file] = readdirSync(proxyDir);
    assert.ok(file, 'the bridge kept its sign-in');
    const kept = path.join(proxyDir, file);
    if (process.platform !== 'win32') assert.equal(statSync(kept).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(kept, 'utf8')) as { tokens: string };
    const refreshToken = (JSON.parse(stored.tokens) as { refresh_token?: string }).refresh_token;
    assert.ok(refreshToken);
    secretsSeen.add(refreshToken);

    // The agent restarts with its grants; once the access token has expired, the bridge opens a new
    // session and refreshes on its own: no second approval, no error for the client.
    await first.close();
    second = await startAgent({ dir, clock, port, secrets: new FileSecretStore(secrets) });
    clock.advance(3_601_000);
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} })), 'I am alpha');
    const rotated = (JSON.parse((JSON.parse(readFileSync(kept, 'utf8')) as { tokens: string }).tokens) as { refresh_token?: string }).refresh_token;
    assert.ok(rotated && rotated !== refreshToken, 'the refresh token was used (and rotated)');
    secretsSeen.add(rotated);
    assert.equal(second.agent.state.pendingApprovals.length, 0);
    assert.equal(bridge.stderr().match(/\/authorize\?/g)?.length, 1, 'the user was asked once');

    // Revoked, the bridge cannot refresh: the client's next call asks the user again, and goes through once approved.
    const clientId = second.agent.state.clients.find((c) => c.clientName === 'Stdio App (onemcp proxy)')?.clientId ?? '';
    await second.agent.revokeClient(clientId);
    const call = client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
    const again = new URL(await waitFor(() => [...bridge.stderr().matchAll(/^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/gm)][1]?.[1], 'a second authorization URL'));
    const secondWait = await openAuthorizationPage(again);
    await decideOnDashboard(second.base, again.searchParams.get('client_id') ?? '', { tags: ['a'] });
    assert.equal((await fetch(await followWaitingPage(secondWait))).status, 200);
    assert.equal(firstText(await call), 'I am alpha');

    // Neither the agents' logs nor the bridge's own messages carry a token.
    assertNoSecretLogged();
    for (const secret of secretsSeen) assert.ok(!bridge.stderr().includes(secret), 'a secret value appears on the bridge’s stderr');
  } finally {
    await client.close();
    await second?.close();
    await first.close();
  }
});
