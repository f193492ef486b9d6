import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { assertHostRequestsAnswered, hostClient, type HostRecord } from '../helpers/hostClient';
import { EVERYTHING_SERVER, connectClient, everythingEntry, firstText, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

const host: HostRecord = { samplingCancelled: 0 };

/** A client that answers the backend's questions the way a host application would. */
async function answeringClient(url: string): Promise<Client> {
  return hostClient(new StreamableHTTPClientTransport(new URL(url)), host);
}

describe('full protocol pass-through (server-everything and an SDK fixture)', () => {
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    running = await startAgent({ mcpServers: { everything: everythingEntry(), alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
    client = await answeringClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('relays progress notifications for a long-running tool', async () => {
    const progress: number[] = [];
    const result = await client.callTool({ name: 'everything_1mcp_trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    assert.match(firstText(result), /completed/i);
    assert.deepEqual(progress, [1, 2, 3]);
  });

  it('relays logging notifications, honouring the session level', async () => {
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params));
    await client.setLoggingLevel('debug');
    await client.callTool({ name: 'everything_1mcp_toggle-simulated-logging', arguments: {} });
    try {
      await waitFor(() => messages.length > 0, 'a logging notification');
      assert.match(String(messages[0]?.data), /level.message/i);
    } finally {
      await client.callTool({ name: 'everything_1mcp_toggle-simulated-logging', arguments: {} });
    }
  });

  it('forwards sampling, elicitation and roots requests to the client that made the call, and the answers back', async () => {
    await assertHostRequestsAnswered(client);
  });

  it('relays client progress on a backend request, and the backend cancelling it', async () => {
    const asked = await client.callTool({ name: 'alpha_1mcp_ask', arguments: { question: 'report progress' } });
    assert.match(firstText(asked), /^sampled: .*report progress/);
    const gaveUp = await client.callTool({ name: 'alpha_1mcp_ask-and-give-up', arguments: {} });
    assert.equal(firstText(gaveUp), 'gave up');
    await waitFor(() => host.samplingCancelled === 1, 'the client to see the cancellation');
  });

  it('forwards roots/list_changed to the backends', async () => {
    await client.sendRootsListChanged();
    await waitFor(async () => firstText(await client.callTool({ name: 'alpha_1mcp_roots-changes', arguments: {} })) === '1', 'the backend to hear it');
  });

  it('delivers resources/updated for a subscribed URI, under the URI its server gave it', async () => {
    const { resources } = await client.listResources();
    const uri = resources.find((r) => r.uri.startsWith('demo://'))?.uri;
    assert.ok(uri);
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.subscribeResource({ uri });
    await client.callTool({ name: 'everything_1mcp_toggle-subscriber-updates', arguments: {} });
    try {
      await waitFor(() => updates.includes(uri), 'a resources/updated notification');
    } finally {
      await client.callTool({ name: 'everything_1mcp_toggle-subscriber-updates', arguments: {} });
      await client.unsubscribeResource({ uri });
    }
  });

  it('cancels the call at the backend when the client cancels', async () => {
    const controller = new AbortController();
    const call = client.callTool({ name: 'alpha_1mcp_wait', arguments: { steps: 200, stepMs: 20 } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('user cancelled'),
    });
    await assert.rejects(call);
    await waitFor(
      async () => firstText(await client.callTool({ name: 'alpha_1mcp_cancellations', arguments: {} })) === '1',
      'the backend to see the cancellation',
    );
  });

  it('passes every kind of content through unchanged', async () => {
    const direct = new Client({ name: 'direct', version: '1' });
    await direct.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'], stderr: 'ignore' }));
    try {
      const cases: [string, Record<string, unknown>][] = [
        ['get-tiny-image', {}],
        ['get-resource-reference', { resourceType: 'Text', resourceId: 1 }],
        ['get-resource-links', { count: 2 }],
        ['get-annotated-message', { messageType: 'error', includeImage: true }],
        ['get-structured-content', { location: 'New York' }],
      ];
      for (const [tool, args] of cases) {
        const viaAgent = await client.callTool({ name: `everything_1mcp_${tool}`, arguments: args });
        const directly = await direct.callTool({ name: tool, arguments: args });
        // Generated resources carry the time they were made; two calls may straddle a second.
        const timeless = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/\d{1,2}:\d{2}:\d{2}( [AP]M)?/g, 'TIME')) as unknown;
        assert.deepEqual(timeless(viaAgent), timeless(directly), tool);
      }
      const kinds = (await client.callTool({ name: 'everything_1mcp_get-tiny-image', arguments: {} })).content as { type: string }[];
      assert.ok(kinds.some((c) => c.type === 'image'));
    } finally {
      await direct.close();
    }
  });
});

describe('sessions are independent', () => {
  let running: RunningAgent;

  before(async () => {
    running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
  });
  after(async () => running?.close());

  it("keeps one client's logging level from affecting another's", async () => {
    const received = { quiet: [] as unknown[], chatty: [] as unknown[] };
    const quiet = await connectClient(running.url);
    const chatty = await connectClient(running.url);
    quiet.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void received.quiet.push(n.params.data));
    chatty.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void received.chatty.push(n.params.data));
    await quiet.setLoggingLevel('error');
    await chatty.setLoggingLevel('debug');
    // The backend logs at the most verbose level asked for (debug); each session still gets only its own
    // level, and only the log messages of its own calls (stdio cannot say which call they belong to, and
    // only one client has a call in flight at a time: see questionRouting.test.ts).
    for (const [client, suffix] of [[chatty, '1'], [quiet, '2']] as const) {
      await client.callTool({ name: 'alpha_1mcp_log', arguments: { level: 'debug', message: `d${suffix}` } });
      await client.callTool({ name: 'alpha_1mcp_log', arguments: { level: 'error', message: `e${suffix}` } });
    }
    assert.deepEqual(received.chatty, ['d1', 'e1']);
    assert.deepEqual(received.quiet, ['e2']);
    await quiet.close();
    await chatty.close();
  });
});
