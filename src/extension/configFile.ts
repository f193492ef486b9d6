import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { ensureConfigFile } from '../core/config/loadConfig';
import type { Logger } from '../core/logger';
import type { AgentHost } from './agentHost';
import type { Settings } from './settings';

/**
 * The mcp.json the agent serves: open it, and change it with edits that keep the user's comments.
 * After a write the running agent reloads, so only the servers that changed reconnect.
 */
export class ConfigFile {
  constructor(private readonly settings: () => Settings, private readonly host: AgentHost, private readonly logger: Logger) {}

  get path(): string {
    return this.settings().configPath;
  }

  async open(): Promise<void> {
    await ensureConfigFile(this.path);
    await vscode.window.showTextDocument(vscode.Uri.file(this.path));
  }

  async read(): Promise<string> {
    try {
      return await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  /**
   * Applies `change` to the file's text and writes it; with `backup`, first copies the old file next to
   * it (`mcp.json.bak-<time>`) and returns that path.
   */
  async edit(change: (text: string) => string, options: { backup?: boolean } = {}): Promise<string | undefined> {
    const before = await this.read();
    const after = change(before);
    let backup: string | undefined;
    if (options.backup && before !== '') {
      backup = `${this.path}.bak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.writeFile(backup, before, { flag: 'wx' });
      this.logger.info(`Backed up the config to ${backup}`);
    }
    await ensureConfigFile(this.path);
    await fs.writeFile(this.path, after);
    if (this.host.running && !(await this.host.reload())) {
      void vscode.window.showWarningMessage('1MCP: the config file has errors; the last good config keeps running.', 'Show Logs').then((choice) => {
        if (choice) void vscode.commands.executeCommand('onemcp.showLogs');
      });
    }
    return backup;
  }
}
