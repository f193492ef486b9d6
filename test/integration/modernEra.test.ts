import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startModernBackend } from '../fixtures/modernBackend';
import { connectClient, fixtureEntry, firstText, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { MODERN, connectModernClient, envelope, postModern } from '../helpers/modernClient';

const MODERN_SCRIPT = path.resolve(__dirname, '..', 'fixtures', 'modernBackend.ts');

void describe('a 2026-07-28 client through the agent, to backends of both eras', () => {
  let running: RunningAgent;
  let http: Awaited<ReturnType<typeof startModernBackend>>;
  let client: ModernClient;

  before(async () => {
    http = await startModernBackend('web');
    running = await startAgent({
      mcpServers: {
        alpha: fixtureEntry('alpha'),
        web: { url: http.url, tags: ['modern'] },
        local: { command: process.execPath, args: ['--import', 'tsx', MODERN_SCRIPT], env: { FIXTURE_NAME: 'local' }, tags: ['modern'] },
      },
    });
    await settled(running.agent);
    client = await connectModernClient(running.url, { name: 'Ada' });
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await http?.close();
  });

  void it('connects the modern-only backends over HTTP and stdio, negotiated from the refused handshake', () => {
    const states = Object.fromEntries(running.agent.state.backends.map((b) => [b.name, b]));
    assert.equal(states.web?.status, 'connected', states.web?.reason);
    assert.equal(states.local?.status, 'connected', states.local?.reason);
    assert.ok(states.web?.tools.some((t) => t.name === 'web_1mcp_whoami'));
    assert.equal(running.agent.hub.backends.get('web')?.protocolEra, 'modern');
    assert.equal(running.agent.hub.backends.get('alpha')?.protocolEra, 'legacy');
    assert.ok(running.logs.some((l) => /\[web\] refused the 2025 handshake \(it speaks 2026-07-28\)/.test(l)));
  });

  void it('answers server/discover with both eras, what the caller sees, the instructions and the identity', () => {
    const discover = client.getDiscoverResult();
    assert.ok(discover);
    assert.deepEqual(discover.supportedVersions.slice(0, 2), [MODERN, '2025-11-25']);
    assert.ok(discover.capabilities.tools && discover.capabilities.prompts && discover.capabilities.resources);
    assert.match(discover.instructions ?? '', /## alpha\nFixture server alpha\./);
    assert.match(discover.instructions ?? '', /## web\nModern server web\./);
    assert.equal((discover._meta?.['io.modelcontextprotocol/serverInfo'] as { name?: string } | undefined)?.name, '1mcp-agent');
  });

  void it('lists every backend\'s tools, with resultType and cache hints', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const name of ['alpha_1mcp_echo', 'web_1mcp_echo', 'local_1mcp_echo', 'web_1mcp_count']) assert.ok(names.includes(name), name);
    const raw = await postModern(running.url, { jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: envelope() } });
    assert.equal(raw.status, 200);
    assert.equal(raw.body.result?.resultType, 'complete');
    assert.equal(raw.body.result?.ttlMs, 0);
    assert.equal(raw.body.result?.cacheScope, 'private');
  });

  void it('calls tools on a handshake-era backend and on modern-only ones', async () => {
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'hi' } })), 'alpha: hi');
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_echo', arguments: { text: 'hi' } })), 'web: hi');
    assert.equal(firstText(await client.callTool({ name: 'local_1mcp_echo', arguments: { text: 'hi' } })), 'local: hi');
    const raw = await postModern(running.url, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'alpha_1mcp_echo', arguments: { text: 'x' }, _meta: envelope() } }, { 'mcp-name': 'alpha_1mcp_echo' });
    assert.equal(raw.body.result?.resultType, 'complete');
  });

  void it('mirrors x-mcp-header arguments into Mcp-Param headers, and checks a client\'s against the body', async () => {
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_regional', arguments: { region: 'eu' } })), 'web in eu');
    const call = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'web_1mcp_regional', arguments: { region: 'eu' }, _meta: envelope() } };
    const missing = await postModern(running.url, call, { 'mcp-name': 'web_1mcp_regional' });
    assert.deepEqual([missing.status, missing.body.error?.code], [400, -32020]);
    const wrong = await postModern(running.url, call, { 'mcp-name': 'web_1mcp_regional', 'mcp-param-region': 'us' });
    assert.deepEqual([wrong.status, wrong.body.error?.code], [400, -32020]);
  });

  void it('relays progress from both eras to the request that asked for it', async () => {
    for (const [name, args, expected] of [
      ['alpha_1mcp_wait', { steps: 3, stepMs: 5 }, [1, 2, 3]],
      ['web_1mcp_count', { to: 3 }, [1, 2, 3]],
    ] as const) {
      const progress: number[] = [];
      await client.request({ method: 'tools/call', params: { name, arguments: args } }, { onprogress: (p) => progress.push(p.progress) });
      assert.deepEqual(progress, expected, name);
    }
  });

  void it('puts a backend\'s elicitation and sampling to the modern client as input_required, and its answers back', async () => {
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} })), 'Hello Ada');
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_whoami', arguments: {} })), 'Hello Ada');
    assert.equal(firstText(await client.callTool({ name: 'local_1mcp_whoami', arguments: {} })), 'Hello Ada');
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_ask', arguments: { question: 'capital?' } })), 'sampled: {"type":"text","text":"capital?"}');
  });

  void it('shows the round trip on the wire: input_required with a requestState, the retry carries the answer', async () => {
    const first = await postModern(running.url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'alpha_1mcp_whoami', arguments: {}, _meta: envelope({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } }) } }, { 'mcp-name': 'alpha_1mcp_whoami' });
    const result = first.body.result as { resultType: string; inputRequests: Record<string, { method: string; params: { message: string } }>; requestState: string };
    assert.equal(result.resultType, 'input_required');
    const [key, question] = Object.entries(result.inputRequests)[0] ?? [];
    assert.equal(question?.method, 'elicitation/create');
    assert.equal(question?.params.message, 'What is your name?');
    const retry = await postModern(running.url, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'alpha_1mcp_whoami', arguments: {}, inputResponses: { [key ?? '']: { action: 'accept', content: { name: 'Grace' } } }, requestState: result.requestState, _meta: envelope() },
    }, { 'mcp-name': 'alpha_1mcp_whoami' });
    assert.equal(firstText(retry.body.result), 'Hello Grace');
    const replay = await postModern(running.url, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'alpha_1mcp_whoami', arguments: {}, requestState: result.requestState, _meta: envelope() } }, { 'mcp-name': 'alpha_1mcp_whoami' });
    assert.equal(replay.body.error?.code, -32602);
  });

  void it('refuses to ask a client that did not declare the capability', async () => {
    const noElicitation = await connectModernClient(running.url, { capabilities: {} });
    try {
      const result = await noElicitation.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
      assert.equal(result.isError, true);
      // One prefix: the backend's SDK puts it in front of the agent's refusal (issue 10: never two).
      assert.equal(firstText(result), 'MCP error -32600: The client did not declare the elicitation capability');
    } finally {
      await noElicitation.close();
    }
  });

  void it('gets prompts, reads resources and completes from both eras: names namespaced, URIs as their servers gave them', async () => {
    const prompt = await client.getPrompt({ name: 'web_1mcp_greet', arguments: { who: 'Alan' } });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Hello Alan from web' });
    const legacyPrompt = await client.getPrompt({ name: 'alpha_1mcp_greet', arguments: { who: 'Alan' } });
    assert.deepEqual(legacyPrompt.messages[0]?.content, { type: 'text', text: 'Hello Alan from alpha' });
    // web and local are the same 2026-07-28 fixture: their URIs collide and are told apart.
    const read = await client.readResource({ uri: 'web+modern://info' });
    assert.deepEqual(read.contents[0], { uri: 'web+modern://info', mimeType: 'text/plain', text: 'info from web' });
    const item = await client.readResource({ uri: 'fixture://items/42' });
    assert.equal((item.contents[0] as { text?: string }).text, 'item 42 from alpha');
    const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    assert.ok(templates.includes('web+modern://items/{id}') && templates.includes('fixture://items/{id}'));
    const completion = await client.complete({ ref: { type: 'ref/prompt', name: 'alpha_1mcp_greet' }, argument: { name: 'who', value: 'A' } });
    assert.deepEqual(completion.completion.values, ['Ada', 'Alan']);
  });

  void it('cancels the backend\'s work when the client closes the request\'s stream', async () => {
    const controller = new AbortController();
    const call = client.request({ method: 'tools/call', params: { name: 'alpha_1mcp_wait', arguments: { steps: 200, stepMs: 20 } } }, { signal: controller.signal, onprogress: () => controller.abort() });
    await assert.rejects(call);
    await waitFor(async () => firstText(await client.callTool({ name: 'alpha_1mcp_cancellations', arguments: {} })) === '1', 'the backend to see the cancellation');
  });

  void it('holds a new tool back from a 2026-07-28 client too, and announces it on a subscriptions/listen stream once accepted', async () => {
    const changes: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => void changes.push('tools'));
    const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true });
    try {
      assert.deepEqual(subscription.honoredFilter, { toolsListChanged: true, promptsListChanged: true });
      await client.callTool({ name: 'alpha_1mcp_grow', arguments: {} });
      // New on a server whose tools were pinned: announced once accepted.
      await waitFor(() => running.agent.state.toolReviews.some((r) => r.tool === 'grown'), 'grown held back');
      // Held back from this era as from the handshake's: not listed, refused by name with how to review it.
      assert.ok(!(await client.listTools({}, { cacheMode: 'bypass' })).tools.some((t) => t.name === 'alpha_1mcp_grown'));
      await assert.rejects(client.callTool({ name: 'alpha_1mcp_grown', arguments: {} }), /"alpha_1mcp_grown" \(tool "grown" of server "alpha"\) is held back[\s\S]*onemcp tools review/);
      assert.equal(changes.length, 0, 'nothing a client sees changed while the new tool is held');
      await running.agent.acceptTools('alpha');
      await waitFor(() => changes.length > 0, 'tools/list_changed on the listen stream');
      assert.ok((await client.listTools({}, { cacheMode: 'bypass' })).tools.some((t) => t.name === 'alpha_1mcp_grown'));
    } finally {
      await subscription.close();
    }
  });

  void it('serves handshake-era clients as before, and puts a modern backend\'s questions to them as requests', async () => {
    const legacy = new Client({ name: 'handshake', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    legacy.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Edsger' } }));
    await legacy.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    try {
      assert.equal(firstText(await legacy.callTool({ name: 'web_1mcp_echo', arguments: { text: 'old' } })), 'web: old');
      assert.equal(firstText(await legacy.callTool({ name: 'web_1mcp_whoami', arguments: {} })), 'Hello Edsger');
      assert.equal(firstText(await legacy.callTool({ name: 'local_1mcp_whoami', arguments: {} })), 'Hello Edsger');
      assert.equal(legacy.getServerVersion()?.name, '1mcp-agent');
    } finally {
      await legacy.close();
    }
  });

  void it('applies tag selectors to stateless requests', async () => {
    const selected = await connectModernClient(`${running.url}?tags=modern`);
    try {
      const names = (await selected.listTools()).tools.map((t) => t.name);
      assert.ok(names.every((n) => n.startsWith('web_') || n.startsWith('local_')), names.join());
      await assert.rejects(selected.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'x' } }), /outside this session's selection/);
      assert.doesNotMatch(selected.getDiscoverResult()?.instructions ?? '', /alpha/);
    } finally {
      await selected.close();
    }
    const bad = await postModern(`${running.url}?tags=a&preset=b`, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } });
    assert.equal(bad.status, 400);
  });
});

