import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { Agent } from '../../src/core/agent';
import { silentLogger } from '../../src/core/logger';
import { BUILT_CLI, FIXTURE_SERVER, connectClient, firstText, fixtureEntry, isAlive, tempDir, waitFor } from '../helpers/harness';
import { rawRequest } from '../helpers/loopback';
import { startModernBackend } from '../fixtures/modernBackend';

interface CliRun {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Where the CLIs of this file keep their state (pins, the terminal key): never the user's own folder. */
const stateHome = mkdtempSync(path.join(os.tmpdir(), 'onemcp-cli-state-'));
after(() => rmSync(stateHome, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { env: { ...process.env, XDG_CONFIG_HOME: stateHome, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function writeConfig(content: string): Promise<string> {
  const dir = await tempDir();
  const file = path.join(dir, 'mcp.json');
  await fs.writeFile(file, content);
  return file;
}

describe('CLI', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('serves the config, prints endpoint and statuses, and ends every process tree on SIGTERM', async () => {
    const config = await writeConfig(
      JSON.stringify({
        mcpServers: {
          direct: fixtureEntry('direct'),
          // A wrapper that keeps its child as a grandchild of the agent, as npx does.
          wrapped: { command: 'sh', args: ['-c', `"${process.execPath}" --import tsx "${FIXTURE_SERVER}"; true`], env: { FIXTURE_NAME: 'wrapped' } },
        },
      }),
    );
    const run = runCli(['serve', '--config', config, '--port', '0']);
    cleanups.push(() => void run.child.kill('SIGKILL'));
    const endpoint = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(run.output())?.[1], 'the endpoint line');
    await waitFor(() => /wrapped: connected/.test(run.output()) && /direct: connected/.test(run.output()), 'backend statuses');

    const client = await connectClient(endpoint);
    const pids = await Promise.all(['direct_1mcp_pid', 'wrapped_1mcp_pid'].map(async (name) => Number(firstText(await client.callTool({ name, arguments: {} })))));
    await client.close();
    for (const pid of pids) assert.ok(isAlive(pid));

    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'backend processes to end');
  });

  it('reads ONE_MCP_* environment variables, --tags among them', async () => {
    const config = await writeConfig(JSON.stringify({ mcpServers: { alpha: fixtureEntry('alpha', { tags: ['keep'] }), beta: fixtureEntry('beta', { tags: ['drop'] }) } }));
    const run = runCli([], { ONE_MCP_CONFIG: config, ONE_MCP_PORT: '0', ONE_MCP_LOG_LEVEL: 'debug', ONE_MCP_TAGS: 'keep' });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitFor(() => /alpha: connected/.test(run.output()), 'alpha to connect');
    assert.match(run.output(), /DEBUG/);
    assert.doesNotMatch(run.output(), /beta/);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0);
  });

  it('exits non-zero with a located message, not a stack trace, for an invalid config', async () => {
    const config = await writeConfig(JSON.stringify({ mcpServers: { good: fixtureEntry('good'), bad: { command: 'x', args: ['ok', 42] } } }));
    const run = runCli(['--config', config, '--port', '0']);
    assert.notEqual(await run.exited, 0);
    const output = run.output();
    assert.ok(output.includes(config), output);
    assert.match(output, /server "bad", field "args\[1\]"/);
    assert.doesNotMatch(output, /\n\s+at /);
  });

  it('gives line and column for a JSON syntax error', async () => {
    const config = await writeConfig('{\n  "mcpServers": {\n    "a": { "command": "x" \n  }\n');
    const run = runCli(['--config', config, '--port', '0']);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /not valid JSON/);
    assert.match(run.output(), /line \d+, column \d+/);
    assert.doesNotMatch(run.output(), /\n\s+at /);
  });

  it('says which VS Code window already serves the port, instead of a bare "in use"', async () => {
    const config = await writeConfig('{ "mcpServers": {} }');
    const window = new Agent({ configPath: config, port: 0, logger: silentLogger, watchConfig: false, servedBy: { kind: 'editor', label: 'proj', pid: 4242 } });
    await window.start();
    cleanups.push(() => window.close());
    const run = runCli(['--config', config, '--port', String(window.state.port)]);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /already served by a VS Code window \(pid 4242\): its endpoint http:\/\/127\.0\.0\.1:\d+\/mcp serves every client/);
  });

