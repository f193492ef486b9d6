import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { ensureConfigFile } from '../core/config/loadConfig';
import type { Logger } from '../core/logger';

/**
 * The mcp.json the agent serves (wherever it is served: another window may serve another path): open
 * it, and change it with edits that keep the user's comments.
 */
export class ConfigFile {
  constructor(private readonly configPath: () => string, private readonly logger: Logger) {}

  get path(): string {
    return this.configPath();
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
    // The agent's config watcher picks the change up: only the servers that changed reconnect.
    await fs.writeFile(this.path, after);
    return backup;
  }
}
