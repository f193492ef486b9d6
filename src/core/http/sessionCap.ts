import type { Request } from 'express';
import type { HttpLimits } from './limits';

/** An open session as the cap sees it. */
export interface CappedSession {
  /** Whose it is: see {@link sessionClient}. */
  readonly client: string;
  /** Ends it; its client gets 404 and may open another. */
  close(): void;
}

/**
 * The bound on open sessions (handshake era on `/mcp`, legacy `/sse`, 2026-07-28 listen streams), per
 * client and overall: a new session beyond either closes the least recently used session first (of
 * that client, or of all), so a client that opens sessions without end ends its own oldest, not the
 * agent's memory.
 */
export class SessionCap {
  /** Open sessions, least recently used first. */
  private readonly open = new Set<CappedSession>();

  constructor(private readonly limits: Pick<HttpLimits, 'sessionsPerClient' | 'sessions'>) {}

  /** Counts `session` in, closing others where a bound is reached; call the function returned when it closes. */
  admit(session: CappedSession): () => void {
    this.makeRoom([...this.open].filter((s) => s.client === session.client), this.limits.sessionsPerClient);
    this.makeRoom([...this.open], this.limits.sessions);
    this.open.add(session);
    return () => this.open.delete(session);
  }

  /** `session` was just used: it is the last to be closed for room. */
  touch(session: CappedSession): void {
    if (this.open.delete(session)) this.open.add(session);
  }

  /** Closes the least recently used of `sessions` (in that order) until one more fits under `limit`. */
  private makeRoom(sessions: readonly CappedSession[], limit: number): void {
    for (const oldest of sessions.slice(0, Math.max(0, sessions.length - Math.max(limit, 1) + 1))) {
      this.open.delete(oldest);
      oldest.close();
    }
  }
}

/** Whose session a request opens: its OAuth grant with client authorization, else its peer's address. */
export function sessionClient(req: Request, owner: string | undefined): string {
  return owner ?? `peer ${req.socket.remoteAddress ?? ''}`;
}
