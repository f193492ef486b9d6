import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { connectClient, firstText, fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';
import { rawRequest } from '../helpers/loopback';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('HTTP surface', () => {
  let running: RunningAgent;
  let bystander: Client;

  before(async () => {
    running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
    bystander = await connectClient(running.url);
  });

  after(async () => {
    await bystander?.close();
    await running?.close();
  });

  it('rejects a foreign Host header with 403 (DNS rebinding)', async () => {
    const response = await rawRequest(running.url, { method: 'POST', headers: { ...MCP_HEADERS, host: 'evil.example:3050' }, body: JSON.stringify(INIT) });
    assert.equal(response.status, 403);
    const health = await rawRequest(`${running.base}/health`, { headers: { host: 'attacker.test' } });
    assert.equal(health.status, 403);
  });

  it('rejects a foreign Origin with 403 and accepts a loopback one', async () => {
    const evil = await fetch(running.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'https://evil.example' }, body: JSON.stringify(INIT) });
    assert.equal(evil.status, 403);
    const nullOrigin = await fetch(running.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'null' }, body: JSON.stringify(INIT) });
    assert.equal(nullOrigin.status, 403);
    const local = await fetch(running.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'http://localhost:1234' }, body: JSON.stringify(INIT) });
    assert.equal(local.status, 200);
  });

  it('answers a body over 4 MB with 413', async () => {
    const big = JSON.stringify({ ...INIT, params: { ...INIT.params, padding: 'x'.repeat(4 * 1024 * 1024 + 10) } });
    const response = await fetch(running.url, { method: 'POST', headers: MCP_HEADERS, body: big });
    assert.equal(response.status, 413);
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    const response = await fetch(running.url, { method: 'POST', headers: MCP_HEADERS, body: '{"jsonrpc": "2.0", "method": ' });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: number } };
    assert.equal(body.error.code, -32700);
  });

  it('answers an unknown session with 404 and a request without session with 400', async () => {
    const unknown = await fetch(running.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': 'not-a-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(unknown.status, 404);
    const noSession = await fetch(running.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    assert.equal(noSession.status, 400);
  });

  it('ends a session on DELETE', async () => {
    const init = await fetch(running.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    const sessionId = init.headers.get('mcp-session-id');
    assert.ok(sessionId);
    await init.body?.cancel();
    const del = await fetch(running.url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
    assert.equal(del.status, 200);
    const afterDelete = await fetch(running.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    assert.equal(afterDelete.status, 404);
  });

  it('serves old clients over the legacy HTTP+SSE transport', async () => {
    const legacy = new Client({ name: 'legacy', version: '1' });
    await legacy.connect(new SSEClientTransport(new URL(`${running.base}/sse`)));
    const { tools } = await legacy.listTools();
    assert.ok(tools.some((t) => t.name === 'alpha_1mcp_echo'));
    assert.equal(firstText(await legacy.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'old' } })), 'alpha: old');
    await legacy.close();
    const stray = await fetch(`${running.base}/messages?sessionId=nope`, { method: 'POST', headers: MCP_HEADERS, body: '{}' });
    assert.equal(stray.status, 404);
  });

  it('keeps serving other sessions through all of the above', async () => {
    assert.equal(firstText(await bystander.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'still here' } })), 'alpha: still here');
  });
});