void describe('protocol errors a stateless request can get', () => {
  let running: RunningAgent;
  before(async () => {
    running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
  });
  after(() => running?.close());
  const list = (meta: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } });

  void it('answers an unsupported version with -32022 and the supported list', async () => {
    const { status, body } = await postModern(running.url, list(envelope({ 'io.modelcontextprotocol/protocolVersion': '2099-01-01' })), { 'mcp-protocol-version': '2099-01-01' });
    assert.equal(status, 400);
    assert.equal(body.error?.code, -32022);
    assert.deepEqual((body.error?.data as { supported: string[] }).supported.slice(0, 2), [MODERN, '2025-11-25']);
  });

  void it('refuses headers that do not mirror the body with -32020', async () => {
    const mismatch = await postModern(running.url, list(envelope()), { 'mcp-method': 'prompts/list' });
    assert.deepEqual([mismatch.status, mismatch.body.error?.code], [400, -32020]);
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'alpha_1mcp_echo', arguments: { text: 'x' }, _meta: envelope() } };
    const wrongName = await postModern(running.url, call, { 'mcp-name': 'alpha_1mcp_add' });
    assert.deepEqual([wrongName.status, wrongName.body.error?.code], [400, -32020]);
    const encoded = await postModern(running.url, call, { 'mcp-name': `=?base64?${Buffer.from('alpha_1mcp_echo').toString('base64')}?=` });
    assert.equal(firstText(encoded.body.result), 'alpha: x');
    const noHeader = await postModern(running.url, list(envelope()), { 'mcp-protocol-version': '' });
    assert.equal(noHeader.body.error?.code, -32020);
  });

  void it('refuses an envelope without client capabilities (-32602) and an unknown method (404, -32601)', async () => {
    const missing = await postModern(running.url, list({ 'io.modelcontextprotocol/protocolVersion': MODERN }));
    assert.deepEqual([missing.status, missing.body.error?.code], [400, -32602]);
    const unknown = await postModern(running.url, { jsonrpc: '2.0', id: 3, method: 'ping', params: { _meta: envelope() } });
    assert.deepEqual([unknown.status, unknown.body.error?.code], [404, -32601]);
    const initialize = await postModern(running.url, { jsonrpc: '2.0', id: 4, method: 'initialize', params: { _meta: envelope() } });
    assert.deepEqual([initialize.status, initialize.body.error?.code], [404, -32601]);
    const noEnvelope = await postModern(running.url, { jsonrpc: '2.0', id: 5, method: 'tools/list', params: {} });
    assert.deepEqual([noEnvelope.status, noEnvelope.body.error?.code], [400, -32602]);
  });

  void it('keeps serving handshake clients on the same endpoint', async () => {
    const legacy = await connectClient(running.url);
    try {
      assert.equal(firstText(await legacy.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'x' } })), 'alpha: x');
    } finally {
      await legacy.close();
    }
  });
});

