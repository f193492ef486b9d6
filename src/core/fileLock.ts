import { promises as fs } from 'node:fs';

/** A lock older than this was left by a process that died holding it; it is taken over. */
const STALE_MS = 10_000;
const RETRY_MS = 10;

/**
 * Runs `work` while holding `<file>.lock`, a directory only one process can create at a time: the
 * read-merge-write of a file that several agents share (each on its own port) would otherwise lose what
 * another wrote between the read and the write. A lock left by a crashed process is broken after
 * {@link STALE_MS}.
 */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  for (;;) {
    try {
      await fs.mkdir(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await fs.stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (since > STALE_MS) await fs.rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}
