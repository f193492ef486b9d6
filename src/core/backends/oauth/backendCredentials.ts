import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { SecretStore } from '../../secrets/secretStore';

/** Tokens as stored: exactly what the SDK saved, plus when the access token expires. */
export interface StoredTokens {
  readonly tokens: OAuthTokens;
  /** Epoch milliseconds; undefined when the server gave no `expires_in`. */
  readonly expiresAt?: number;
}

/**
 * A backend's OAuth client registration and tokens in the SecretStore (the OS keychain in VS Code,
 * a 0600 file headless), keyed by server name.
 */
export class BackendCredentials {
  constructor(private readonly store: SecretStore) {}

  async tokens(server: string): Promise<StoredTokens | undefined> {
    return parse<StoredTokens>(await this.store.get(key(server, 'tokens')));
  }

  async saveTokens(server: string, tokens: OAuthTokens, now = Date.now()): Promise<StoredTokens> {
    const stored: StoredTokens = { tokens, expiresAt: tokens.expires_in === undefined ? undefined : now + tokens.expires_in * 1000 };
    await this.store.set(key(server, 'tokens'), JSON.stringify(stored));
    return stored;
  }

  async deleteTokens(server: string): Promise<void> {
    await this.store.delete(key(server, 'tokens'));
  }

  async client(server: string): Promise<OAuthClientInformationMixed | undefined> {
    return parse<OAuthClientInformationMixed>(await this.store.get(key(server, 'client')));
  }

  async saveClient(server: string, client: OAuthClientInformationMixed): Promise<void> {
    await this.store.set(key(server, 'client'), JSON.stringify(client));
  }

  async deleteClient(server: string): Promise<void> {
    await this.store.delete(key(server, 'client'));
  }
}

function key(server: string, kind: 'tokens' | 'client'): string {
  return `backend-oauth/${server}/${kind}`;
}

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
