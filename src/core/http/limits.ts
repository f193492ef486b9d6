/**
 * How much of the agent one client, one peer and everyone together may hold (README "Exposure"). The
 * defaults leave room for what the performance budget measures (1000 sessions of one client) and bound
 * what a client that floods can take.
 */
export interface HttpLimits {
  /**
   * Open sessions (handshake era, legacy SSE, 2026-07-28 listen streams) of one client: one OAuth grant with client
   * authorization, one peer address without. A new session beyond it closes that client's least
   * recently used one.
   */
  readonly sessionsPerClient: number;
  /** Open sessions of all clients together; a new one beyond it closes the least recently used of all. */
  readonly sessions: number;
  /** Open TCP connections from one network address; loopback peers are not held to it. */
  readonly connectionsPerPeer: number;
  /** Open TCP connections overall; network peers may use all but {@link loopbackReserve}. */
  readonly connections: number;
  /** Connections only loopback peers may use, so that this machine is served while the network holds the rest. */
  readonly loopbackReserve: number;
  /** How long a network peer's new connection may stay silent before it sends a request with a valid token. */
  readonly unauthenticatedIdleMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  sessionsPerClient: 1000,
  sessions: 2000,
  connectionsPerPeer: 64,
  connections: 1024,
  loopbackReserve: 128,
  unauthenticatedIdleMs: 10_000,
};
