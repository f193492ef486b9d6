import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage, type Logger } from '../logger';
import { ConfigError } from './configError';
import { parseConfig } from './parseConfig';
import type { AgentConfig } from './types';

/** What a new config file holds: no servers yet. */
const EMPTY_CONFIG = '{\n  "mcpServers": {}\n}\n';

/**
 * Reads and validates a config file; every failure is a {@link ConfigError}. With `missing: 'empty'`,
 * a file that does not exist reads as a new one would ({@link ensureConfigFile} creates it); with
 * `tags`, only the servers with one of them are kept (`--tags`).
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<AgentConfig> {
  const absolute = path.resolve(file);
  const text = await fs.readFile(absolute, 'utf8').catch((error: unknown) => textWhenUnreadable(error, absolute, options));
  return configOf(text, absolute, options);
}

/**
 * {@link loadConfig} at once, for a start: a config file is a few KB, and while an editor starts, its
 * other extensions keep the thread pool that asynchronous reads queue on busy for tens of milliseconds.
 */
export function loadConfigNow(file: string, options: LoadOptions = {}): AgentConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    text = textWhenUnreadable(error, absolute, options);
  }
  return configOf(text, absolute, options);
}

interface LoadOptions {
  readonly missing?: 'empty';
  readonly tags?: readonly string[];
}

/** A new file's text when the file is missing and that is allowed; else the error, as a ConfigError. */
function textWhenUnreadable(error: unknown, absolute: string, options: LoadOptions): string {
  if (options.missing === 'empty' && (error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
  throw new ConfigError('CONFIG_READ', absolute, [{ message: reason }], { cause: error });
}

function configOf(text: string, absolute: string, { tags }: LoadOptions): AgentConfig {
  const config = parseConfig(text, absolute);
  return tags ? { ...config, servers: config.servers.filter((s) => s.tags.some((t) => tags.includes(t))) } : config;
}

/** Creates `file` with an empty `mcpServers` if it does not exist yet. Returns true when it created it. */
export async function ensureConfigFile(file: string): Promise<boolean> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, EMPTY_CONFIG, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Creates the config file if it is missing, before it is watched; a failure is logged and leaves the agent serving. */
export async function createConfigFile(file: string, logger: Logger): Promise<void> {
  try {
    if (await ensureConfigFile(file)) logger.info(`Created ${file}`);
  } catch (error) {
    logger.warn(`Could not create ${file}: ${errorMessage(error)}`);
  }
}
