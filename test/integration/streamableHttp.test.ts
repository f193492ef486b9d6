import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

describe('streamable HTTP transport', () => {
  let running: RunningAgent;
  let session: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(running.url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': session, ...headers }, body: JSON.stringify(body) });

  before(async () => {
    running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
    const init = await fetch(running.url, { method: 'POST', headers: HEADERS, body: JSON.stringify(INIT) });
    session = init.headers.get('mcp-session-id') ?? '';
    assert.equal(init.headers.get('content-type'), 'application/json');
    assert.equal(((await init.json()) as { result: { protocolVersion: string } }).result.protocolVersion, '2025-06-18');
    assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
  });
  after(async () => running?.close());

  it('answers a plain call with application/json', async () => {
    const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'alpha_1mcp_echo', arguments: { text: 'j' } } });
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('mcp-session-id'), session);
    const body = (await response.json()) as { id: number; result: { content: { text: string }[] } };
    assert.equal(body.id, 1);
    assert.equal(body.result.content[0]?.text, 'alpha: j');
  });

  it('switches to an event stream when progress must go first', async () => {
    const response = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'alpha_1mcp_wait', arguments: { steps: 2, stepMs: 5 }, _meta: { progressToken: 'p' } } });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^event: message\ndata: /, '')) as { method?: string; id?: number });
    assert.deepEqual(events.map((e) => e.method ?? `response ${e.id}`), ['notifications/progress', 'notifications/progress', 'response 2']);
  });

  it('answers a batch with an array, in order of completion, in a 2025-03-26 session', async () => {
    const init = await fetch(running.url, { method: 'POST', headers: HEADERS, body: JSON.stringify({ ...INIT, params: { ...INIT.params, protocolVersion: '2025-03-26' } }) });
    assert.equal(init.status, 200);
    const batched = init.headers.get('mcp-session-id') ?? '';
    const batch = [
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { jsonrpc: '2.0', id: 4, method: 'ping' },
    ];
    assert.equal((await post(batch)).status, 400, 'a 2025-06-18 session has no batches');
    const response = await post(batch, { 'mcp-session-id': batched });
    const body = (await response.json()) as { id: number }[];
    assert.deepEqual(body.map((m) => m.id).sort(), [3, 4]);
  });

  it('refuses what is not JSON-RPC, an unsupported protocol version and a second initialize', async () => {
    assert.equal((await post({ hello: 'world' })).status, 400);
    assert.equal((await post({ jsonrpc: '2.0', id: 5, method: 'ping' }, { 'mcp-protocol-version': '1999-01-01' })).status, 400);
    assert.equal((await post(INIT)).status, 400);
  });

  it('allows one GET stream per session', async () => {
    const first = await fetch(running.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': session } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'text/event-stream');
    const second = await fetch(running.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': session } });
    assert.equal(second.status, 409);
    const wrongAccept = await fetch(running.url, { headers: { accept: 'application/json', 'mcp-session-id': session } });
    assert.equal(wrongAccept.status, 406);
    await first.body?.cancel();
  });
});
