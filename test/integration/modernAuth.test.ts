import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizedClient, startAgent, type Harness, type TestOAuthProvider } from '../helpers/authHarness';
import { connectModernClient, envelope, postModern } from '../helpers/modernClient';

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } };

void describe('2026-07-28 requests under client authorization and scope validation', () => {
  let h: Harness;
  let provider: TestOAuthProvider;
  const bearer = () => ({ authorization: `Bearer ${provider.tokens()?.access_token ?? ''}` });

  before(async () => {
    h = await startAgent({ auth: { scopeValidation: true } });
    const granted = await authorizedClient(h, ['a']);
    provider = granted.provider;
    await granted.client.close();
  });
  after(() => h.close());

  void it('answers 401 with a challenge to a stateless request without a token', async () => {
    const { status } = await postModern(h.mcpUrl.href, list);
    assert.equal(status, 401);
    const res = await fetch(h.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }, body: JSON.stringify(list) });
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer resource_metadata="[^"]+"/);
  });

  void it('confines lists, calls and discovery to the granted tags', async () => {
    const raw = await postModern(h.mcpUrl.href, list, bearer());
    assert.deepEqual((raw.body.result?.tools as { name: string }[]).map((t) => t.name), ['alpha_1mcp_whoami']);
    const client = await connectModernClient(h.mcpUrl.href, { headers: bearer() });
    try {
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
      await assert.rejects(client.callTool({ name: 'beta_1mcp_whoami', arguments: {} }), /not found/);
      assert.doesNotMatch(client.getDiscoverResult()?.instructions ?? '', /beta/);
    } finally {
      await client.close();
    }
  });

  void it('refuses a selector naming a tag outside the grant with 403 insufficient_scope', async () => {
    const res = await postModern(`${h.mcpUrl.href}?tags=b`, list, bearer());
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });
});
