import type { SecretStore } from '../core/secrets/secretStore';

/** The parts of VS Code's `SecretStorage` (the OS keychain behind `context.secrets`) this adapter uses. */
export interface KeychainLike {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

/** The core {@link SecretStore} backed by VS Code's SecretStorage; every key gets the `onemcp.` prefix. */
export class SecretStorageStore implements SecretStore {
  constructor(private readonly secrets: KeychainLike) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(`onemcp.${key}`);
  }
  async set(key: string, value: string): Promise<void> {
    await this.secrets.store(`onemcp.${key}`, value);
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(`onemcp.${key}`);
  }
}
