// A window that finds the agent served by another shows it before its control channel is open (from the
// serving window's note, else from /health): the channel waits for the window key, and a starting
// window's first SecretStorage read is slow. Here the follower's key read is held until the test lets it
// go, so each step is seen in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readServingNote, ServingNoteWriter } from '../../src/core/control/servingNote';
import { MemorySecretStore, type SecretStore } from '../../src/core/secrets/secretStore';
import { idleState, type AgentState, type ServedBy } from '../../src/core/state/agentState';
import { fixtureEntry, tempDir, waitFor } from '../helpers/harness';
import { freePort, testWindow, type TestWindow } from '../helpers/sharedAgents';

const AUTH = { enabled: true, scopeValidation: false };

/** `store`, whose reads wait until `release()` is called: SecretStorage in a window that is still starting. */
function heldStore(store: SecretStore): SecretStore & { release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    get: async (key) => {
      await released;
      return store.get(key);
    },
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    release,
  };
}

describe('a following window while its control channel opens', () => {
  let dir: string;
  let configPath: string;
  let port: number;
  let keys: MemorySecretStore;
  let a: TestWindow;
  let b: TestWindow | undefined;

  before(async () => {
    dir = await tempDir();
    configPath = path.join(dir, 'mcp.json');
    await fs.writeFile(configPath, JSON.stringify({ mcpServers: { one: fixtureEntry('one', { tags: ['a'] }), two: fixtureEntry('two', { tags: ['b'] }) } }));
    port = await freePort();
    keys = new MemorySecretStore();
    a = testWindow({ port, configPath, label: 'Serving Window', keys, auth: AUTH });
    assert.ok((await a.shared.join()).ok);
    await waitFor(() => a.shared.state.backends.length === 2 && a.shared.state.backends.every((s) => s.status === 'connected'), 'both backends to connect');
  });
  after(async () => {
    await Promise.all([a?.shared.dispose(), b?.shared.dispose()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('shows the agent from its /health until the key is read, holds what the user does until then, then shows the whole state', async () => {
    const heldKeys = heldStore(keys);
    b = testWindow({ port, configPath, label: 'Following Window', keys: heldKeys, auth: AUTH });
    const follower = b.shared;
    const states: string[] = [];
    follower.events.onDidChangeState((s) => states.push(`${s.phase}/${s.role ?? '-'}${s.partial ? '/partial' : ''}`));
    const joined = follower.join();

    const shown = await waitFor(() => follower.state.phase === 'running' && follower.state, 'the follower to show the agent');
    assert.equal(shown.role, 'following');
    assert.equal(shown.partial, true);
    const served = a.shared.state.backends.map((s) => [s.name, s.status, s.tools.length]);
    assert.deepEqual(shown.backends.map((s) => [s.name, s.status, s.toolCount]), served);
    assert.deepEqual({ kind: shown.servedBy?.kind, pid: shown.servedBy?.pid }, { kind: 'editor', pid: process.pid });

    const revoked = follower.revokeClient('no-such-client');
    heldKeys.release();
    assert.deepEqual(await joined, { ok: true });
    assert.equal(await revoked, false, 'the serving agent answered the action asked meanwhile');

    const whole = follower.state;
    assert.equal(whole.partial, undefined);
    assert.equal(whole.role, 'following');
    assert.equal(whole.servedBy?.label, 'Serving Window');
    assert.deepEqual(whole.backends.map((s) => s.tools.map((t) => t.name)), a.shared.state.backends.map((s) => s.tools.map((t) => t.name)), 'the tools by name, which /health does not tell');
    assert.deepEqual(states.filter((s, i) => s !== states[i - 1]), ['running/following/partial', 'running/following']);
  });

  it('shows it from the serving window’s note before its own bind’s outcome, and the note goes with the serving window', async () => {
    const noteFile = path.join(dir, 'windows', 'serving.json');
    await Promise.all([a.shared.dispose(), b?.shared.dispose()]);
    a = testWindow({ port, configPath, label: 'Serving Window', keys, auth: AUTH, noteFile });
    assert.ok((await a.shared.join()).ok);
    await waitFor(async () => {
      const note = await fs.readFile(noteFile, 'utf8').catch(() => '');
      return note.includes('"status":"connected"') && !note.includes('"status":"connecting"');
    }, 'the note to show the backends connected');
    assert.equal((await fs.stat(noteFile)).mode & 0o777, 0o600);

    const heldKeys = heldStore(keys);
    b = testWindow({ port, configPath, label: 'Following Window', keys: heldKeys, auth: AUTH, noteFile });
    const follower = b.shared;
    const joined = follower.join();
    // Before its bind's outcome is known: join() shows the note before it first waits.
    const shown = follower.state;
    assert.equal(shown.phase, 'running');
    assert.equal(shown.role, 'following');
    assert.equal(shown.partial, true);
    assert.equal(shown.servedBy?.label, 'Serving Window', 'the note names the window, which /health does not');
    assert.deepEqual(shown.backends.map((s) => [s.name, s.status, s.toolCount]), a.shared.state.backends.map((s) => [s.name, s.status, s.tools.length]));
    heldKeys.release();
    assert.deepEqual(await joined, { ok: true });
    assert.equal(follower.state.partial, undefined);

    // The serving window goes: its note with it, and the follower, serving now, leaves its own.
    await a.shared.dispose();
    await waitFor(() => follower.state.role === 'serving', 'the follower to take over');
    await waitFor(async () => (await fs.readFile(noteFile, 'utf8').catch(() => '')).includes('"label":"Following Window"'), 'the new serving window’s note');
    await follower.dispose();
    await assert.rejects(fs.stat(noteFile), { code: 'ENOENT' });
  });

  it('serves at once when the serving window goes before the channel is open', async () => {
    await Promise.all([a.shared.dispose(), b?.shared.dispose()]);
    a = testWindow({ port, configPath, label: 'Serving Window', keys, auth: AUTH });
    assert.ok((await a.shared.join()).ok);
    const heldKeys = heldStore(keys);
    b = testWindow({ port, configPath, label: 'Following Window', keys: heldKeys, auth: AUTH });
    const follower = b.shared;
    const joined = follower.join();
    await waitFor(() => follower.state.partial, 'the follower to show the agent');
    await a.shared.dispose();
    heldKeys.release();
    assert.deepEqual(await joined, { ok: true });
    assert.equal(follower.state.role, 'serving');
    assert.equal(follower.state.phase, 'running');
  });

  it('serves when the note it showed is of a window that has stopped serving (its process still running)', async () => {
    await Promise.all([a.shared.dispose(), b?.shared.dispose()]);
    const noteFile = path.join(dir, 'left-behind', 'serving.json');
    const writer = new ServingNoteWriter(noteFile);
    writer.update({ ...idleState({ configPath, host: '127.0.0.1', port, auth: AUTH }), phase: 'running', servedBy: { kind: 'editor', label: 'Stopping Window', pid: process.pid }, role: 'serving' });
    await waitFor(() => readServingNote(noteFile, '127.0.0.1', port) !== undefined, 'the note to be written');
    b = testWindow({ port, configPath, label: 'New Window', keys, auth: AUTH, noteFile });
    const joining = b.shared.join();
    assert.equal(b.shared.state.servedBy?.label, 'Stopping Window', 'shown from the note at once');
    assert.deepEqual(await joining, { ok: true });
    assert.equal(b.shared.state.role, 'serving', 'the port was free: this window serves');
    assert.equal(b.shared.state.servedBy?.label, 'New Window');
    await waitFor(async () => (await fs.readFile(noteFile, 'utf8').catch(() => '')).includes('"label":"New Window"'), 'its own note in place of the one left behind');
    await b.shared.dispose();
  });

  it('ignores a note of another port, or of a process that is gone', async () => {
    const noteFile = path.join(dir, 'stale', 'serving.json');
    const writer = new ServingNoteWriter(noteFile);
    const exited = spawn(process.execPath, ['-e', '']);
    const pid = exited.pid ?? 0;
    await new Promise((resolve) => exited.once('exit', resolve));
    const state = (servedBy: ServedBy): AgentState => ({ ...idleState({ configPath, host: '127.0.0.1', port, auth: AUTH }), phase: 'running', servedBy, role: 'serving' });
    writer.update(state({ kind: 'editor', label: 'Gone', pid }));
    await waitFor(() => fs.stat(noteFile).then(() => true, () => false), 'the note to be written');
    assert.equal(readServingNote(noteFile, '127.0.0.1', port), undefined, 'its process is gone');
    writer.update(state({ kind: 'editor', label: 'Here', pid: process.pid }));
    await waitFor(() => readServingNote(noteFile, '127.0.0.1', port)?.servedBy.label === 'Here', 'the live note');
    assert.equal(readServingNote(noteFile, '127.0.0.1', port + 1), undefined, 'another port');
    await writer.remove();
    await assert.rejects(fs.stat(noteFile), { code: 'ENOENT' });
  });
});
