import { randomBytes } from 'node:crypto';

/** How long a user has to finish a backend login once it started. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * The `state` values of backend logins in progress (RFC 6749 §10.12): unguessable, bound to one
 * backend, single-use and short-lived. A callback whose state is not here changes nothing.
 */
export class AuthorizationStates {
  private readonly states = new Map<string, { backend: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(backend: string): string {
    this.sweep();
    const state = randomBytes(24).toString('base64url');
    this.states.set(state, { backend, expiresAt: this.now() + STATE_TTL_MS });
    return state;
  }

  /** Uses up `state` if it is live and belongs to `backend`; a wrong backend does not use it up. */
  consume(state: string | undefined, backend: string): boolean {
    this.sweep();
    const entry = state === undefined ? undefined : this.states.get(state);
    if (!entry || entry.backend !== backend || state === undefined) return false;
    this.states.delete(state);
    return true;
  }

  private sweep(): void {
    const now = this.now();
    for (const [state, entry] of this.states) if (entry.expiresAt <= now) this.states.delete(state);
  }
}
