import type { Request } from 'express';
import type { HttpLimits } from './limits';

/** An open session as the cap sees it. */
export interface CappedSession {
  /** Whose it is: see {@link sessionClient}. */
  readonly client: string;
  /** Epoch milliseconds of its last request. */
  readonly lastSeen: number;
  /** Ends it; its client gets 404 and may open another. */
  close(): void;
}

/**
 * The bound on open sessions (handshake era on `/mcp`, legacy `/sse`), per client and overall: a new
 * session beyond either closes the least recently used session first (of that client, or of all), so
 * a client that opens sessions without end ends its own oldest, not the agent's memory.
 */
export class SessionCap {
  private readonly open = new Set<CappedSession>();

  constructor(private readonly limits: Pick<HttpLimits, 'sessionsPerClient' | 'sessions'>) {}

  /** Counts `session` in, closing others where a bound is reached; call the function returned when it closes. */
  admit(session: CappedSession): () => void {
    this.makeRoom([...this.open].filter((s) => s.client === session.client), this.limits.sessionsPerClient);
    this.makeRoom([...this.open], this.limits.sessions);
    this.open.add(session);
    return () => this.open.delete(session);
  }

  private makeRoom(sessions: CappedSession[], limit: number): void {
    const over = sessions.length - Math.max(limit, 1) + 1;
    if (over <= 0) return;
    for (const oldest of sessions.sort((a, b) => a.lastSeen - b.lastSeen).slice(0, over)) {
      this.open.delete(oldest);
      oldest.close();
    }
  }
}

/** Whose session a request opens: its OAuth grant with client authorization, else its peer's address. */
export function sessionClient(req: Request, owner: string | undefined): string {
  return owner ?? `peer ${req.socket.remoteAddress ?? ''}`;
}
