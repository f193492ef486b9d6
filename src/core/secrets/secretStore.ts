/**
 * Where tokens, client registrations and `${input:}` values live. The extension backs it with VS Code's
 * SecretStorage (the OS keychain); the CLI with a 0600 file. Values are opaque strings (often JSON).
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A SecretStore that keeps everything in memory; for tests and for runs that must not persist. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