  it('refuses to listen on all interfaces without --enable-auth, and says so', async () => {
    const config = await writeConfig(JSON.stringify({ mcpServers: {} }));
    const run = runCli(['--config', config, '--port', '0', '--host', '0.0.0.0']);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /Cannot start: Client authorization is off, so the agent does not listen on all interfaces \(0\.0\.0\.0:\d+\)/);
    assert.match(run.output(), /--enable-auth/);
    assert.doesNotMatch(run.output(), /\n\s+at /);
  });

  it('with --enable-auth on all interfaces, logs every URL that reaches it and the loopback dashboard', async () => {
    const config = await writeConfig(JSON.stringify({ mcpServers: {} }));
    const home = await tempDir();
    const run = runCli(['--config', config, '--port', '0', '--host', '0.0.0.0', '--enable-auth'], { XDG_CONFIG_HOME: home });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
    const port = await waitFor(() => /listening on all interfaces \(0\.0\.0\.0:(\d+)\): http:\/\/127\.0\.0\.1:\d+\/mcp/.exec(run.output())?.[1], 'the listening line');
    const own = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).filter((i) => i.family === 'IPv4' && !i.internal);
    for (const info of own) assert.ok(run.output().includes(`http://${info.address}:${port}/mcp`), run.output());
    await waitFor(() => run.output().includes(`Dashboard: http://127.0.0.1:${port}/oauth`), 'the dashboard line');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  // The bundle decodes bodies with src/shims/iconvLite.ts in place of iconv-lite (scripts/build.mjs).
  it('reads UTF-8 request bodies, and answers 415 to a charset it does not decode', async () => {
    const config = await writeConfig(JSON.stringify({ mcpServers: { direct: fixtureEntry('direct') } }));
    const run = runCli(['--config', config, '--port', '0']);
    cleanups.push(() => void run.child.kill('SIGKILL'));
    const endpoint = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(run.output())?.[1], 'the endpoint line');
    await waitFor(() => /direct: connected/.test(run.output()), 'the backend to connect');

    // Every POST of the legacy transport goes through body-parser (the /mcp fast path reads its own).
    const legacy = new Client({ name: 'legacy', version: '1' });
    await legacy.connect(new SSEClientTransport(new URL(endpoint.replace(/\/mcp$/, '/sse'))));
    const text = 'héllo ✓ 日本 😀';
    assert.equal(firstText(await legacy.callTool({ name: 'direct_1mcp_echo', arguments: { text } })), `direct: ${text}`);
    await legacy.close();

    // UTF-16 passes body-parser's JSON check and is refused by the decoder; Shift_JIS by body-parser.
    for (const charset of ['utf-16', 'shift_jis']) {
      const answer = await rawRequest(endpoint, {
        method: 'POST',
        headers: { 'content-type': `application/json; charset=${charset}`, accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      assert.equal(answer.status, 415, `${charset}: ${answer.body}`);
      assert.match(answer.body, /Unsupported body encoding/);
    }
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('serves a backend that speaks only MCP 2026-07-28 with the SDK v2 client bundled beside it', async () => {
    const modern = await startModernBackend('web');
    cleanups.push(() => modern.close());
    const config = await writeConfig(JSON.stringify({ mcpServers: { web: { url: modern.url } } }));
    const run = runCli(['--config', config, '--port', '0']);
    cleanups.push(() => void run.child.kill('SIGKILL'));
    const endpoint = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(run.output())?.[1], 'the endpoint line');
    await waitFor(() => /web: connected/.test(run.output()), 'the modern backend to connect');
    const client = await connectClient(endpoint);
    assert.equal(firstText(await client.callTool({ name: 'web_1mcp_echo', arguments: { text: 'hi' } })), 'web: hi');
    await client.close();
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('refuses unknown flags and bad values with usage', async () => {
    const run = runCli(['--port', 'abc']);
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /--port must be a number/);
    assert.match(run.output(), /Usage: onemcp/);
  });
});
