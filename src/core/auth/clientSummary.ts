import type { AuthStore, StoredClient } from './authStore';
import { displayText } from './displayText';

/** A registered client as the UI lists it. */
export interface AuthClientSummary {
  readonly clientId: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  /** Tags of its live grants (they confine it only with scope validation). */
  readonly grantedTags: readonly string[];
  /** Whether it holds a live grant. */
  readonly authorized: boolean;
  /** Registered by the host in process (the editor's own MCP client). */
  readonly inProcess: boolean;
  readonly registeredAt: number;
  readonly lastUsedAt?: number;
}

/**
 * The name a client registered with, as it may be shown ({@link displayText}: registrations made before
 * names were cleaned are cleaned here), or a placeholder.
 */
export function displayName(client: Pick<StoredClient, 'clientName'>): string {
  const name = client.clientName === undefined ? '' : displayText(client.clientName);
  return name || 'Unnamed client';
}

/** Every registered client with its grants, in registration order. */
export function summarizeClients(store: AuthStore): AuthClientSummary[] {
  return [...store.clients.values()].map((client) => {
    const grants = store.grantsOf(client.clientId);
    return {
      clientId: client.clientId,
      clientName: displayName(client),
      redirectUris: client.redirectUris,
      grantedTags: [...new Set(grants.flatMap((g) => g.tags))].sort(),
      authorized: grants.length > 0,
      inProcess: client.inProcess ?? false,
      registeredAt: client.registeredAt,
      lastUsedAt: client.lastUsedAt,
    };
  });
}
