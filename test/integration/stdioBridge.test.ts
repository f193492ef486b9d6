// `onemcp proxy`: a real stdio client (the SDK's StdioClientTransport) starts the built CLI, which
// forwards to a real agent: in this process, or the CLI itself as a process that dies and comes back.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { bridgeTransport } from '../helpers/bridge';
import { BUILT_CLI, everythingEntry, firstText, fixtureEntry, settled, startAgent, tempDir, waitFor, type RunningAgent } from '../helpers/harness';
import { assertHostRequestsAnswered, hostClient, type HostRecord } from '../helpers/hostClient';

describe('onemcp proxy with an agent in this process', () => {
  let running: RunningAgent;
  let client: Client;
  let stderr: () => string;
  const host: HostRecord = { samplingCancelled: 0 };

  before(async () => {
    running = await startAgent({ mcpServers: { everything: everythingEntry(), alpha: fixtureEntry('alpha', { tags: ['a'] }) } });
    await settled(running.agent);
    const bridge = bridgeTransport(running.url, await tempDir());
    stderr = bridge.stderr;
    client = await hostClient(bridge.transport, host);
  });

  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('lists and calls tools, and passes tool errors through', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('alpha_1mcp_echo') && names.includes('everything_1mcp_echo'), names.join(', '));
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'hi' } })), 'alpha: hi');
    const failed = await client.callTool({ name: 'alpha_1mcp_fail', arguments: {} });
    assert.equal(failed.isError, true);
    assert.equal(firstText(failed), 'it failed');
    await assert.rejects(client.callTool({ name: 'alpha_1mcp_nope', arguments: {} }), /nope/);
    assert.equal(client.getServerVersion()?.name, '1mcp-agent');
  });

  it('relays progress notifications of a call', async () => {
    const progress: number[] = [];
    const result = await client.callTool({ name: 'alpha_1mcp_wait', arguments: { steps: 3, stepMs: 50 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    assert.equal(firstText(result), 'waited 3 steps');
    // The SDK's stdio client reads a whole chunk at once and handles a response before a notification
    // in the same chunk, so the last progress, sent right before the answer, may not be seen.
    assert.deepEqual(progress.slice(0, 2), [1, 2]);
  });

  it('forwards sampling, elicitation and roots requests to the client and the answers back', async () => {
    await assertHostRequestsAnswered(client);
  });

  it("relays the client's progress on a backend's request, and the backend cancelling it", async () => {
    const asked = await client.callTool({ name: 'alpha_1mcp_ask', arguments: { question: 'report progress' } });
    assert.match(firstText(asked), /^sampled: .*report progress/);
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_ask-and-give-up', arguments: {} })), 'gave up');
    await waitFor(() => host.samplingCancelled === 1, 'the client to see the cancellation');
  });

  it('relays logging at the level the client set, and roots/list_changed to the backends', async () => {
    const messages: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params.data));
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'alpha_1mcp_log', arguments: { level: 'debug', message: 'quiet' } });
    await client.callTool({ name: 'alpha_1mcp_log', arguments: { level: 'error', message: 'loud' } });
    await waitFor(() => messages.includes('loud'), 'the error-level message');
    assert.ok(!messages.includes('quiet'));
    await client.sendRootsListChanged();
    await waitFor(async () => firstText(await client.callTool({ name: 'alpha_1mcp_roots-changes', arguments: {} })) === '1', 'the backend to hear it');
  });

  it('passes a tag selector on to the agent as its query', async () => {
    const tagged = new Client({ name: 'tagged', version: '1' });
    await tagged.connect(bridgeTransport(running.url, await tempDir(), ['--tags', 'a']).transport);
    try {
      const names = (await tagged.listTools()).tools.map((t) => t.name);
      assert.ok(names.length > 0 && names.every((n) => n.startsWith('alpha_1mcp_')), names.join(', '));
    } finally {
      await tagged.close();
    }
  });

  it('passes --mode on to the agent: search gives the two search tools, which reach every tool', async () => {
    const searching = new Client({ name: 'searching', version: '1' });
    await searching.connect(bridgeTransport(running.url, await tempDir(), ['--mode', 'search']).transport);
    try {
      assert.deepEqual((await searching.listTools()).tools.map((t) => t.name), ['search_tools', 'call_tool']);
      assert.equal(firstText(await searching.callTool({ name: 'call_tool', arguments: { name: 'alpha_1mcp_echo', arguments: { text: 'via search' } } })), 'alpha: via search');
    } finally {
      await searching.close();
    }
  });

  it("answers with the agent's own error when it refuses the session", async () => {
    const refused = new Client({ name: 'refused', version: '1' });
    await assert.rejects(refused.connect(bridgeTransport(running.url, await tempDir(), ['--tag-filter', 'a and (']).transport), /1MCP agent \(HTTP 400\): Invalid \?tag-filter=/);
    await refused.close();
  });

  it('writes only protocol messages to stdout (its own lines go to stderr), and answers a line that is not JSON', async () => {
    assert.match(stderr(), /Forwarding stdio to http:\/\/127\.0\.0\.1:\d+\/mcp/);
    const home = await tempDir();
    const child = spawn(process.execPath, [BUILT_CLI, 'proxy', '--url', running.url, '--no-browser'], { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
      // Written in pieces that cut lines in two, as pipes may deliver them.
      const text = `${JSON.stringify(init)}\nthis is not json\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`;
      for (let at = 0; at < text.length; at += 37) child.stdin.write(text.slice(at, at + 37));
      const lines = await waitFor(() => {
        const all = stdout.split('\n').filter(Boolean);
        return all.some((l) => l.includes('"id":2')) ? all : undefined;
      }, 'the tools/list answer');
      const messages = lines.map((l) => JSON.parse(l) as { jsonrpc: string; id?: unknown; error?: { code: number } });
      assert.ok(messages.every((m) => m.jsonrpc === '2.0'), lines.join('\n'));
      assert.ok(messages.some((m) => m.id === null && m.error?.code === -32700), 'the line that is not JSON was answered with a parse error');
      assert.match(lines.find((l) => l.includes('"id":2')) ?? '', /alpha_1mcp_echo/);
    } finally {
      child.kill();
    }
  });
});

