import { setTimeout as delay } from 'node:timers/promises';
import type { ServerConfig } from '../config/types';
import { Emitter, type Disposable } from '../event';
import { BackendConnection, type BackendChange, type BackendHost } from './backendConnection';

/**
 * How long a start waits before it spawns its backends: clients already waiting for the endpoint (a
 * reloaded window, a takeover, a client retrying) are answered first. Spawned at once, the backends'
 * processes took the two cores from those answers (launch -> initialize with ten stdio backends
 * 307-320 ms, with this wait 232-262 ms).
 */
export const CLIENTS_FIRST_MS = 100;

/**
 * The set of backend connections for the current config, in config order. apply() reconciles it with
 * a new config: new servers connect, removed ones close, edited ones update in place.
 */
export class BackendManager {
  private readonly changed = new Emitter<BackendChange>();
  readonly onDidChange = this.changed.event;
  private connections = new Map<string, { connection: BackendConnection; subscription: Disposable }>();
  private order: string[] = [];

  constructor(private readonly host: BackendHost) {}

  get(name: string): BackendConnection | undefined {
    return this.connections.get(name)?.connection;
  }

  /** All backends in config order. */
  list(): BackendConnection[] {
    return this.order.map((name) => this.connections.get(name)?.connection).filter((c): c is BackendConnection => c !== undefined);
  }

  /**
   * Reconciles the running backends with `servers`; returns once removed backends have closed. New
   * connections are listed at once and started after `startAfterMs` (see Agent: a start gives the
   * clients already waiting for the endpoint their answers first).
   */
  async apply(servers: readonly ServerConfig[], startAfterMs = 0): Promise<void> {
    const next = new Set(servers.map((s) => s.name));
    const removed = [...this.connections.entries()].filter(([name]) => !next.has(name));
    for (const [name] of removed) this.connections.delete(name);
    this.order = servers.map((s) => s.name);
    const work: Promise<void>[] = removed.map(async ([, { connection, subscription }]) => {
      await connection.close();
      subscription.dispose();
      this.changed.fire({ backend: connection, lists: true });
    });
    const added: BackendConnection[] = [];
    for (const server of servers) {
      const existing = this.connections.get(server.name);
      if (existing) {
        work.push(existing.connection.update(server));
        continue;
      }
      const connection = new BackendConnection(server, this.host);
      const subscription = connection.onDidChange((change) => this.changed.fire(change));
      this.connections.set(server.name, { connection, subscription });
      added.push(connection);
    }
    void this.startInTurns(added, startAfterMs);
    await Promise.all(work);
  }

  /**
   * Starts connections one per event-loop turn. Spawning a process blocks the event loop (5 to 25 ms
   * each on two busy cores), so twenty stdio backends started in one turn kept the HTTP listener from
   * answering for 400 ms; taking turns lets requests in between. One removed meanwhile is not started.
   */
  private async startInTurns(connections: readonly BackendConnection[], afterMs: number): Promise<void> {
    if (afterMs > 0 && connections.length > 0) await delay(afterMs, undefined, { ref: false });
    for (const connection of connections) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.connections.get(connection.name)?.connection === connection) connection.start();
    }
  }

  /** Closes every backend (and every child process tree) in parallel. */
  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    this.order = [];
    await Promise.all(all.map(async ({ connection, subscription }) => {
      subscription.dispose();
      await connection.close();
    }));
  }
}
