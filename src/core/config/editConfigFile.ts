import { promises as fs } from 'node:fs';
import { replaceFile } from '../atomicWrite';
import { ensureConfigFile } from './loadConfig';

/** The text of the config file, or '' when it does not exist yet. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Applies `change` to the text of the agent's `mcp.json` (creating the file if needed) and writes it;
 * with `backup`, first copies the old file next to it (`mcp.json.bak-<time>`) and returns that path.
 * The agent's config watcher picks the change up: only the servers that changed reconnect.
 */
export async function editConfigFile(file: string, change: (text: string) => string, options: { backup?: boolean } = {}): Promise<string | undefined> {
  const before = await readConfigText(file);
  const after = change(before);
  let backup: string | undefined;
  if (options.backup && before !== '') {
    backup = `${file}.bak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.writeFile(backup, before, { flag: 'wx' });
  }
  await ensureConfigFile(file);
  await replaceFile(file, after);
  return backup;
}
