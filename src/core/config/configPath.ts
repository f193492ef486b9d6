import * as os from 'node:os';
import * as path from 'node:path';

/** `~/.config/1mcp/mcp.json`, or `%APPDATA%\1mcp\mcp.json` on Windows: the file the 1MCP CLI uses too. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming');
    return path.win32.join(appData, '1mcp', 'mcp.json');
  }
  const base = env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
  return path.join(base, '1mcp', 'mcp.json');
}

/**
 * The folder where the agent keeps what it remembers besides the config (tool pins, the terminal key,
 * the CLI's secrets): the config's default folder, whichever config is served.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const file = defaultConfigPath(env, platform);
  return platform === 'win32' ? path.win32.dirname(file) : path.dirname(file);
}
