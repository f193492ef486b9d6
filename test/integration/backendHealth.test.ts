// What the agent reports about a backend that fails is true, the same everywhere, and secret-free:
// /health, the state the tree, dashboard and status bar render, the /oauth page and the logs.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { HealthBackend, HealthReport } from '../../src/core/state/healthReport';
import { escapeHtml } from '../../src/core/http/oauth/html';
import { statusDetail } from '../../src/core/backends/backendStatus';
import { backendItem } from '../../src/extension/render/backendItems';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { escape, statusBarView } from '../../src/extension/render/statusBarView';
import { startRefusingBackend } from '../fixtures/rawBackend';
import { fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';

const SECRET = 'sk-live-abcdefghijklmnopqrstuv';
const FAIL_AT_ONCE = `process.stderr.write("boom: missing API key (API_KEY=${SECRET})\\n"); process.exit(3)`;
const MISSING = 'definitely-not-a-command-onemcp';

describe('backend health', () => {
  let refusing: Awaited<ReturnType<typeof startRefusingBackend>>;
  let running: RunningAgent;
  const config = () => ({
    mcpServers: {
      flaky: { command: process.execPath, args: ['-e', FAIL_AT_ONCE], restartDelay: 60_000, maxRestarts: 2 },
      missing: { command: MISSING, env: { PATH: '/nowhere/bin' } },
      homeless: { command: process.execPath, args: ['-e', '0'], cwd: '/nonexistent-onemcp-dir' },
      refusing: { url: refusing.url },
    },
  });
  const health = async (): Promise<Record<string, HealthBackend>> => {
    const report = (await (await fetch(`${running.base}/health`)).json()) as HealthReport;
    return Object.fromEntries(report.backends.map((b) => [b.name, b]));
  };
  const state = (name: string) => running.agent.state.backends.find((b) => b.name === name);

  before(async () => {
    refusing = await startRefusingBackend();
    // With client authorization on, /health also answers the network (the summary only).
    running = await startAgent(config(), { auth: { enabled: true, scopeValidation: false } });
    await settled(running.agent);
  });

  after(async () => {
    await running?.close();
    await refusing?.close();
  });

  it('a backend waiting to restart says so, with the attempt, when, the exit code and its last stderr line', async () => {
    const flaky = (await health()).flaky;
    assert.equal(flaky?.status, 'restarting');
    assert.equal(flaky?.restarts, 1);
    assert.deepEqual({ ...flaky?.lastError, at: undefined }, { message: 'process exited with code 3', exitCode: 3, stderr: 'boom: missing API key (API_KEY=[redacted])', at: undefined });
    assert.deepEqual({ ...flaky?.nextRestart, at: undefined }, { attempt: 1, of: 2, at: undefined });
    assert.equal(Date.parse(flaky?.nextRestart?.at ?? '') - Date.parse(flaky?.lastError?.at ?? ''), 60_000);
  });

  it('nothing that looks like a secret reaches /health, the state or the log', async () => {
    const text = await (await fetch(`${running.base}/health`)).text();
    assert.ok(text.includes('[redacted]'));
    for (const [where, content] of [['/health', text], ['state', JSON.stringify(running.agent.state)], ['log', running.logs.join('')]]) {
      assert.ok(!content?.includes(SECRET), `no secret in ${where ?? ''}`);
    }
  });

  it('tells why only to a direct request from this machine: a relayed one gets each status, not why', async () => {
    const relayed = (await (await fetch(`${running.base}/health`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).json()) as HealthReport;
    assert.deepEqual(relayed.backends.map((b) => [b.name, b.status]), [['flaky', 'restarting'], ['missing', 'error'], ['homeless', 'error'], ['refusing', 'error']]);
    for (const backend of relayed.backends) assert.deepEqual([backend.reason, backend.lastError, backend.nextRestart], [undefined, undefined, undefined], backend.name);
  });

  it('the tree, the status bar and both dashboards say it in the same words', async () => {
    const flaky = state('flaky');
    assert.ok(flaky);
    const detail = statusDetail(flaky) ?? '';
    assert.match(detail, /^process exited with code 3 — stderr: boom: missing API key \(API_KEY=\[redacted\]\); restart 1 of 2 at \d\d:\d\d:\d\d$/);
    assert.ok(backendItem(flaky).tooltip?.includes(escape(detail)), 'tree tooltip');
    assert.ok(statusBarView(running.agent.state).tooltip.includes(`**flaky** — Restarting: ${escape(detail)}`), 'status bar tooltip');
    assert.equal(dashboardState(running.agent.state).backends.find((b) => b.name === 'flaky')?.reason, detail, 'dashboard webview');
    const page = await (await fetch(`${running.base}/oauth`)).text();
    assert.ok(page.includes(escapeHtml(detail)), 'the /oauth page');
  });

  it('a command that is not there is an error at once, naming the command and the PATH searched, and is not retried', async () => {
    const { missing, homeless } = await health();
    assert.equal(missing?.status, 'error');
    assert.equal(missing?.reason, `command not found: ${MISSING} (searched PATH=/nowhere/bin)`);
    assert.equal(missing?.restarts, 0);
    assert.equal(missing?.nextRestart, undefined);
    assert.equal(homeless?.status, 'error');
    assert.equal(homeless?.reason, 'working directory not found: /nonexistent-onemcp-dir');
  });

  it('a backend refusing our protocol version is reported with its reason, not as an SSE error', async () => {
    const backend = (await health()).refusing;
    assert.equal(backend?.status, 'error');
    assert.match(backend?.reason ?? '', /answered HTTP 400: Unsupported protocol version \(JSON-RPC error -32022; the server supports protocol version 2026-07-28, asked for \d{4}-\d\d-\d\d\); speaking MCP 2026-07-28 to it failed too: /);
    assert.doesNotMatch(backend?.reason ?? '', /SSE/);
    assert.equal(backend?.nextRestart, undefined);
  });

  it('tries the missing command again when the user restarts it, and connects once the config is fixed', async () => {
    await running.agent.hub.backends.get('missing')?.restart();
    assert.equal(state('missing')?.status, 'connecting');
    await waitFor(() => state('missing')?.status === 'error', 'the attempt to fail again');
    assert.match(state('missing')?.reason ?? '', /^command not found/);
    const fixed = config();
    fixed.mcpServers.missing = fixtureEntry('missing') as typeof fixed.mcpServers.missing;
    await fs.writeFile(running.configPath, JSON.stringify(fixed));
    assert.equal(await running.agent.reload(), true);
    await waitFor(() => state('missing')?.status === 'connected', 'the fixed backend to connect');
    assert.equal(state('missing')?.lastError, undefined, 'a new config starts afresh');
  });
});
