/** Scenario: the window serving the agent dies (SIGKILL); how long until the endpoint answers `initialize` again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { initialize } from './clients';
import { median } from './measure';
import { echoCommand, freePort, poll, stop } from './processes';

const WINDOW_SCRIPT = path.join(__dirname, 'windowProcess.ts');

export interface TakeoverResult {
  /** Median ms from SIGKILL of the serving window to `initialize` answered by the window that took over. */
  readonly medianMs: number;
  readonly runs: number;
  readonly stdioBackends: number;
}

interface Window {
  readonly child: ChildProcess;
  /** Resolves with the role it reached next. */
  nextRole(): Promise<string>;
}

function startWindow(configPath: string, port: number, key: string): Window {
  const child = spawn(process.execPath, ['--import', 'tsx', WINDOW_SCRIPT, configPath], { env: { ...process.env, BENCH_PORT: String(port), BENCH_WINDOW_KEY: key }, stdio: ['ignore', 'pipe', 'inherit'] });
  const roles: string[] = [];
  const waiting: ((role: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (role) => (waiting.shift() ?? ((r: string) => roles.push(r)))(role));
  return { child, nextRole: () => (roles.length ? Promise.resolve(roles.shift() ?? '') : new Promise((resolve) => waiting.push(resolve))) };
}

/** One run: window A serves, B follows; A is killed; B serves. */
async function once(configPath: string): Promise<number> {
  const port = await freePort();
  const key = randomBytes(32).toString('base64url');
  const windows: Window[] = [];
  try {
    const a = startWindow(configPath, port, key);
    windows.push(a);
    if ((await a.nextRole()) !== 'serving') throw new Error('the first window did not serve');
    const b = startWindow(configPath, port, key);
    windows.push(b);
    if ((await b.nextRole()) !== 'following') throw new Error('the second window did not follow');
    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    await poll(() => initialize(`http://127.0.0.1:${port}/mcp`), { intervalMs: 2, timeoutMs: 30_000 });
    return performance.now() - killedAt;
  } finally {
    await Promise.all(windows.map((w) => stop(w.child)));
  }
}

export async function benchTakeover(runs: number, stdioBackends: number): Promise<TakeoverResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-bench-'));
  const configPath = path.join(dir, 'mcp.json');
  await fs.writeFile(configPath, JSON.stringify({ mcpServers: Object.fromEntries(Array.from({ length: stdioBackends }, (_, i) => [`s${i}`, echoCommand()])) }));
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once(configPath));
    return { medianMs: median(times), runs, stdioBackends };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
