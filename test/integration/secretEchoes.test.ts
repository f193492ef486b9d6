// A backend that writes back the secrets it was configured with: a stdio server printing its token
// (env) and an ${input:} value, an HTTP server echoing its ?access_token= and header values. Whatever
// the agent shows of them — the log at debug level, /health, the dashboard page, the state (and the
// views rendered from it), the errors MCP clients get — carries none of the values, only [redacted].
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backendItem } from '../../src/extension/render/backendItems';
import { backendLog } from '../../src/extension/render/backendLog';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { statusBarView } from '../../src/extension/render/statusBarView';
import { connectClient, settled, startAgent, type RunningAgent } from '../helpers/harness';
import { rawRequest } from '../helpers/loopback';
import { envelope, postModern } from '../helpers/modernClient';

const ENV_TOKEN = 's3cr3t-env-token-0x1f';
const INPUT_VALUE = 'input-s3cr3t-kiwi-42';
const QUERY_TOKEN = 'query-s3cr3t-plum-77';
const HEADER_KEY = 'header-s3cr3t-fig-19';
const BEARER = 'bearer-s3cr3t-lime-23';
const SECRETS = [ENV_TOKEN, INPUT_VALUE, QUERY_TOKEN, HEADER_KEY, BEARER];
const LEAKY = path.resolve(__dirname, '..', 'fixtures', 'leakyServer.mjs');

/** An HTTP "MCP server" that refuses every request, quoting the credentials it was sent (without their names). */
async function echoingBackend(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') ?? '';
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(403, { 'content-type': 'text/plain' }).end(`refused ${token}, ${String(req.headers['x-api-key'])} and ${bearer}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp?access_token=${QUERY_TOKEN}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} shows ${secret}:\n${text}`);
}

describe('secrets a backend echoes', () => {
  let running: RunningAgent;
  let web: { url: string; close(): Promise<void> };
  before(async () => {
    web = await echoingBackend();
    running = await startAgent(
      {
        mcpServers: {
          leaky: { command: process.execPath, args: [LEAKY, '${input:extra}'], env: { MY_SECRET_TOKEN: ENV_TOKEN }, maxRestarts: 0 },
          web: { url: web.url, headers: { 'X-Api-Key': HEADER_KEY, Authorization: `Bearer ${BEARER}` }, maxRestarts: 0 },
        },
      },
      { resolveInput: async (id) => (id === 'extra' ? INPUT_VALUE : undefined), watchConfig: false },
    );
    await settled(running.agent);
  });
  after(async () => {
    await running?.close();
    await web?.close();
  });

  it('are cut out of the state, and of the tree, status bar, log view and dashboard rendered from it', () => {
    const { state } = running.agent;
    const leaky = state.backends.find((b) => b.name === 'leaky');
    const webState = state.backends.find((b) => b.name === 'web');
    assert.equal(leaky?.status, 'error');
    assert.equal(webState?.status, 'error');
    assert.deepEqual(leaky.stderr, ['connecting with token [redacted] and key [redacted] failed'], 'the line is shown, its secrets cut');
    assert.match(webState.reason ?? '', /answered HTTP 403: refused \[redacted\], \[redacted\] and \[redacted\]/);
    assertNoSecret(JSON.stringify(state), 'the state');
    for (const backend of state.backends) assertNoSecret(JSON.stringify([backendItem(backend), backendLog(backend, backend.name)]), `the tree and log view of ${backend.name}`);
    assertNoSecret(JSON.stringify([dashboardState(state), statusBarView(state)]), 'the dashboard webview and the status bar');
  });

  it('are not in the log at debug level, nor on /health or the dashboard page', async () => {
    const logs = running.logs.join('');
    assert.match(logs, /DEBUG .*\[leaky\] stderr: connecting with token \[redacted\]/, 'the stderr line is logged at debug');
    assertNoSecret(logs, 'the log');
    const health = await rawRequest(`${running.base}/health`);
    assert.match(health.body, /\[redacted\]/, '/health gives this machine the details');
    assertNoSecret(health.body, '/health');
    const page = await rawRequest(`${running.base}/oauth`);
    assert.equal(page.status, 200);
    assert.match(page.body, /\[redacted\]/);
    assertNoSecret(page.body, 'the dashboard page');
  });

  it('are not in the errors MCP clients get', async () => {
    const client = await connectClient(running.url);
    try {
      for (const name of ['leaky_1mcp_anything', 'web_1mcp_anything']) {
        const error = await client.callTool({ name, arguments: {} }).then(() => undefined, (e: unknown) => e as Error);
        assert.ok(error, `${name} fails`);
        assert.match(error.message, /not connected: Error — .*\[redacted\]/);
        assertNoSecret(error.message, `the error of ${name}`);
      }
    } finally {
      await client.close();
    }
    const modern = await postModern(running.url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'leaky_1mcp_anything', arguments: {}, _meta: envelope() } }, { 'mcp-name': 'leaky_1mcp_anything' });
    assert.match(modern.body.error?.message ?? '', /\[redacted\]/, 'a 2026-07-28 client too');
    assertNoSecret(JSON.stringify(modern.body), 'the 2026-07-28 error');
  });
});