interface AgentProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** The headless agent (`onemcp serve`) as its own process; resolves once its backends are up. */
async function serveProcess(config: string, port: number): Promise<AgentProcess & { url: string }> {
  // Its state (pins, the terminal key) beside its config, not in the user's folder.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(path.dirname(config), 'xdg') };
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--config', config, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await waitFor(() => /Endpoint: (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(output)?.[1], 'the agent to come up');
  return { child, output: () => output, url };
}

describe('onemcp proxy when the agent dies and comes back on the same port', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('fails the call in flight with a clear error, then serves the next call in a new session on its own', async () => {
    const dir = await tempDir();
    const config = path.join(dir, 'mcp.json');
    await fs.writeFile(config, JSON.stringify({ mcpServers: { alpha: fixtureEntry('alpha') } }));
    const first = await serveProcess(config, 0);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    const bridge = bridgeTransport(first.url, dir);
    const client = await hostClient(bridge.transport);
    cleanups.push(() => client.close());
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'before' } })), 'alpha: before');

    // A long call, under way once its first progress arrives; then the agent dies (no clean shutdown).
    let progressed = false;
    const inFlight = client.callTool({ name: 'alpha_1mcp_wait', arguments: { steps: 10_000, stepMs: 20 } }, undefined, { onprogress: () => (progressed = true) });
    await waitFor(() => progressed, 'the call to be under way');
    first.child.kill('SIGKILL');
    await assert.rejects(inFlight, /went away before answering/);

    const port = Number(new URL(first.url).port);
    const second = await serveProcess(config, port);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    await waitFor(() => /alpha: connected/.test(second.output()), 'alpha to connect in the new agent');
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'after' } })), 'alpha: after');
    await waitFor(() => listChanged > 0, 'the bridge to say the tool list may have changed');
    assert.match(bridge.stderr(), /Connected to the agent again/);
  });
});

