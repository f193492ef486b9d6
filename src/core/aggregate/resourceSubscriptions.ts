import type { BackendConnection } from '../backends/backendConnection';
import type { BackendManager } from '../backends/backendManager';
import type { Logger } from '../logger';
import { clientErrorFor } from './clientErrors';
import type { ClientSession } from './clientSession';
import type { ResourceOwner } from './resourceNaming';

/** What resource subscriptions need of the hub. */
export interface SubscriptionHub {
  readonly logger: Logger;
  readonly backends: BackendManager;
  backendOrThrow(name: string): BackendConnection;
}

/** One backend resource that sessions watch. */
interface Watched extends ResourceOwner {
  /** Each subscribed session, and the URI it subscribed with (how it sees the resource). */
  readonly sessions: Map<ClientSession, string>;
}

/**
 * Which sessions are subscribed to which backend resources: a backend is subscribed once for all the
 * sessions that want its resource, and unsubscribed when the last of them goes. Each session hears of an
 * update under the URI it subscribed with, since callers that see different backends may see one
 * resource under different URIs (a collision told apart for one and not the other).
 */
export class ResourceSubscriptions {
  /** `<backend>\0<original URI>` -> who watches it. */
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly hub: SubscriptionHub) {}

  /** The sessions subscribed to `backend`'s resource `uri`, each with the URI it knows it by. */
  of(backend: string, uri: string): Iterable<[ClientSession, string]> {
    return this.watched.get(key(backend, uri))?.sessions ?? [];
  }

  /** Subscribes `session` to a backend resource it knows as `exposed`; the backend is subscribed once for all sessions. */
  async subscribe(session: ClientSession, exposed: string, { backend, original }: ResourceOwner): Promise<void> {
    const id = key(backend, original);
    const entry = this.watched.get(id) ?? { backend, original, sessions: new Map<ClientSession, string>() };
    if (entry.sessions.size === 0) {
      const connection = this.hub.backendOrThrow(backend);
      await connection.request({ method: 'resources/subscribe', params: { uri: original } }).catch((error: unknown) => {
        throw clientErrorFor(connection, error);
      });
    }
    entry.sessions.set(session, exposed);
    this.watched.set(id, entry);
  }

  /** Unsubscribes `session` from the resource it subscribed to as `exposed`. */
  async unsubscribe(session: ClientSession, exposed: string): Promise<void> {
    for (const [id, entry] of this.watched) {
      if (entry.sessions.get(session) !== exposed) continue;
      entry.sessions.delete(session);
      if (entry.sessions.size === 0) await this.unsubscribeBackend(id, entry);
    }
  }

  /** A session closed: it is subscribed to nothing any more. */
  drop(session: ClientSession): void {
    for (const [id, entry] of this.watched) {
      if (entry.sessions.delete(session) && entry.sessions.size === 0) void this.unsubscribeBackend(id, entry);
    }
  }

  private async unsubscribeBackend(id: string, { backend: name, original }: Watched): Promise<void> {
    this.watched.delete(id);
    const backend = this.hub.backends.get(name);
    if (backend?.status !== 'connected') return;
    try {
      await backend.request({ method: 'resources/unsubscribe', params: { uri: original } });
    } catch (error) {
      this.hub.logger.debug(`[${backend.name}] unsubscribe failed: ${String(error)}`);
    }
  }
}

function key(backend: string, uri: string): string {
  return `${backend}\0${uri}`;
}
