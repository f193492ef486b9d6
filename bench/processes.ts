/** The benchmark's child processes: the agent CLI, echo backends, and reading a process's memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..');
export const AGENT_CLI = path.join(ROOT, 'dist', 'cli.js');
const ECHO_SCRIPT = path.join(ROOT, 'bench', 'echoBackend.ts');

/** How a stdio echo backend is started, for a config entry or the SDK's stdio client. */
export function echoCommand(fillerTools = 0): { command: string; args: string[]; env: Record<string, string> } {
  return { command: process.execPath, args: ['--import', 'tsx', ECHO_SCRIPT], env: { BENCH_TOOLS: String(fillerTools) } };
}

/**
 * Long enough for the agent's own shutdown, which gives its backends a second per step of stdin EOF,
 * SIGTERM and SIGKILL: killing it sooner would orphan backends that then load the machine.
 */
const STOP_GRACE_MS = 5_000;

/** Resolves when `child` has exited; SIGTERM first, SIGKILL after {@link STOP_GRACE_MS}. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export interface EchoHost {
  readonly urls: string[];
  close(): Promise<void>;
}

/** One child process hosting `count` echo servers over streamable HTTP; `json`: they answer with JSON bodies, not event streams. */
export async function startEchoHost(count: number, fillerTools = 0, json = false): Promise<EchoHost> {
  const { command, args, env } = echoCommand(fillerTools);
  const child = spawn(command, [...args, '--http', String(count), ...(json ? ['--json'] : [])], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`echo host exited with code ${code ?? 'null'}`))));
  const first = new Promise<string>((resolve) => lines.once('line', resolve));
  const { urls } = JSON.parse(await Promise.race([first, exited])) as { urls: string[] };
  return { urls, close: () => stop(child) };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface AgentProcess {
  readonly pid: number;
  /** The `/mcp` endpoint. */
  readonly url: string;
  /** Milliseconds from spawn until the endpoint answered its first request. */
  readonly readyMs: number;
  close(): Promise<void>;
}

interface Health {
  backends: { name: string; status: string }[];
}

/**
 * Writes `config` to a temp mcp.json and runs the built CLI on it (`node dist/cli.js`), as a user would,
 * with its state folder (secrets, activity record, tool pins, the terminal key) in that temp folder too,
 * never the user's. `ready` is tried every 2 ms from spawn until it succeeds; it receives the `/mcp` URL.
 */
export async function startAgentProcess(config: object, ready: (url: string) => Promise<unknown> = waitForHealth, env: NodeJS.ProcessEnv = process.env): Promise<AgentProcess> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-bench-'));
  const configPath = path.join(dir, 'mcp.json');
  await fs.writeFile(configPath, JSON.stringify(config));
  const port = await freePort();
  return launch([AGENT_CLI, '--config', configPath, '--port', String(port), '--log-level', 'error'], port, ready, () => fs.rm(dir, { recursive: true, force: true }), { ...env, XDG_CONFIG_HOME: dir });
}

/**
 * The least a Node process can do to answer `initialize`: the bare `node:http` server of
 * {@link BARE_SERVER}, what a launch of the agent is measured against.
 */
export async function startBareServer(ready: (url: string) => Promise<unknown>): Promise<AgentProcess> {
  const port = await freePort();
  return launch(['-e', BARE_SERVER, String(port)], port, ready);
}

/** Answers every POST with an `initialize` result and a session id; `node -e` passes the port as argv[1]. */
const BARE_SERVER = `require('node:http').createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const result = { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'bare', version: '1.0.0' } };
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'bare' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(body).id, result }));
  });
}).listen(Number(process.argv[1]), '127.0.0.1');`;

/** Spawns `node ...args` serving `/mcp` on `port` and tries `ready` every 2 ms from spawn until it succeeds. */
async function launch(args: readonly string[], port: number, ready: (url: string) => Promise<unknown>, cleanUp?: () => Promise<void>, env = process.env): Promise<AgentProcess> {
  const url = `http://127.0.0.1:${port}/mcp`;
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  const close = async (): Promise<void> => {
    await stop(child);
    await cleanUp?.();
  };
  try {
    await poll(() => ready(url), { intervalMs: 2, timeoutMs: 10_000, dead: () => child.exitCode !== null });
  } catch (error) {
    await close();
    throw error;
  }
  const readyMs = performance.now() - started;
  if (child.pid === undefined) throw new Error('process has no pid');
  return { pid: child.pid, url, readyMs, close };
}

async function waitForHealth(url: string): Promise<void> {
  const response = await fetch(url.replace(/\/mcp$/, '/health'));
  if (!response.ok) throw new Error(`health answered ${response.status}`);
}

/** Resolves once every configured backend of the agent at `url` is connected; polls gently, not to slow that down. */
export async function waitForBackends(url: string): Promise<void> {
  await poll(async () => {
    const health = (await (await fetch(url.replace(/\/mcp$/, '/health'))).json()) as Health;
    const pending = health.backends.filter((b) => b.status !== 'connected');
    if (pending.length > 0) throw new Error(`backends not connected: ${pending.map((b) => `${b.name} (${b.status})`).join(', ')}`);
  }, { intervalMs: 20, timeoutMs: 60_000 });
}

export interface PollOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Stops polling early: the process being polled is gone. */
  readonly dead?: () => boolean;
}

/** Retries `attempt` until it resolves; rethrows its last error once dead or out of time. */
export async function poll(attempt: () => Promise<unknown>, options: PollOptions): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (options.dead?.()) throw new Error('the agent process exited', { cause: error });
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  }
}

/** CPU time (user + system) process `pid` has used, in ms (Linux `/proc/<pid>/stat`, fields 14 and 15, in clock ticks of 10 ms). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are counted from its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident set size of process `pid` in MiB (Linux `/proc/<pid>/status` VmRSS). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) / 1024;
}
