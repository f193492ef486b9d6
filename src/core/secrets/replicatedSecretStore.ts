import { Emitter } from '../event';
import type { SecretStore } from './secretStore';

/** A secret the agent uses was written (`value`) or deleted (no `value`). */
export interface SecretChange {
  readonly key: string;
  readonly value?: string;
}

/**
 * The secret store of an agent whose windows share it over the control channel. While this process
 * serves, reads and writes go to the underlying store (VS Code's SecretStorage) and every value in use
 * is known, so the windows that follow can be sent them ({@link snapshot}, {@link onDidChange}). While
 * it follows, the serving agent's values arrive through {@link receive} and are read first: a window
 * that takes over starts from what the last agent used, even where SecretStorage is not kept fresh
 * across windows (code-server loads it once per browser tab), and no window writes a value it did not
 * produce until it serves ({@link adopt}).
 */
export class ReplicatedSecretStore implements SecretStore {
  private readonly known = new Map<string, string>();
  /** Values received from the serving agent; `undefined` marks a key it deleted. */
  private readonly received = new Map<string, string | undefined>();
  private readonly changed = new Emitter<SecretChange>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: SecretStore) {}

  async get(key: string): Promise<string | undefined> {
    const value = this.received.has(key) ? this.received.get(key) : await this.store.get(key);
    if (value === undefined) this.known.delete(key);
    else this.known.set(key, value);
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    this.received.delete(key);
    this.known.set(key, value);
    await this.store.set(key, value);
    this.changed.fire({ key, value });
  }

  async delete(key: string): Promise<void> {
    this.received.delete(key);
    this.known.delete(key);
    await this.store.delete(key);
    this.changed.fire({ key });
  }

  /** Every value in use, for a window that starts following. */
  snapshot(): SecretChange[] {
    return [...this.known].map(([key, value]) => ({ key, value }));
  }

  /** A value the serving agent uses (another process's): kept in memory, read before the underlying store. */
  receive(change: SecretChange): void {
    this.received.set(change.key, change.value);
  }

  /**
   * This process serves now: writes the received values the underlying store does not hold yet, so
   * they outlive it. A key written meanwhile by the agent keeps the agent's value.
   */
  async adopt(): Promise<void> {
    for (const [key, value] of [...this.received]) {
      if (this.received.get(key) !== value) continue;
      if ((await this.store.get(key)) !== value) {
        if (value === undefined) await this.store.delete(key);
        else await this.store.set(key, value);
      }
      if (this.received.get(key) === value) this.received.delete(key);
    }
  }
}
