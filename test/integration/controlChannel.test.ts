// The control channel between windows: only a direct loopback peer without a browser Origin that
// proves the window key gets in; an MCP token is no key, and the channel opens no MCP door.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { controlProof, newControlSecret } from '../../src/core/http/control/controlProof';
import { WINDOW_PROOF_HEADER, WINDOW_SESSION_HEADER } from '../../src/core/http/control/controlProtocol';
import { WindowKey } from '../../src/core/control/windowKey';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { INITIALIZE, rawMcpPost } from '../helpers/authHarness';
import { fixtureEntry, tempDir, waitFor } from '../helpers/harness';
import { neighbourAddress, rawRequest } from '../helpers/loopback';
import { freePort, testWindow, type TestWindow } from '../helpers/sharedAgents';

const nonLoopback = neighbourAddress();

describe('control channel', () => {
  let dir: string;
  let w: TestWindow;
  let base: string;
  let key: string;

  const challenge = async (): Promise<string> => {
    const answer = await rawRequest(`${base}/control/challenge?nonce=${newControlSecret()}`);
    assert.equal(answer.status, 200);
    return (JSON.parse(answer.body) as { challenge: string }).challenge;
  };
  const proofHeader = async (withKey = key): Promise<Record<string, string>> => {
    const c = await challenge();
    return { [WINDOW_PROOF_HEADER]: `${c}.${controlProof(withKey, 'window', c)}` };
  };

  before(async () => {
    dir = await tempDir();
    const configPath = path.join(dir, 'mcp.json');
    await fs.writeFile(configPath, JSON.stringify({ mcpServers: { one: fixtureEntry('one', { tags: ['a'] }) } }));
    const port = await freePort();
    const keys = new MemorySecretStore();
    key = await new WindowKey(keys).get();
    w = testWindow({ port, configPath, label: 'W', keys, auth: { enabled: true, scopeValidation: false } });
    assert.ok((await w.shared.join()).ok);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await w?.shared.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('proves the agent holds the key before the window proves it, and accepts each challenge once', async () => {
    assert.equal((await rawRequest(`${base}/control/challenge`)).status, 400);
    const nonce = newControlSecret();
    const answer = JSON.parse((await rawRequest(`${base}/control/challenge?nonce=${nonce}`)).body) as { challenge: string; proof: string };
    assert.equal(answer.proof, controlProof(key, 'agent', nonce), 'the agent proves the key');
    assert.notEqual(answer.proof, controlProof(key, 'window', nonce), 'an agent proof is no window proof');

    assert.equal((await rawRequest(`${base}/control/events`)).status, 401, 'no proof');
    assert.equal((await rawRequest(`${base}/control/events`, { headers: await proofHeader(newControlSecret()) })).status, 401, 'a proof made with another key');
    const valid = await proofHeader();
    const opened = await rawRequest(`${base}/control/events`, { headers: valid });
    assert.equal(opened.status, 200);
    assert.match(opened.body, /"type":"session"/);
    assert.equal((await rawRequest(`${base}/control/events`, { headers: valid })).status, 401, 'a challenge is good once');
  });

  it("keeps a window's challenge however many other local processes ask for", async () => {
    const mine = await challenge();
    for (let i = 0; i < 200; i++) await challenge();
    const opened = await rawRequest(`${base}/control/events`, { headers: { [WINDOW_PROOF_HEADER]: `${mine}.${controlProof(key, 'window', mine)}` } });
    assert.equal(opened.status, 200, opened.body);
    const forged = `${mine.slice(0, -2)}${mine.endsWith('AA') ? 'AB' : 'AA'}`;
    assert.equal((await rawRequest(`${base}/control/events`, { headers: { [WINDOW_PROOF_HEADER]: `${forged}.${controlProof(key, 'window', forged)}` } })).status, 401, 'a challenge the agent did not issue');
  });

  it('names its own body limit when it refuses an action as too large', async () => {
    const answer = await rawRequest(`${base}/control/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'restartBackend', name: 'x'.repeat(20_000) }) });
    assert.equal(answer.status, 413);
    assert.equal((JSON.parse(answer.body) as { error_description: string }).error_description, 'Request body is larger than 16 KB');
  });

  it('refuses browsers and relayed requests even with a valid proof', async () => {
    const extras: Record<string, string>[] = [{ origin: base }, { 'sec-fetch-site': 'same-origin' }, { 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const extra of extras) {
      const answer = await rawRequest(`${base}/control/events`, { headers: { ...(await proofHeader()), ...extra } });
      assert.equal(answer.status, 403, JSON.stringify(extra));
    }
  });

  it('refuses a peer that is not on loopback, whatever its Host header says', { skip: nonLoopback ? false : 'this machine has no non-loopback IPv4 address' }, async () => {
    const answer = await rawRequest(`${base}/control/challenge?nonce=${newControlSecret()}`, { localAddress: nonLoopback, headers: { host: base.replace('http://', '') } });
    assert.equal(answer.status, 403);
  });

  it('takes actions only within an open stream, and an MCP token is no key', async () => {
    const noSession = await rawRequest(`${base}/control/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'restartBackend', name: 'one' }) });
    assert.equal(noSession.status, 401);

    const agent = w.shared.serving;
    assert.ok(agent);
    const pending = agent.authorizeInProcessClient({ clientName: 'token holder' });
    await waitFor(() => agent.state.pendingApprovals[0], 'the request');
    await agent.decideApproval(agent.state.pendingApprovals[0]?.id ?? '', { approve: true, tags: ['a'] });
    const { accessToken } = await pending;
    assert.equal((await rawMcpPost(`${base}/mcp`, INITIALIZE, { authorization: `Bearer ${accessToken}` })).status, 200, 'the token is good for MCP');
    assert.equal((await rawRequest(`${base}/control/events`, { headers: { authorization: `Bearer ${accessToken}` } })).status, 401, 'but opens no control stream');

    const stream = await rawRequest(`${base}/control/events`, { headers: await proofHeader() });
    const session = /"session":"([^"]+)"/.exec(stream.body)?.[1] ?? '';
    assert.ok(session);
    assert.equal((await rawMcpPost(`${base}/mcp`, INITIALIZE, { [WINDOW_SESSION_HEADER]: session })).status, 401, 'a control session opens no MCP session');
  });
});
