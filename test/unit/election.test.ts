// Which process serves the shared agent, on plain Node with real sockets: two candidates and one wins,
// the winner goes away and the other takes over, a holder that is not an agent, the CLI as holder.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent } from '../../src/core/agent';
import { silentLogger } from '../../src/core/logger';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { mcpDefinition } from '../../src/extension/render/mcpDefinition';
import { connectClient, firstText, fixtureEntry, isAlive, tempDir, waitFor } from '../helpers/harness';
import { freePort, testWindow, type TestWindow } from '../helpers/sharedAgents';

describe('one agent for several windows', () => {
  let dir: string;
  let configPath: string;
  let emptyConfig: string;
  before(async () => {
    dir = await tempDir();
    configPath = path.join(dir, 'mcp.json');
    emptyConfig = path.join(dir, 'empty.json');
    await fs.writeFile(configPath, JSON.stringify({ mcpServers: { one: fixtureEntry('one') } }));
    await fs.writeFile(emptyConfig, JSON.stringify({ mcpServers: {} }));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  const pidOf = async (port: number): Promise<number> => {
    const client = await connectClient(`http://127.0.0.1:${port}/mcp`);
    try {
      return Number(firstText(await client.callTool({ name: 'one_1mcp_pid', arguments: {} })));
    } finally {
      await client.close();
    }
  };

  it('two candidates: one serves, the other follows its state; when the server leaves, the follower takes over', async () => {
    const port = await freePort();
    const keys = new MemorySecretStore();
    const [a, b] = [testWindow({ port, configPath, label: 'A', keys }), testWindow({ port, configPath, label: 'B', keys })];
    try {
      const joined = await Promise.all([a.shared.join(), b.shared.join()]);
      assert.deepEqual(joined.map((j) => j.ok), [true, true]);
      const roles = [a, b].map((w) => w.shared.state.role).sort();
      assert.deepEqual(roles, ['following', 'serving'], 'exactly one serves');
      const server = a.shared.state.role === 'serving' ? a : b;
      const follower = server === a ? b : a;
      assert.equal(follower.shared.serving, undefined, 'a follower runs no agent');
      await waitFor(() => follower.shared.state.backends[0]?.status === 'connected', 'the follower to see the backend connect');
      assert.equal(follower.shared.state.servedBy?.label, server === a ? 'A' : 'B');
      const first = await pidOf(port);
      // The follower sees who is connected and how, and gives its editor's client the same URL.
      const searching = await connectClient(`http://127.0.0.1:${port}/mcp?mode=search`);
      try {
        await waitFor(() => follower.shared.state.connectedClients?.some((c) => c.name === 'test-client' && c.search), 'the follower to see the searching client');
        assert.equal(mcpDefinition(follower.shared.state, 'auto')?.uri, `http://127.0.0.1:${port}/mcp?mode=auto`);
      } finally {
        await searching.close();
      }

      await server.shared.leave('shutdown');
      await waitFor(() => follower.shared.state.role === 'serving', 'the follower to take over');
      assert.ok(!isAlive(first), 'the leaving window ended its backend');
      await waitFor(() => follower.shared.state.backends[0]?.status === 'connected', 'the backend to connect again');
      const second = await pidOf(port);
      assert.notEqual(second, first);
    } finally {
      await Promise.all([a.shared.dispose(), b.shared.dispose()]);
    }
  });

  it('a follower acts on the serving agent, waits for it through a restart, and stops with it', async () => {
    const port = await freePort();
    const keys = new MemorySecretStore();
    const hostActions: string[] = [];
    const a = testWindow({ port, configPath: emptyConfig, label: 'A', keys, onHostAction: (action) => hostActions.push(action) });
    const b = testWindow({ port, configPath: emptyConfig, label: 'B', keys });
    let c: TestWindow | undefined;
    try {
      assert.ok((await a.shared.join()).ok);
      assert.ok((await b.shared.join()).ok);
      assert.equal(b.shared.state.role, 'following');
      await b.shared.remoteHostAction('restartAgent');
      await waitFor(() => hostActions.includes('restartAgent'), 'the serving window to be asked to restart');
      await assert.rejects(b.shared.restartBackend('nope'), (error: Error & { status?: number }) => error.status === 404 && /No backend named "nope"/.test(error.message));

      // The serving window restarts: the follower waits for it rather than taking the port.
      await a.shared.leave('restart');
      c = testWindow({ port, configPath: emptyConfig, label: 'A again', keys });
      assert.ok((await c.shared.join()).ok);
      assert.equal(c.shared.state.role, 'serving');
      await waitFor(() => b.shared.state.role === 'following' && b.shared.state.servedBy?.label === 'A again', 'the follower to follow the restarted agent');

      // Stopped there: the follower stops too and says where.
      await c.shared.leave('stop');
      await waitFor(() => b.shared.state.phase === 'stopped', 'the follower to stop with it');
      assert.match(b.shared.state.note ?? '', /Stopped in the VS Code window “A again”/);
      assert.equal(b.shared.serving, undefined);
    } finally {
      await Promise.all([a.shared.dispose(), b.shared.dispose(), c?.shared.dispose()]);
    }
  });

  it('a follower sees the tools held back and the calls waiting for a yes, and answers them at the serving agent', async () => {
    const port = await freePort();
    const keys = new MemorySecretStore();
    const notesConfig = path.join(dir, 'notes.json');
    const notes = { command: process.execPath, args: ['--import', 'tsx', path.resolve(__dirname, '..', 'fixtures', 'notesServer.ts')], confirm: 'destructive' };
    await fs.writeFile(notesConfig, JSON.stringify({ mcpServers: { notes } }));
    const a = testWindow({ port, configPath: notesConfig, label: 'A', keys });
    const b = testWindow({ port, configPath: notesConfig, label: 'B', keys });
    const client = await (async () => {
      assert.ok((await a.shared.join()).ok);
      assert.ok((await b.shared.join()).ok);
      await waitFor(() => b.shared.state.backends[0]?.status === 'connected', 'notes to connect');
      return connectClient(`http://127.0.0.1:${port}/mcp`);
    })();
    try {
      await client.callTool({ name: 'notes_1mcp_rewrite_description', arguments: { description: 'Changed' } });
      const [review] = await waitFor(() => b.shared.state.toolReviews.length > 0 && b.shared.state.toolReviews, 'the follower to see the held tool');
      assert.deepEqual([review?.server, review?.tool, review?.offered.description], ['notes', 'read_notes', 'Changed']);
      await assert.rejects(b.shared.acceptTools('notes', ['read_notes'], { read_notes: 'sha256:0' }), (e: Error & { status?: number }) => e.status === 409);
      assert.deepEqual(await b.shared.acceptTools('notes', ['read_notes'], { read_notes: review?.hash ?? '' }), ['read_notes']);
      await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'notes_1mcp_read_notes' && t.description === 'Changed'), 'read_notes back');

      const call = client.callTool({ name: 'notes_1mcp_delete_notes', arguments: { reason: 'from a follower' } });
      const [waiting] = await waitFor(() => b.shared.state.pendingConfirmations.length > 0 && b.shared.state.pendingConfirmations, 'the follower to see the question');
      await b.shared.answerConfirmation(waiting?.id ?? '', 'allow');
      assert.equal(firstText(await call), 'deleted 2 notes');
      await assert.rejects(b.shared.answerConfirmation(waiting?.id ?? '', 'deny'), (e: Error & { status?: number }) => e.status === 404);
    } finally {
      await client.close();
      await Promise.all([a.shared.dispose(), b.shared.dispose()]);
    }
  });

  it('a port held by another program is a failure that names it, and the window serves once it is free', async () => {
    const port = await freePort();
    const other: Server = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n', () => socket.destroy()));
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    const w = testWindow({ port, configPath: emptyConfig, label: 'W', keys: new MemorySecretStore() });
    try {
      const joined = await w.shared.join();
      assert.equal(joined.ok, false);
      assert.equal(w.shared.state.phase, 'failed');
      assert.match(w.shared.state.error ?? '', /already in use by another program \(not a 1MCP agent\)/);
      await new Promise<void>((resolve) => other.close(() => resolve()));
      await waitFor(() => w.shared.state.role === 'serving', 'the window to serve once the port is free', 15_000);
    } finally {
      other.close();
      await w.shared.dispose();
    }
  });

  it('the CLI as holder: windows show it read-only and take over when it stops', async () => {
    const port = await freePort();
    const cli = new Agent({ configPath: emptyConfig, port, logger: silentLogger, watchConfig: false });
    await cli.start();
    const w = testWindow({ port, configPath: emptyConfig, label: 'W', keys: new MemorySecretStore() });
    try {
      assert.ok((await w.shared.join()).ok);
      assert.equal(w.shared.state.role, 'observing');
      assert.equal(w.shared.state.servedBy?.kind, 'cli');
      assert.equal(w.shared.state.servedBy?.pid, process.pid);
      await assert.rejects(w.shared.restartBackend('x'), /shows it|read-only|only shows/);
      await cli.close();
      await waitFor(() => w.shared.state.role === 'serving', 'the window to take over from the CLI');
    } finally {
      await cli.close();
      await w.shared.dispose();
    }
  });

  it('a window without the key of the serving one only observes it', async () => {
    const port = await freePort();
    const a = testWindow({ port, configPath: emptyConfig, label: 'A', keys: new MemorySecretStore() });
    const b = testWindow({ port, configPath: emptyConfig, label: 'B', keys: new MemorySecretStore() });
    try {
      assert.ok((await a.shared.join()).ok);
      assert.ok((await b.shared.join()).ok);
      assert.equal(b.shared.state.role, 'observing');
    } finally {
      await Promise.all([a.shared.dispose(), b.shared.dispose()]);
    }
  });
});
