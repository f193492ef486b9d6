import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readIfPresent, writeFileAtomically } from '../atomicWrite';
import { errorMessage, type Logger } from '../logger';

/** The file in the agent's state folder that holds the terminal key. */
export const TERMINAL_KEY_FILE = 'terminal-key';

const KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The key a terminal on this machine proves to act on the agent (`onemcp tools accept`): 256 random
 * bits in a file only this user can read (0600 in the agent's state folder), made by the first agent
 * that starts there and kept. A loopback peer without a browser's `Origin` may be any local program
 * (another user's, too); one that can read this file is this user. The key never travels: the agent
 * and the terminal exchange proofs of it (controlProof.ts).
 */
export async function ensureTerminalKey(dir: string): Promise<string> {
  const file = path.join(dir, TERMINAL_KEY_FILE);
  const existing = await readTerminalKey(dir);
  if (existing) {
    // A key others could read proves nothing: keep it ours alone.
    if (process.platform !== 'win32') await fs.chmod(file, 0o600);
    return existing;
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // 256 random bits, as the windows' key.
  const key = randomBytes(32).toString('base64url');
  try {
    await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another agent made it at the same moment: use that one; a file that holds no key is replaced.
    const theirs = await readTerminalKey(dir);
    if (theirs) return theirs;
    await writeFileAtomically(file, `${key}\n`, 0o600);
    return key;
  }
}

/** The terminal key in `dir`, if an agent has made one. */
export async function readTerminalKey(dir: string): Promise<string | undefined> {
  const key = (await readIfPresent(path.join(dir, TERMINAL_KEY_FILE)))?.trim();
  return key !== undefined && KEY.test(key) ? key : undefined;
}

/** The agent's terminal key in `dir` (made if needed); undefined, said in the log, when there is none to be had. */
export function terminalKeyIn(dir: string | undefined, logger: Logger): Promise<string | undefined> {
  if (dir === undefined) return Promise.resolve(undefined);
  return ensureTerminalKey(dir).catch((error: unknown) => {
    logger.warn(`No terminal key in ${dir} (${errorMessage(error)}): "onemcp tools accept" cannot act on this agent`);
    return undefined;
  });
}
