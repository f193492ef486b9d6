import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { readIfPresent, writeFileAtomically } from '../atomicWrite';
import { CoalescedWrite } from '../coalescedWrite';
import type { SecretStore } from './secretStore';

const fileSchema = z.record(z.string(), z.string());

/** The secrets file exists but is not a JSON object of strings; it is left untouched. */
export class SecretFileError extends Error {
  readonly code = 'SECRET_FILE_INVALID';
  constructor(readonly file: string, options?: { cause?: unknown }) {
    super(`The secrets file ${file} is not a JSON object of strings; fix or remove it`, options);
    this.name = 'SecretFileError';
  }
}

/**
 * The headless SecretStore: one JSON object in a file readable only by its owner (mode 0600, in a 0700
 * folder). Changes rewrite the file atomically (a temp file renamed over it), so a crash never leaves
 * half a file; writes run one at a time, off the request that made the change, and changes made while
 * one runs share the next ({@link CoalescedWrite}). `set` and `delete` settle once their change is on disk.
 */
export class FileSecretStore implements SecretStore {
  private values?: Promise<Map<string, string>>;
  private readonly writer = new CoalescedWrite(() => this.write());

  constructor(readonly file: string) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.load()).get(key);
  }

  async set(key: string, value: string): Promise<void> {
    const values = await this.load();
    values.set(key, value);
    await this.writer.request();
  }

  async delete(key: string): Promise<void> {
    const values = await this.load();
    if (values.delete(key)) await this.writer.request();
  }

  private load(): Promise<Map<string, string>> {
    this.values ??= this.read();
    return this.values;
  }

  private async read(): Promise<Map<string, string>> {
    const text = await readIfPresent(this.file);
    if (text === undefined) return new Map();
    try {
      return new Map(Object.entries(fileSchema.parse(JSON.parse(text))));
    } catch (error) {
      this.values = undefined;
      throw new SecretFileError(this.file, { cause: error });
    }
  }

  /** Writes the values as they are now (every change before the write starts is in it). */
  private async write(): Promise<void> {
    const values = await this.load();
    await writeAtomically(this.file, `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`);
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomically(file, text, 0o600);
}
