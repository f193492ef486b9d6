import * as vscode from 'vscode';
import { editConfigFile, readConfigText } from '../core/config/editConfigFile';
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

  read(): Promise<string> {
    return readConfigText(this.path);
  }

  /**
   * Applies `change` to the file's text and writes it; with `backup`, first copies the old file next to
   * it (`mcp.json.bak-<time>`) and returns that path.
   */
  async edit(change: (text: string) => string, options: { backup?: boolean } = {}): Promise<string | undefined> {
    const backup = await editConfigFile(this.path, change, options);
    if (backup) this.logger.info(`Backed up the config to ${backup}`);
    return backup;
  }
}
