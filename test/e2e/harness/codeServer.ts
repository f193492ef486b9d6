// Runs code-server (a real VS Code) in its own process group with a throwaway home, user-data-dir and
// extensions dir, with the packaged extension installed. See ../shared/docs/vscode-e2e.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../helpers/ports';

export { freePort };
import { CODE_SERVER, NODE24_BIN, RESULTS_DIR } from './tools';
import { packagedVsix } from './vsix';

export interface CodeServerOptions {
  /** User settings.json content (merged over the e2e defaults). */
  readonly settings?: Record<string, unknown>;
  /** False opens the folder in Restricted Mode. */
  readonly trusted: boolean;
  /** Files to create, relative to the temp root (`home/...`, `workspace/...`). */
  readonly files?: Record<string, string>;
  /** More code-server flags. */
  readonly args?: readonly string[];
}

export interface CodeServer {
  readonly url: string;
  readonly root: string;
  readonly home: string;
  readonly workspace: string;
  readonly userDataDir: string;
  /** Stops code-server and everything it started, and removes the temp dirs. */
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'onemcp-e2e-'));
  const home = path.join(root, 'home');
  const workspace = path.join(root, 'workspace');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  for (const dir of [home, workspace, path.join(userDataDir, 'User'), extensionsDir]) mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const settings = {
    'remote.autoForwardPorts': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.startupPrompt': 'never',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...options.settings,
  };
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  // The extension's code cache (src/launch/codeCache.ts) outlives the throwaway home, as a user's
  // outlives an editor session: one e2e file starts cold, the ones after it find the cache.
  const env = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(RESULTS_DIR, 'cache') };
  const install = spawnSync(CODE_SERVER, ['--install-extension', packagedVsix(), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  if (options.trusted) args.push('--disable-workspace-trust');
  args.push(...(options.args ?? []));
  // detached: its own process group (setsid), so stop() reaches the file watcher and extension host too.
  const child = spawn(CODE_SERVER, [...args, workspace], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, output);
  } catch (error) {
    await stopGroup(child);
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `${url}/?folder=${encodeURIComponent(workspace)}`,
    root,
    home,
    workspace,
    userDataDir,
    stop: async () => {
      await stopGroup(child);
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output.join('')}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not come up:\n${output.join('')}`);
}

/** SIGTERM to the whole group, SIGKILL after a grace period. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Children that outlived the leader (extension host, watcher) are in the group too.
  signal('SIGKILL');
}
