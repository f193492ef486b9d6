import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/**
 * Writes `data` to a temp file beside `file`, then renames it over `file`: a reader (or a crash) sees
 * the old bytes or the new ones, never half a file. The temp file is created with `flag: 'wx'` (it
 * refuses to follow a planted file or link) and carries `mode` from its first byte, whatever the umask.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, data, { mode, flag: 'wx' });
    if (process.platform !== 'win32') await fs.chmod(temp, mode);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * Replaces an existing file atomically with its mode kept (0600 for a new one); through a symlink
 * (dotfile managers) to its target, so the link stays a link.
 */
export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  const target = await fs.realpath(file).catch(() => file);
  const mode = await fs.stat(target).then((s) => s.mode & 0o7777, () => 0o600);
  await writeFileAtomically(target, data, mode);
}

/** The text of `file`, or undefined when there is no such file (any other failure is thrown). */
export async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
