// The extension's AgentHost with a real Agent, real backends and real sockets (no VS Code needed).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PortInUseError } from '../../src/core/http/listen';
import { NetworkWithoutAuthError } from '../../src/core/listenAddress';
import { silentLogger } from '../../src/core/logger';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { AgentHost, type AgentHostOptions } from '../../src/extension/agentHost';
import { readSettings, type Settings } from '../../src/extension/settings';
import { connectClient, firstText, fixtureEntry, isAlive, tempDir, waitFor } from '../helpers/harness';
import { freePort } from '../helpers/sharedAgents';

describe('AgentHost', () => {
  let dir: string;
  let values: Record<string, unknown>;
  const failures: unknown[] = [];
  const settings = (): Settings => readSettings((key) => values[key]);
  const options = (secrets = new MemorySecretStore()): AgentHostOptions => ({
    logger: silentLogger,
    settings,
    secrets,
    resolveInput: async () => undefined,
    servedBy: { kind: 'editor', label: 'test window', pid: process.pid },
    stateFolder: path.join(dir, 'state'),
    editorToken: () => Promise.reject(new Error('no editor client in this test')),
    onStartFailed: (error) => failures.push(error),
    // Pins and the terminal key go to this test's folder, not the user's.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg') },
  });
  const host = (secrets?: MemorySecretStore): AgentHost => new AgentHost(options(secrets));

  before(async () => {
    dir = await tempDir();
    await fs.writeFile(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { one: fixtureEntry('one') } }));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('starts once, republishes state (sessions too) across runs, restarts on another port, and closes every backend', async () => {
    values = { port: 0, configPath: path.join(dir, 'mcp.json') };
    const agentHost = host();
    const phases: string[] = [];
    agentHost.events.onDidChangeState((state) => phases.push(state.phase));
    assert.equal(agentHost.state.phase, 'stopped');
    assert.deepEqual(await Promise.all([agentHost.start(), agentHost.start()]), [true, true]);
    const first = agentHost.state.endpoint ?? '';
    await waitFor(() => agentHost.state.backends[0]?.status === 'connected', 'backend connected');
    const client = await connectClient(first);
    await waitFor(() => agentHost.state.sessions === 1, 'a state event for the new session');
    const pid = Number(firstText(await client.callTool({ name: 'one_1mcp_pid', arguments: {} })));
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    await waitFor(() => agentHost.state.sessions === 0, 'a state event for the closed session');
    assert.ok(isAlive(pid));

    assert.equal(agentHost.settingsChanged(), false);
    values = { ...values, logLevel: 'debug' };
    assert.equal(agentHost.settingsChanged(), false, 'the log level applies live');
    values = { ...values, host: '127.0.0.2' };
    assert.equal(agentHost.settingsChanged(), true);
    assert.equal(await agentHost.restart(), true);
    assert.match(agentHost.state.endpoint ?? '', /^http:\/\/127\.0\.0\.2:\d+\/mcp$/);
    await waitFor(() => !isAlive(pid), 'the first run’s backend to end');

    await agentHost.close();
    assert.equal(agentHost.state.phase, 'stopped');
    assert.deepEqual(agentHost.state.backends, []);
    assert.ok(phases.includes('running') && phases.at(-1) === 'stopped', phases.join(','));
  });

  it('passes onemcp.auth.* to the agent: with auth on, /mcp wants a token', async () => {
    values = { port: 0, configPath: path.join(dir, 'mcp.json'), 'auth.enabled': true, 'auth.scopeValidation': true };
    const agentHost = host();
    try {
      assert.equal(await agentHost.start(), true);
      assert.deepEqual(agentHost.state.auth, { enabled: true, scopeValidation: true });
      const response = await fetch(agentHost.state.endpoint ?? '', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    } finally {
      await agentHost.close();
    }
  });

  it('does not serve all interfaces without client authorization, and does once it is on', async () => {
    values = { port: 0, host: '0.0.0.0', configPath: path.join(dir, 'mcp.json') };
    const agentHost = host();
    failures.length = 0;
    try {
      assert.equal(await agentHost.start(), false);
      assert.ok(failures[0] instanceof NetworkWithoutAuthError);
      assert.equal(agentHost.state.phase, 'failed');
      assert.match(agentHost.state.error ?? '', /does not listen on all interfaces \(0\.0\.0\.0:\d+\).*onemcp\.auth\.enabled/);
      values = { ...values, 'auth.enabled': true };
      assert.equal(agentHost.settingsChanged(), true);
      assert.equal(await agentHost.restart(), true);
      assert.match(agentHost.state.listening?.description ?? '', /^all interfaces \(0\.0\.0\.0:\d+\)$/);
      assert.match(agentHost.state.endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+\/mcp$/, 'local clients get a loopback endpoint');
    } finally {
      await agentHost.close();
    }
  });

  it('creates the default config on first run', async () => {
    values = { port: 0 };
    const home = await tempDir();
    const agentHost = new AgentHost({ ...options(), settings: () => readSettings((key) => values[key], { XDG_CONFIG_HOME: home }) });
    try {
      assert.equal(await agentHost.start(), true);
      assert.deepEqual(JSON.parse(await fs.readFile(path.join(home, '1mcp', 'mcp.json'), 'utf8')), { mcpServers: {} });
    } finally {
      await agentHost.close();
      await fs.rm(home, { recursive: true, force: true });
    }
  });

  it('a second window follows the first (no failure), acts on it, and Stop there stops the agent for both', async () => {
    values = { port: await freePort(), configPath: path.join(dir, 'mcp.json') };
    const shared = new MemorySecretStore();
    const [first, second] = [host(shared), host(shared)];
    failures.length = 0;
    try {
      assert.equal(await first.start(), true);
      assert.equal(await second.start(), true);
      assert.deepEqual(failures, []);
      assert.equal(first.state.role, 'serving');
      assert.equal(second.state.role, 'following');
      assert.equal(second.serving, undefined);
      await waitFor(() => second.state.backends[0]?.status === 'connected', 'the follower to see the backend');
      assert.equal(second.state.endpoint, first.state.endpoint);
      const backendPid = async (): Promise<number> => {
        const client = await connectClient(first.state.endpoint ?? '');
        try {
          return Number(firstText(await client.callTool({ name: 'one_1mcp_pid', arguments: {} })));
        } finally {
          await client.close();
        }
      };
      const before = await backendPid();
      await second.actions.restartBackend('one');
      await waitFor(() => !isAlive(before), 'the serving window to restart the backend');
      const after = await waitFor(() => backendPid().catch(() => undefined), 'the backend to answer again');
      assert.notEqual(after, before);
      await second.stop();
      await waitFor(() => first.state.phase === 'stopped' && second.state.phase === 'stopped', 'both windows to show the agent stopped');
      assert.match(second.state.note ?? '', /Stopped in the VS Code window “test window”/);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  describe('with its port taken', () => {
    let busy: Server;
    let port: number;
    before(async () => {
      // Some other program: it greets and hangs up, as an SSH server would.
      busy = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n', () => socket.destroy()));
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      port = (busy.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

    it('reports PortInUseError, shows the agent failed, and starts once the port setting changes', async () => {
      values = { port, configPath: path.join(dir, 'mcp.json') };
      const agentHost = host();
      failures.length = 0;
      assert.equal(await agentHost.start(), false);
      assert.ok(failures[0] instanceof PortInUseError);
      assert.equal(agentHost.state.phase, 'failed');
      assert.match(agentHost.state.error ?? '', /already in use/);
      values = { ...values, port: 0 };
      assert.equal(agentHost.settingsChanged(), true);
      assert.equal(await agentHost.restart(), true);
      assert.equal(agentHost.state.phase, 'running');
      await agentHost.close();
    });

    it('says the port is held by another program, not a 1MCP agent', async () => {
      values = { port, configPath: path.join(dir, 'mcp.json') };
      const agentHost = host();
      failures.length = 0;
      assert.equal(await agentHost.start(), false);
      assert.match(String(failures[0]), /in use by another program \(not a 1MCP agent\)/);
      assert.equal(agentHost.state.phase, 'failed');
      await agentHost.close();
    });
  });
});
