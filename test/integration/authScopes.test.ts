import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  assertNoSecretLogged,
  authorizedClient,
  challengeViolations,
  connect,
  INITIALIZE,
  rawMcpPost,
  startAgent,
  TestOAuthProvider,
  type Harness,
} from '../helpers/authHarness';

const names = async (client: Client): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name).sort();
const bearer = (provider: TestOAuthProvider) => ({ authorization: `Bearer ${provider.tokens()?.access_token ?? ''}` });
const withQuery = (url: URL, query: string) => new URL(`${url.href}?${query}`);

void describe('scope validation confines a token to its granted tags', () => {
  let h: Harness;
  let onlyA: { client: Client; provider: TestOAuthProvider };
  before(async () => {
    h = await startAgent({ auth: { scopeValidation: true } });
    onlyA = await authorizedClient(h, ['a']);
  });
  after(() => h.close());

  void it('without a selector, lists, calls and reads only the granted backends', async () => {
    const { client } = onlyA;
    assert.deepEqual(await names(client), ['alpha_1mcp_whoami']);
    // A backend outside the grant is not even named: the same answer as for a tool that does not exist.
    await assert.rejects(client.callTool({ name: 'beta_1mcp_whoami' }), /^McpError: MCP error -32602: Tool "beta_1mcp_whoami" not found\. Did you mean "alpha_1mcp_whoami"\?$/);
    const resources = (await client.listResources()).resources.map((r) => r.uri);
    assert.deepEqual(resources, ['note://alpha']);
    // beta's note is not reached: with beta out of sight, its URI is one alpha alone could serve.
    await assert.rejects(client.readResource({ uri: 'note://beta' }), /not found/);
    await assert.rejects(client.readResource({ uri: 'beta+note://beta' }), /not found/);
    const read = await client.readResource({ uri: 'note://alpha' });
    assert.equal((read.contents[0] as { text?: string } | undefined)?.text, 'note of alpha');
  });

  void it('names the scope a selector needs in the 401 challenge', async () => {
    const response = await rawMcpPost(withQuery(h.mcpUrl, 'tags=b'), INITIALIZE);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /scope="tag:b"/);
  });

  void it('answers a selector naming an ungranted tag with 403 insufficient_scope', async () => {
    const response = await rawMcpPost(withQuery(h.mcpUrl, 'tags=b'), INITIALIZE, bearer(onlyA.provider));
    assert.equal(response.status, 403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="tag:a tag:b"/);
    assert.match(challenge, /resource_metadata="/);
    // Any selector naming b is refused, a `not` expression included...
    for (const query of ['tags=a,b', 'tag-filter=not%20b', 'tag-filter=a%20and%20not%20b']) {
      assert.equal((await rawMcpPost(withQuery(h.mcpUrl, query), INITIALIZE, bearer(onlyA.provider))).status, 403, query);
    }
  });

  void it('evaluates a selector inside the grant', async () => {
    const selected = await connect(withQuery(h.mcpUrl, 'tags=a'), onlyA.provider);
    assert.deepEqual(await names(selected), ['alpha_1mcp_whoami']);
    await assert.rejects(selected.callTool({ name: 'beta_1mcp_whoami' }), /not found/);
    await selected.close();
    // ...and `not a` inside {a} selects nothing, never the untagged-by-a backend beta.
    const negated = await connect(withQuery(h.mcpUrl, 'tag-filter=not%20a'), onlyA.provider);
    assert.deepEqual(await names(negated), []);
    await assert.rejects(negated.callTool({ name: 'beta_1mcp_whoami' }), /not found/);
    await assert.rejects(negated.readResource({ uri: 'note://beta' }), /not found/);
    await negated.close();
  });

  void it("keeps a session to the grant that opened it: another client's token cannot use it", async () => {
    const opened = await rawMcpPost(h.mcpUrl, INITIALIZE, bearer(onlyA.provider));
    assert.equal(opened.status, 200);
    const sessionId = opened.headers.get('mcp-session-id') ?? '';
    await opened.body?.cancel();
    const other = await authorizedClient(h, ['a', 'b']);
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const hijack = await rawMcpPost(h.mcpUrl, list, { ...bearer(other.provider), 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' });
    assert.equal(hijack.status, 404);
    assert.deepEqual(await names(other.client), ['alpha_1mcp_whoami', 'beta_1mcp_whoami']);
    await other.client.close();
  });

  void it('closes having sent no 401 without a challenge and logged no secret', async () => {
    await onlyA.client.close();
    await h.close();
    assert.deepEqual(challengeViolations, []);
    assertNoSecretLogged();
  });
});

void describe('with auth on and scope validation off', () => {
  let h: Harness;
  before(async () => {
    h = await startAgent({ auth: { scopeValidation: false } });
  });
  after(() => h.close());

  void it('a valid token is still required, and sees every backend whatever it was granted', async () => {
    assert.equal((await rawMcpPost(h.mcpUrl, INITIALIZE)).status, 401);
    const { client } = await authorizedClient(h, ['a']);
    assert.deepEqual(await names(client), ['alpha_1mcp_whoami', 'beta_1mcp_whoami']);
    await client.close();
    assert.deepEqual(h.agent.state.auth, { enabled: true, scopeValidation: false });
  });
});
