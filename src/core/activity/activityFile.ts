import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage, type Logger } from '../logger';
import type { ActivityRecord } from './activityRecord';

/** Where the file rotates, and how many rotated files are kept beside it. */
export interface RotationLimits {
  /** The file is rotated before it would pass this size (bytes). */
  readonly maxBytes: number;
  /** Rotated files kept (`activity.jsonl.1` … `.N`); the oldest is deleted. */
  readonly keep: number;
}

export const DEFAULT_ROTATION: RotationLimits = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** How long records wait to be appended together: one write for a burst of calls. */
const BATCH_MS = 250;
/** How much of a file is read at a time from its end when loading the latest records. */
const TAIL_CHUNK = 256 * 1024;

/**
 * The activity record as JSON lines in a file (one record a line), appended in batches off the call path
 * and rotated by size (`activity.jsonl` → `.1` → `.2` …), so that history outlives a restart, and a
 * takeover by another window, which reads the latest lines back. Only this process writes the file: the
 * one that serves the agent. A failed write is logged once, and the records stay in memory.
 */
export class ActivityFile {
  private pending: ActivityRecord[] = [];
  private timer?: NodeJS.Timeout;
  private size?: number;
  private writing: Promise<void> = Promise.resolve();
  private warned = false;

  constructor(readonly file: string, private readonly logger: Logger, private readonly limits: RotationLimits = DEFAULT_ROTATION) {}

  /** Queues `record` for the next batch (serialized there, off the call path). */
  append(record: ActivityRecord): void {
    this.pending.push(record);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), BATCH_MS);
      this.timer.unref();
    }
  }

  /** Writes what is queued; resolves once it is on disk (or failed and was logged). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.pending;
    this.pending = [];
    if (records.length > 0) this.writing = this.writing.then(() => this.write(records.map((record) => `${JSON.stringify(record)}\n`)));
    return this.writing;
  }

  /**
   * The last `count` records in the file and those rotated before it, oldest first; lines that do not
   * parse (a crash mid-write) are skipped.
   */
  async tail(count: number): Promise<ActivityRecord[]> {
    const found: ActivityRecord[] = [];
    for (let i = 0; i <= this.limits.keep && found.length < count; i++) {
      const lines = await lastLines(this.rotated(i), count - found.length);
      found.unshift(...lines.flatMap(parseRecord));
    }
    return found.slice(-count);
  }

  private async write(lines: string[]): Promise<void> {
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      this.size ??= await fs.stat(this.file).then((s) => s.size, () => 0);
      for (const batch of batches(lines, this.limits.maxBytes)) {
        if (this.size > 0 && this.size + batch.bytes > this.limits.maxBytes) await this.rotate();
        await fs.appendFile(this.file, batch.text, { mode: 0o600 });
        this.size += batch.bytes;
      }
    } catch (error) {
      this.size = undefined;
      if (this.warned) return;
      this.warned = true;
      this.logger.warn(`The activity record could not be written to ${this.file} (it stays in memory; later failures are not logged): ${errorMessage(error)}`);
    }
  }

  private async rotate(): Promise<void> {
    await fs.rm(this.rotated(this.limits.keep), { force: true });
    for (let i = this.limits.keep - 1; i >= 0; i--) {
      await fs.rename(this.rotated(i), this.rotated(i + 1)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    this.size = 0;
  }

  private rotated(index: number): string {
    return index === 0 ? this.file : `${this.file}.${index}`;
  }
}

/** Lines grouped into writes that each stay within `maxBytes` (a single longer line is a write of its own). */
function batches(lines: readonly string[], maxBytes: number): { text: string; bytes: number }[] {
  const out: { text: string; bytes: number }[] = [];
  let text = '';
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line);
    if (bytes > 0 && bytes + size > maxBytes) {
      out.push({ text, bytes });
      text = '';
      bytes = 0;
    }
    text += line;
    bytes += size;
  }
  if (bytes > 0) out.push({ text, bytes });
  return out;
}

/** The last `count` non-empty lines of `file`, read backwards in chunks; none if it does not exist. */
async function lastLines(file: string, count: number): Promise<string[]> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return [];
  }
  try {
    let position = (await handle.stat()).size;
    let rest = Buffer.alloc(0);
    const lines: string[] = [];
    while (position > 0 && lines.length < count) {
      const length = Math.min(TAIL_CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      const joined = Buffer.concat([chunk, rest]);
      // Up to the first line break, the bytes may continue a line that starts in the chunk before.
      const cut = position > 0 ? joined.indexOf(0x0a) : -1;
      if (position > 0 && cut === -1) {
        rest = joined;
        continue;
      }
      rest = joined.subarray(0, Math.max(cut, 0));
      const text = joined.subarray(cut + 1).toString('utf8');
      lines.unshift(...text.split('\n').filter((line) => line.trim() !== ''));
    }
    return lines.slice(-count);
  } finally {
    await handle.close();
  }
}

function parseRecord(line: string): ActivityRecord[] {
  try {
    const value: unknown = JSON.parse(line);
    const record = value as Partial<ActivityRecord>;
    return typeof record.time === 'number' && typeof record.method === 'string' && typeof record.target === 'string' && typeof record.outcome === 'string' ? [record as ActivityRecord] : [];
  } catch {
    return [];
  }
}
