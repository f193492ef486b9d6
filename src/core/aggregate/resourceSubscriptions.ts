import type { BackendConnection } from '../backends/backendConnection';
import type { BackendManager } from '../backends/backendManager';
import type { Logger } from '../logger';
import type { Catalog } from './catalog';
import { clientErrorFor } from './clientErrors';
import type { ClientSession } from './clientSession';

/** What resource subscriptions need of the hub. */
export interface SubscriptionHub {
  readonly logger: Logger;
  readonly catalog: Catalog;
  readonly backends: BackendManager;
  backendOrThrow(name: string): BackendConnection;
}

/**
 * Which sessions are subscribed to which exposed resource URIs: a backend is subscribed once for all
 * the sessions that want its resource, and unsubscribed when the last of them goes.
 */
export class ResourceSubscriptions {
  /** Exposed resource URI -> sessions subscribed to it. */
  private readonly subscribers = new Map<string, Set<ClientSession>>();

  constructor(private readonly hub: SubscriptionHub) {}

  /** The sessions subscribed to an exposed resource URI. */
  of(uri: string): Iterable<ClientSession> {
    return this.subscribers.get(uri) ?? [];
  }

  /** Subscribes `session` to an exposed resource URI; the backend is subscribed once for all sessions. */
  async subscribe(session: ClientSession, uri: string, backend: string, original: string): Promise<void> {
    const subscribers = this.subscribers.get(uri) ?? new Set();
    if (subscribers.size === 0) {
      const connection = this.hub.backendOrThrow(backend);
      await connection.request({ method: 'resources/subscribe', params: { uri: original } }).catch((error: unknown) => {
        throw clientErrorFor(connection, error);
      });
    }
    subscribers.add(session);
    this.subscribers.set(uri, subscribers);
  }

  async unsubscribe(session: ClientSession, uri: string): Promise<void> {
    const subscribers = this.subscribers.get(uri);
    if (subscribers?.delete(session) && subscribers.size === 0) await this.unsubscribeBackend(uri);
  }

  /** A session closed: it is subscribed to nothing any more. */
  drop(session: ClientSession): void {
    for (const [uri, subscribers] of this.subscribers) {
      if (subscribers.delete(session) && subscribers.size === 0) void this.unsubscribeBackend(uri);
    }
  }

  private async unsubscribeBackend(uri: string): Promise<void> {
    this.subscribers.delete(uri);
    const target = this.hub.catalog.resolveResource(uri);
    const backend = target && this.hub.backends.get(target.backend);
    if (!target || backend?.status !== 'connected') return;
    try {
      await backend.request({ method: 'resources/unsubscribe', params: { uri: target.original } });
    } catch (error) {
      this.hub.logger.debug(`[${backend.name}] unsubscribe failed: ${String(error)}`);
    }
  }
}
