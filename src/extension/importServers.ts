import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addInputs, addServers, serverNames, type RawServerEntry } from '../core/config/configEdits';
import type { ConfigFile } from './configFile';
import { importPlan } from '../core/config/foreignEntries';
import { importSources, readSource } from './importSources';

/**
 * Finds the MCP servers other apps on this machine are configured with, lets the user tick the ones to
 * import, backs mcp.json up and adds them. Workspace files are read only in a trusted workspace.
 */
export async function importServers(config: ConfigFile, globalStorage: vscode.Uri): Promise<void> {
  const folders = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) : [];
  const sources = importSources({
    home: os.homedir(),
    platform: process.platform,
    env: process.env,
    // globalStorage is <user data>/User/globalStorage/<extension id>: VS Code's mcp.json is in <user data>/User.
    userDir: globalStorage.scheme === 'file' ? path.dirname(path.dirname(globalStorage.fsPath)) : undefined,
    folders,
  });
  const found = (await Promise.all(sources.map(readSource))).flat();
  if (found.length === 0) {
    void vscode.window.showInformationMessage(`1MCP: no MCP servers found in ${sources.map((s) => s.app).join(', ')}.`);
    return;
  }
  const existing = new Set(serverNames(await config.read()));
  const items = found.map((server) => {
    const taken = existing.has(server.name);
    return {
      label: server.name,
      description: server.source.app,
      detail: `${describe(server.entry)}${taken ? '  (name taken: imported with a suffix)' : ''}`,
      picked: !taken,
      server,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: '1MCP: Import Servers',
    placeHolder: 'Tick the servers to add to your 1MCP config',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return;
  const { entries, inputs } = importPlan(picked.map((p) => p.server), existing);
  const backup = await config.edit((text) => addInputs(addServers(text, entries), inputs), { backup: true });
  const names = Object.keys(entries).join(', ');
  void vscode.window.showInformationMessage(`1MCP: imported ${names}.${backup ? ` Backup: ${path.basename(backup)}` : ''}`);
}

function describe(entry: RawServerEntry): string {
  if (typeof entry.url === 'string') return entry.url;
  const args = Array.isArray(entry.args) ? entry.args.join(' ') : '';
  return `${String(entry.command)} ${args}`.trim();
}
