// Whatever a backend sends about a request before its result reaches the client before the result, on
// every backend transport, however the backend's writes are cut: the last progress and log included.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { REPORT_LOG, startRawBackend } from '../fixtures/rawBackend';
import { connectClient, firstText, settled, startAgent, type RunningAgent } from '../helpers/harness';

const RAW_SERVER = path.resolve(__dirname, '..', 'fixtures', 'rawBackend.ts');
const EXPECTED = ['progress 1/3', 'progress 2/3', 'progress 3/3', `log ${REPORT_LOG}`, 'result reported'];

describe('the last notification before a result', () => {
  const http: Awaited<ReturnType<typeof startRawBackend>>[] = [];
  let running: RunningAgent;
  let client: Client;
  let seen: string[] = [];

  before(async () => {
    const [sse, json, legacy] = await Promise.all([startRawBackend('sse'), startRawBackend('json'), startRawBackend('legacy')]);
    http.push(sse, json, legacy);
    running = await startAgent({
      mcpServers: {
        stdio: { command: process.execPath, args: ['--import', 'tsx', RAW_SERVER] },
        sse: { type: 'streamableHttp', url: sse.url },
        json: { type: 'streamableHttp', url: json.url },
        legacy: { url: legacy.url },
      },
    });
    const states = await settled(running.agent);
    for (const name of ['stdio', 'sse', 'json', 'legacy']) assert.equal(states[name]?.status, 'connected', `${name}: ${states[name]?.reason ?? ''}`);
    client = await connectClient(running.url);
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(`log ${String(n.params.data)}`));
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await Promise.all(http.map((b) => b.close()));
  });

  /** Calls `report` and lists what the client saw, in the order it saw it. */
  async function report(backend: string, chunking: string): Promise<string[]> {
    seen = [];
    const result = await client.callTool({ name: `${backend}_1mcp_report`, arguments: { chunking } }, undefined, {
      onprogress: (p) => void seen.push(`progress ${p.progress}/${p.total ?? '?'}`),
    });
    seen.push(`result ${firstText(result)}`);
    return seen;
  }

  for (const backend of ['stdio', 'sse', 'legacy']) {
    for (const chunking of ['together', 'apart', 'split']) {
      it(`${backend}: every progress and the log, then the result (${chunking})`, async () => {
        assert.deepEqual(await report(backend, chunking), EXPECTED);
      });
    }
  }

  it('streamable HTTP answered with one JSON body holding the notifications and the result', async () => {
    assert.deepEqual(await report('json', 'together'), EXPECTED);
  });

  it('stays in order call after call', async () => {
    for (let i = 0; i < 5; i++) assert.deepEqual(await report('sse', 'together'), EXPECTED);
  });
});
