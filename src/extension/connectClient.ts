import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../core/atomicWrite';
import { clientStateDir, clientStatus, connectClient, disconnectClient, type ClientContext, type ClientStatus } from '../core/clients/clientConnection';
import { CLIENTS, type ProxyCommand } from '../core/clients/clientDefinitions';
import { defaultConfigPath } from '../core/config/configPath';
import type { Logger } from '../core/logger';
import type { Settings } from './settings';

export interface ConnectClientDeps {
  /** The endpoint the agent serves (or will serve) clients at. */
  readonly endpoint: () => string;
  readonly settings: () => Settings;
  /** The extension's folder: `dist/proxy.js` in it is the bridge stdio-only clients run. */
  readonly extensionPath: string;
  readonly logger: Logger;
}

/**
 * "1MCP: Connect Client…": the clients found on this machine, each saying whether it is connected;
 * connects one (optionally moving its servers into the agent's config) or disconnects it, through the
 * same core functions as `onemcp connect`.
 */
export async function connectClientFlow(deps: ConnectClientDeps): Promise<void> {
  const context = clientContext();
  const endpoint = deps.endpoint();
  if (new URL(endpoint).port === '0') throw new Error('The agent picks its port when it starts (onemcp.port is 0): start it first.');
  const found = (await Promise.all(CLIENTS.map((c) => clientStatus(c, context)))).filter((s) => s.installed || s.connected);
  if (found.length === 0) {
    void vscode.window.showInformationMessage(`1MCP: none of these clients is set up on this machine: ${CLIENTS.map((c) => c.name).join(', ')}.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((status) => ({ label: status.client.name, description: describe(status, endpoint), detail: tildify(status.file), status })),
    { title: '1MCP: Connect Client', placeHolder: 'Which client should use the 1MCP agent?' },
  );
  if (!picked) return;
  const { status } = picked;
  const name = status.client.name;
  if (status.problem) throw new Error(status.problem);

  const choices = [
    ...(status.connected ? [{ label: `$(debug-disconnect) Disconnect ${name}`, detail: 'Restore its config as it was before', action: 'disconnect' as const }] : []),
    { label: status.connected ? `$(plug) Connect again to ${endpoint}` : `$(plug) Connect ${name}`, detail: `Adds "1mcp" -> ${endpoint} to ${status.file}`, action: 'connect' as const },
    ...(status.servers.length
      ? [{ label: `$(arrow-right) Connect, and move its servers into 1MCP`, detail: `${status.servers.join(', ')}: into ${deps.settings().configPath}`, action: 'move' as const }]
      : []),
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: `1MCP: ${name}`, placeHolder: `${name} is ${describe(status, endpoint)}` });
  if (!choice) return;

  if (choice.action === 'disconnect') {
    const result = await disconnectClient(status.client, context);
    deps.logger.info(`Disconnected ${name}: ${result.file} (${result.outcome})`);
    void vscode.window.showInformationMessage(`1MCP: ${name} is disconnected${result.returned.length ? `; its servers are back: ${result.returned.join(', ')}` : ''}. Restart ${name} to apply.`);
    return;
  }
  const result = await connectClient(status.client, context, {
    endpoint: { url: endpoint, proxy: await proxyCommand(deps.extensionPath) },
    moveServersTo: choice.action === 'move' ? deps.settings().configPath : undefined,
  });
  deps.logger.info(`Connected ${name}: ${result.file}; backup ${result.backup}`);
  const moved = result.moved.length ? ` Moved into 1MCP: ${result.moved.map((m) => m.as).join(', ')}.` : '';
  void vscode.window.showInformationMessage(`1MCP: ${name} now uses the agent.${moved} Restart ${name} to apply.`);
}

function clientContext(): ClientContext {
  return { at: { home: os.homedir(), platform: process.platform, env: process.env }, stateDir: clientStateDir() };
}

function tildify(file: string): string {
  const home = os.homedir();
  return file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function describe(status: ClientStatus, endpoint: string): string {
  if (status.problem) return 'its config cannot be read';
  if (!status.connected) return 'not connected';
  return status.url === endpoint ? 'connected' : `connected to ${status.url ?? 'another address'}`;
}

/**
 * How a stdio-only client runs `onemcp proxy` from VS Code: VS Code's own binary as Node
 * (`ELECTRON_RUN_AS_NODE`, what VS Code does for its extension host), and a copy of the bridge
 * (`dist/proxy.js`) in the 1MCP config folder, since the extension's folder is renamed with every update.
 */
async function proxyCommand(extensionPath: string): Promise<ProxyCommand> {
  return { command: process.execPath, args: [await refreshProxyCli(extensionPath, true)], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/** Where the copy of the bridge lives. */
function proxyCliPath(): string {
  return path.join(path.dirname(defaultConfigPath()), 'bin', 'onemcp-proxy.js');
}

/**
 * Keeps the copy of the bridge that connected clients run up to date with this extension; creates it
 * only when `create`. Run at activation (in the background), so that an update reaches them too.
 */
export async function refreshProxyCli(extensionPath: string, create = false): Promise<string> {
  const target = proxyCliPath();
  const current = await fs.readFile(target).catch(() => undefined);
  if (!current && !create) return target;
  const bundled = await fs.readFile(path.join(extensionPath, 'dist', 'proxy.js'));
  if (current?.equals(bundled)) return target;
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomically(target, bundled, 0o755);
  return target;
}
