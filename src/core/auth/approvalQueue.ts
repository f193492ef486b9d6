import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { Emitter } from '../event';
import { HttpError } from '../httpError';
import { grantableTags, type ApprovalBroker, type ApprovalDecision, type ApprovalOutcome, type PendingApproval } from './approvalBroker';
import { describeRequestOrigin, isFromNetwork, requesterOf } from './requestOrigin';

export type ApprovalDetails = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt'>;

interface Entry {
  readonly approval: PendingApproval;
  readonly settle: (outcome: ApprovalOutcome) => void;
}

/** How many requests may wait for the user at once. */
export interface ApprovalQuotas {
  /** Per client (`client_id`). */
  readonly perClient: number;
  /** Per requester: this machine, or one network (/24, /56) of the network ({@link requesterOf}). */
  readonly perRequester: number;
  /** From the network in all; this machine's own requests are held only to their own quotas. */
  readonly fromNetwork: number;
}

export const DEFAULT_APPROVAL_QUOTAS: ApprovalQuotas = { perClient: 3, perRequester: 10, fromNetwork: 50 };

/**
 * The core-owned queue of authorization requests awaiting the user. Each ends once: approved, denied,
 * or expired after `ttlMs`. A request over a quota ({@link ApprovalQuotas}) is refused (HttpError 429)
 * rather than pushing out a waiting one, so no requester can end another's request.
 */
export class ApprovalQueue {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly broker: ApprovalBroker,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly quotas: ApprovalQuotas = DEFAULT_APPROVAL_QUOTAS,
  ) {}

  /**
   * Queues a request; `onSettled` runs once, synchronously, with the user's decision or expiry. Throws
   * HttpError 429 when the request is over a quota; nothing already waiting is touched.
   */
  add(details: ApprovalDetails, onSettled: (outcome: ApprovalOutcome) => void): PendingApproval {
    this.sweep();
    this.checkQuotas(details);
    const now = this.clock.now();
    const approval: PendingApproval = { ...details, id: randomUUID(), createdAt: now, expiresAt: now + this.ttlMs };
    this.entries.set(approval.id, { approval, settle: onSettled });
    this.changed.fire();
    this.broker.requested(approval);
    return approval;
  }

  /** Applies the user's decision; 404 if the request is unknown or over, 400 for tags it may not grant. */
  decide(id: string, decision: ApprovalDecision): void {
    this.sweep();
    const entry = this.entries.get(id);
    if (!entry) throw new HttpError(404, 'not_found', 'No such pending authorization request (it may have expired or been decided)');
    if (!decision.approve) {
      this.finish(id, { status: 'denied' });
      return;
    }
    const grantable = new Set(grantableTags(entry.approval));
    const refused = decision.tags.filter((t) => !grantable.has(t));
    if (refused.length > 0) throw new HttpError(400, 'invalid_request', `Tag(s) neither requested nor configured: ${refused.join(', ')}`);
    this.finish(id, { status: 'approved', tags: [...new Set(decision.tags)] });
  }

  private checkQuotas(details: ApprovalDetails): void {
    const waiting = [...this.entries.values()].map((e) => e.approval);
    const requester = requesterOf(details.origin);
    const refuse = (message: string): never => {
      throw new HttpError(429, 'temporarily_unavailable', `${message} Decide on them in 1MCP, or wait until they expire, then try again.`);
    };
    const { perClient, perRequester, fromNetwork } = this.quotas;
    if (waiting.filter((a) => a.clientId === details.clientId).length >= perClient) {
      refuse(`This application already has ${perClient} authorization requests waiting for the user.`);
    }
    if (waiting.filter((a) => requesterOf(a.origin) === requester).length >= perRequester) {
      refuse(`${perRequester} authorization requests from ${describeRequestOrigin(details.origin)} are already waiting for the user.`);
    }
    if (isFromNetwork(details.origin) && waiting.filter((a) => isFromNetwork(a.origin)).length >= fromNetwork) {
      refuse(`${fromNetwork} authorization requests from the network are already waiting for the user.`);
    }
  }

  /** Requests still waiting, oldest first. */
  list(): PendingApproval[] {
    this.sweep();
    return [...this.entries.values()].map((e) => e.approval);
  }

  /** Expires every request past its deadline. */
  sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.entries) if (entry.approval.expiresAt <= now) this.finish(id, { status: 'expired' });
  }

  /** Ends every request as expired (the agent is stopping). */
  close(): void {
    for (const id of [...this.entries.keys()]) this.finish(id, { status: 'expired' });
    this.changed.dispose();
  }

  private finish(id: string, outcome: ApprovalOutcome): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.settle(outcome);
    this.changed.fire();
    this.broker.settled(id, outcome.status);
  }
}
