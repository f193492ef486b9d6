// VS Code's own MCP client with auth on, against a real agent: approved once, then tokens from the
// refresh token kept in the SecretStore, refreshed before expiry, asked again when the grant is gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApprovalBroker, PendingApproval } from '../../src/core/auth/approvalBroker';
import type { Disposable } from '../../src/core/event';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { EDITOR_GRANT_KEY, EditorClientTokens } from '../../src/extension/editorClient';
import { assertNoSecretLogged, connect, logger, secretsSeen, startAgent, type Harness } from '../helpers/authHarness';

describe("VS Code's own MCP client with client authorization on", () => {
  let h: Harness;
  const requests: PendingApproval[] = [];
  /** What the user does with the editor's requests: grants tag a only. */
  const broker: ApprovalBroker = {
    requested: (approval) => {
      requests.push(approval);
      setImmediate(() => void h.agent.decideApproval(approval.id, { approve: true, tags: ['a'] }));
    },
    settled: () => undefined,
  };
  const secrets = new MemorySecretStore();
  const scheduled: { callback: () => void; ms: number }[] = [];
  let replaced = 0;
  const tokens = (): EditorClientTokens =>
    new EditorClientTokens({
      secrets,
      source: () => ({ local: h.agent }),
      clientName: 'code-server',
      tags: () => ['a', 'b'],
      onDidReplaceToken: () => replaced++,
      logger,
      clock: h.clock,
      schedule: (callback, ms): Disposable => {
        const entry = { callback, ms };
        scheduled.push(entry);
        return { dispose: () => scheduled.splice(scheduled.indexOf(entry) >>> 0, 1) };
      },
    });
  const stored = async (): Promise<Record<string, string>> => JSON.parse((await secrets.get(EDITOR_GRANT_KEY)) ?? '{}') as Record<string, string>;
  const toolsWith = async (token: string): Promise<string[]> => {
    secretsSeen.add(token);
    const client = await connect(h.mcpUrl, undefined, { headers: { Authorization: `Bearer ${token}` } });
    try {
      return (await client.listTools()).tools.map((t) => t.name);
    } finally {
      await client.close();
    }
  };

  before(async () => {
    h = await startAgent({ auth: { broker } });
  });
  after(() => h?.close());

  it('asks the user once, keeps only the client id and refresh token, and reaches only the granted backends', async () => {
    const editor = tokens();
    const token = await editor.token();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.clientName, 'code-server');
    assert.equal(requests[0]?.redirectUri, undefined, 'an in-process request');
    assert.deepEqual(requests[0]?.requestedTags, ['a', 'b']);
    const grant = await stored();
    assert.deepEqual(Object.keys(grant).sort(), ['clientId', 'refreshToken', 'resource']);
    assert.equal(grant.resource, h.agent.endpoint);
    assert.ok(!JSON.stringify(grant).includes(token), 'no access token in the SecretStore');
    secretsSeen.add(grant.refreshToken ?? '');
    const names = await toolsWith(token);
    assert.ok(names.some((n) => n.startsWith('alpha_1mcp_')));
    assert.ok(!names.some((n) => n.startsWith('beta_1mcp_')), 'tag b was not granted');
    assert.equal(await editor.token(), token, 'the live token is reused');
    assert.equal(h.agent.state.clients.find((c) => c.clientId === grant.clientId)?.inProcess, true);
    editor.dispose();
  });

  it('a new window gets tokens from the stored refresh token without asking, and rotates it', async () => {
    const before = await stored();
    const editor = tokens();
    const token = await editor.token();
    assert.equal(requests.length, 1, 'no new approval');
    const after = await stored();
    assert.equal(after.clientId, before.clientId);
    assert.notEqual(after.refreshToken, before.refreshToken, 'the refresh token rotated');
    secretsSeen.add(after.refreshToken ?? '');
    assert.ok((await toolsWith(token)).length > 0);
    editor.dispose();
  });

  it('refreshes before the access token expires, and tells VS Code to reconnect with the new one', async () => {
    const editor = tokens();
    const first = await editor.token();
    const rotation = scheduled.at(-1);
    assert.ok(rotation, 'a refresh is scheduled');
    assert.ok(rotation.ms > 0 && rotation.ms < 3600 * 1000, `refresh ${rotation.ms} ms after issue, before the hour is over`);
    h.clock.advance(rotation.ms);
    rotation.callback();
    await waitUntil(() => replaced === 1);
    const second = await editor.token();
    assert.notEqual(second, first);
    assert.equal(requests.length, 1, 'no new approval');
    h.clock.advance(3600 * 1000 - rotation.ms);
    assert.ok((await toolsWith(second)).length > 0, 'the new token works after the first one expired');
    editor.dispose();
  });

  it('a revoked editor client is forgotten, VS Code reconnects, and the next start asks again', async () => {
    const editor = tokens();
    await editor.token();
    const { clientId } = await stored();
    assert.ok(clientId && (await h.agent.revokeClient(clientId)));
    editor.handleState(h.agent.state);
    await waitUntil(() => replaced === 2);
    assert.equal(await secrets.get(EDITOR_GRANT_KEY), undefined);
    const token = await editor.token();
    assert.equal(requests.length, 2, 'asked again');
    assert.ok((await toolsWith(token)).length > 0);
    editor.dispose();
  });

  it('a refresh token the agent refuses (invalid_grant) means asking again', async () => {
    const grant = await stored();
    await secrets.set(EDITOR_GRANT_KEY, JSON.stringify({ ...grant, refreshToken: 'not-a-refresh-token' }));
    const editor = tokens();
    const token = await editor.token();
    assert.equal(requests.length, 3);
    assert.ok((await toolsWith(token)).length > 0);
    editor.dispose();
    assertNoSecretLogged();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition());
}
