import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/** Where a request of the agent's came from: the session (by generation) and the id it had there. */
export interface AgentRequestOrigin {
  readonly generation: number;
  readonly id: RequestId;
}

/**
 * The ids the client sees for the agent's requests to it (sampling, elicitation, roots). Each gets an id
 * of the bridge's, so that requests of two sessions never share one, and an answer meant for a session
 * that is gone is recognised as such.
 */
export class AgentRequests {
  private readonly origins = new Map<number, AgentRequestOrigin>();
  private next = 1;

  /** The client's id for a request the agent sent in session `generation`. */
  add(origin: AgentRequestOrigin): number {
    const id = this.next++;
    this.origins.set(id, origin);
    return id;
  }

  /** Where the request the client answers came from; forgotten from then on. */
  take(clientId: RequestId): AgentRequestOrigin | undefined {
    if (typeof clientId !== 'number') return undefined;
    const origin = this.origins.get(clientId);
    this.origins.delete(clientId);
    return origin;
  }

  /** The client's id for the agent's request `id` of session `generation` (which the agent cancels); forgotten from then on. */
  takeByOrigin(generation: number, id: RequestId | undefined): number | undefined {
    const found = [...this.origins].find(([, o]) => o.generation === generation && o.id === id)?.[0];
    if (found !== undefined) this.origins.delete(found);
    return found;
  }

  /** The client's ids of every request of session `generation`, forgotten: that session is gone. */
  dropSession(generation: number): number[] {
    const dropped = [...this.origins].filter(([, o]) => o.generation === generation).map(([id]) => id);
    for (const id of dropped) this.origins.delete(id);
    return dropped;
  }
}
