import type { InputResolver } from '../core/config/substitute';
import type { SecretStore } from '../core/secrets/secretStore';

/** What the user is asked for an `${input:id}`; resolves to undefined when they cancel. */
export type AskForInput = (id: string) => Promise<string | undefined>;

const INDEX_KEY = 'inputs';
const valueKey = (id: string): string => `input:${id}`;

/**
 * `${input:id}` values: asked once, then kept in the SecretStore. Concurrent lookups of one id share a
 * single prompt; an id the user declined is not asked again until {@link StoredInputs.retry} (a restart
 * by the user), so a backend's automatic restarts do not keep popping up the same box.
 */
export class StoredInputs {
  private readonly pending = new Map<string, Promise<string | undefined>>();
  private readonly declined = new Set<string>();

  constructor(private readonly store: SecretStore, private readonly ask: AskForInput) {}

  readonly resolve: InputResolver = (id) => {
    let lookup = this.pending.get(id);
    if (!lookup) {
      lookup = this.lookup(id).finally(() => this.pending.delete(id));
      this.pending.set(id, lookup);
    }
    return lookup;
  };

  private async lookup(id: string): Promise<string | undefined> {
    const stored = await this.store.get(valueKey(id));
    if (stored !== undefined || this.declined.has(id)) return stored;
    const value = await this.ask(id);
    if (value === undefined) {
      this.declined.add(id);
      return undefined;
    }
    await this.remember(id, value);
    return value;
  }

  /** Keeps a value the user gave before the server first starts (Add Server from Registry asks as it adds). */
  async remember(id: string, value: string): Promise<void> {
    await this.store.set(valueKey(id), value);
    await this.store.set(INDEX_KEY, JSON.stringify([...new Set([...(await this.ids()), id])]));
    this.declined.delete(id);
  }

  /** Ids with a stored value. */
  async ids(): Promise<string[]> {
    const text = await this.store.get(INDEX_KEY);
    const parsed: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  }

  /** Deletes every stored value; returns how many there were. */
  async forgetAll(): Promise<number> {
    const ids = await this.ids();
    for (const id of ids) await this.store.delete(valueKey(id));
    await this.store.delete(INDEX_KEY);
    this.declined.clear();
    return ids.length;
  }

  /** Lets declined inputs be asked for again. */
  retry(): void {
    this.declined.clear();
  }
}