void describe('the protocol field pins the era spoken to a backend', () => {
  let running: RunningAgent;
  let http: Awaited<ReturnType<typeof startModernBackend>>;
  before(async () => {
    http = await startModernBackend('web');
    running = await startAgent({
      mcpServers: {
        pinnedLegacy: { url: http.url, protocol: 'legacy', maxRestarts: 0 },
        pinnedModern: { url: http.url, protocol: 'modern' },
        notModern: { ...fixtureEntry('alpha'), protocol: 'modern', maxRestarts: 0 },
      },
    });
  });
  after(async () => {
    await running?.close();
    await http?.close();
  });

  void it('says truthfully why a backend refused, and connects the pinned modern one', async () => {
    const states = await settled(running.agent);
    assert.equal(states.pinnedModern?.status, 'connected', states.pinnedModern?.reason);
    assert.equal(states.pinnedLegacy?.status, 'error');
    assert.match(states.pinnedLegacy?.reason ?? '', /speaks only MCP 2026-07-28 and refused the 2025 handshake \(-32022\)/);
    assert.doesNotMatch(states.pinnedLegacy?.reason ?? '', /SSE/);
    assert.equal(states.notModern?.status, 'error');
    assert.match(states.notModern?.reason ?? '', /does not speak MCP 2026-07-28/);
  });
});
