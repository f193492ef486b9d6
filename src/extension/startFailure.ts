import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { ConfigError } from '../core/config/configError';
import { PortInUseError } from '../core/http/listen';
import { NetworkWithoutAuthError } from '../core/listenAddress';
import { errorMessage } from '../core/logger';
import type { SettingKey, Settings } from './settings';

/**
 * Tells the user why the agent runs nowhere, with the way out: another port when another program holds
 * it (not a 1MCP agent: this window would simply follow one), client authorization for an address
 * other machines reach, the config file for a bad one, the log for anything else. Never throws.
 */
export async function reportStartFailure(error: unknown, settings: Settings): Promise<void> {
  if (error instanceof NetworkWithoutAuthError) {
    const choice = await vscode.window.showErrorMessage(`1MCP: ${error.message}`, 'Turn On Authorization', 'Show Logs');
    // Saving the setting restarts the agent, now with authorization.
    if (choice === 'Turn On Authorization') await updateSetting('auth.enabled', true, 'host');
    if (choice === 'Show Logs') await vscode.commands.executeCommand('onemcp.showLogs');
    return;
  }
  if (error instanceof PortInUseError) {
    const choice = await vscode.window.showErrorMessage(`1MCP: ${error.message}, so the agent is not running.`, 'Use another port', 'Show Logs');
    if (choice === 'Use another port') await chooseAnotherPort(error.host);
    if (choice === 'Show Logs') await vscode.commands.executeCommand('onemcp.showLogs');
    return;
  }
  const isConfig = error instanceof ConfigError;
  const message = isConfig ? `1MCP: the config file ${settings.configPath} cannot be used: ${error.issues[0]?.message ?? error.code}` : `1MCP: the agent did not start: ${errorMessage(error)}`;
  const choice = await vscode.window.showErrorMessage(message, ...(isConfig ? ['Open Config'] : []), 'Show Logs');
  if (choice === 'Open Config') await vscode.commands.executeCommand('onemcp.openConfig');
  if (choice === 'Show Logs') await vscode.commands.executeCommand('onemcp.showLogs');
}

/** Asks for a port (a free one suggested) and saves it where `onemcp.port` is set; the change restarts the agent. */
async function chooseAnotherPort(host: string): Promise<void> {
  const suggestion = await freePort(host);
  const text = await vscode.window.showInputBox({
    title: '1MCP: Agent port',
    prompt: 'Port for the agent endpoint (saved in the setting onemcp.port)',
    value: String(suggestion),
    validateInput: (value) => (/^\d+$/.test(value) && Number(value) > 0 && Number(value) <= 65535 ? undefined : 'A number from 1 to 65535'),
  });
  if (!text) return;
  await updateSetting('port', Number(text), 'port');
}

/**
 * Saves `key` at the most specific level (workspace folder, workspace, else user) where it or `near` is
 * set, so the new value is the one in effect next to the setting that caused the change.
 */
async function updateSetting(key: SettingKey, value: unknown, near: SettingKey): Promise<void> {
  const config = vscode.workspace.getConfiguration('onemcp');
  const levels = [config.inspect(key), config.inspect(near)];
  const target =
    levels.some((l) => l?.workspaceFolderValue !== undefined) ? vscode.ConfigurationTarget.WorkspaceFolder
    : levels.some((l) => l?.workspaceValue !== undefined) ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/** A port nobody listens on right now, from the OS. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
