import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { readIfPresent, writeFileAtomically } from '../atomicWrite';
import { withFileLock } from '../fileLock';
import { errorMessage, type Logger } from '../logger';
import { canonicalText, type ToolDefinition } from './toolDefinition';

/** One tool's pin: the hash of its canonical definition, and that definition as canonical text (for a diff). */
export interface Pin {
  readonly hash: string;
  readonly text: string;
}

/** Pins by server, then by the tool's own name. A server present (even with no tools) has been seen. */
export type PinnedServers = Map<string, Map<string, Pin>>;

const pinSchema = z.object({ hash: z.string().regex(/^sha256:[0-9a-f]{64}$/), definition: z.record(z.string(), z.unknown()) });
const fileSchema = z.object({ version: z.literal(1), servers: z.record(z.string(), z.record(z.string(), pinSchema)) });

/** Bursts of changes (several backends connecting at once) become one write. */
const COALESCE_MS = 20;

/**
 * `tool-pins.json` in the agent's state folder: the pins of every server, shared by the CLI and every
 * window (whichever serves the agent). Written atomically, off the caller's path, a burst of changes at
 * a time; a write replaces only the servers whose pins changed, under a lock (fileLock.ts), so another
 * agent sharing the file (on another port) keeps its own.
 */
export class PinFile {
  private pending = new Map<string, ReadonlyMap<string, Pin>>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string, private readonly logger: Logger) {}

  /** The stored pins. A file that is not valid is moved aside (`.invalid-<time>`), said in the log, and read as empty. */
  async read(): Promise<PinnedServers> {
    const parsed = await this.parse();
    if (parsed !== 'invalid') return parsed;
    const aside = `${this.file}.invalid-${Date.now()}`;
    await fs.rename(this.file, aside).catch(() => undefined);
    this.logger.error(`${this.file} is not a valid pin file; moved it to ${aside}. Every server's tools are pinned again as they are now.`);
    return new Map();
  }

  /** Stores these servers' pins soon, leaving the other servers in the file as they are. */
  save(servers: ReadonlyMap<string, ReadonlyMap<string, Pin>>): void {
    for (const [server, pins] of servers) this.pending.set(server, new Map(pins));
    if (this.timer) return;
    this.timer = setTimeout(() => void this.writeNow(), COALESCE_MS);
    this.timer.unref();
  }

  /** Writes what is waiting, now; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    return this.writeNow();
  }

  private writeNow(): Promise<void> {
    this.timer = undefined;
    if (this.pending.size === 0) return this.writing;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.writing.then(() => this.write(batch)).catch((error: unknown) => this.logger.error(`Could not save tool pins to ${this.file}: ${errorMessage(error)}`));
    return this.writing;
  }

  private async write(batch: ReadonlyMap<string, ReadonlyMap<string, Pin>>): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Read and written under the lock: another agent's servers, written meanwhile, stay in the file.
    await withFileLock(this.file, async () => {
      const current = await this.parse();
      const servers = current === 'invalid' ? new Map<string, Map<string, Pin>>() : current;
      for (const [server, pins] of batch) servers.set(server, new Map(pins));
      const stored = (pins: ReadonlyMap<string, Pin>) => Object.fromEntries([...pins].map(([tool, pin]) => [tool, { hash: pin.hash, definition: JSON.parse(pin.text) as ToolDefinition }]));
      const json = { version: 1, servers: Object.fromEntries([...servers].map(([server, pins]) => [server, stored(pins)])) };
      await writeFileAtomically(this.file, `${JSON.stringify(json, null, 2)}\n`, 0o600);
    });
  }

  private async parse(): Promise<PinnedServers | 'invalid'> {
    const text = await readIfPresent(this.file);
    if (text === undefined) return new Map();
    try {
      const file = fileSchema.parse(JSON.parse(text));
      const pinsOf = (pins: Record<string, { hash: string; definition: ToolDefinition }>) => new Map(Object.entries(pins).map(([tool, pin]): [string, Pin] => [tool, { hash: pin.hash, text: canonicalText(pin.definition) }]));
      return new Map(Object.entries(file.servers).map(([server, pins]) => [server, pinsOf(pins)]));
    } catch {
      return 'invalid';
    }
  }
}
