import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import spawn from 'cross-spawn';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { deliverReceived } from './decodeMessage';
import { LineReader } from './lineReader';
import { settlesWithin } from '../settlesWithin';
import { processReaper } from './processReaper';
import { spawnError } from './spawnError';

export interface StdioProcessOptions {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  /** Receives every chunk the child writes to stderr. */
  onStderr?: (chunk: string) => void;
}

const GRACE_MS = 1_000;
/** How long an exited process's stdout and stderr may take to be read to their end. */
const DRAIN_MS = 200;

/**
 * Client transport over a child process's stdin/stdout (newline-delimited JSON-RPC, MCP stdio).
 * Unlike the SDK's stdio transport it owns the whole process tree: on POSIX the child leads its own
 * process group and close() ends the group, so `npx` wrappers never leave grandchildren behind; on
 * Windows `taskkill /T` does the same. cross-spawn resolves `.cmd` shims and paths with spaces.
 */
export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcess;
  private readonly lines = new LineReader(false);
  private exited?: Promise<void>;
  /** Why the process ended, for the backend's error status. */
  exitReason?: string;
  /** How it ended, once it has. */
  exitCode?: number;
  exitSignal?: NodeJS.Signals;

  constructor(private readonly options: StdioProcessOptions) {}

  start(): Promise<void> {
    if (this.child) throw new Error('StdioProcessTransport already started');
    const { command, args, cwd } = this.options;
    const env = { ...inheritedEnv(), ...this.options.env };
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        env,
        cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('exit', () => done()));
      child.once('error', (error: NodeJS.ErrnoException) => {
        const failure = spawnError(error, command, env, cwd);
        this.exitReason = failure.message;
        // A process that never started sends no 'exit': there is nothing for close() to wait for.
        if (child.pid === undefined) this.child = undefined;
        reject(failure);
        this.onerror?.(failure);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) processReaper.watch(child.pid);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? undefined;
        this.exitSignal = signal ?? undefined;
        this.exitReason ??= signal ? `process killed by ${signal}` : `process exited with code ${code ?? 0}`;
        // The leader is gone; anything it left in its group goes with it.
        killTree(child, 'SIGTERM');
        if (child.pid !== undefined) processReaper.release(child.pid);
        this.child = undefined;
        // What it wrote last (often why it exited) may still be in the pipes: read it first, but do
        // not wait on a grandchild that keeps them open.
        const drained = new Promise<void>((done) => child.once('close', () => done()));
        void settlesWithin(drained, DRAIN_MS).then(() => this.onclose?.());
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        for (const line of this.lines.push(chunk)) deliverReceived(this, line);
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => this.options.onStderr?.(chunk));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('backend process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(JSON.stringify(message) + '\n')) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the process tree by escalation: stdin EOF, then SIGTERM, then SIGKILL. Idempotent. */
  async close(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return;
    this.exitReason ??= 'closed';
    child.stdin?.end();
    if (!(await settlesWithin(exited, GRACE_MS))) {
      killTree(child, 'SIGTERM');
      if (!(await settlesWithin(exited, GRACE_MS))) {
        killTree(child, 'SIGKILL');
        await settlesWithin(exited, GRACE_MS);
      }
    }
    killTree(child, 'SIGKILL');
  }
}

/** Signals the child's whole process tree; a no-op for a tree that is already gone. */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is empty.
  }
}

/**
 * The environment a backend inherits: ours, minus variables that only make sense inside the editor's
 * own processes and would change how a child Node or Electron program behaves.
 */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === 'ELECTRON_RUN_AS_NODE' || key.startsWith('VSCODE_')) continue;
    env[key] = value;
  }
  return env;
}
