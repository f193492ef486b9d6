/** The built CLI as a user runs it: commands that end, and a serving agent that keeps running. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_CLI, waitFor } from './harness';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `onemcp <args>` to its end without blocking this process (a registry or an agent it talks to
 * may be served right here). stdin is not a terminal.
 */
export function onemcp(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export interface ServingCli {
  readonly child: ChildProcess;
  /** The endpoint it printed. */
  readonly endpoint: string;
  readonly port: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** `onemcp serve --config <config> --port 0 [flags]`, once it listens. */
export async function serveCli(config: string, env: NodeJS.ProcessEnv, flags: readonly string[] = []): Promise<ServingCli> {
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--config', config, '--port', '0', ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:(\d+)\/mcp)/.exec(output)?.[1], 'the endpoint line');
  return {
    child,
    endpoint,
    port: new URL(endpoint).port,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
