import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { Emitter } from '../event';
import { HttpError } from '../httpError';
import { grantableTags, type ApprovalBroker, type ApprovalDecision, type ApprovalOutcome, type PendingApproval } from './approvalBroker';

export type ApprovalDetails = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt'>;

interface Entry {
  readonly approval: PendingApproval;
  readonly settle: (outcome: ApprovalOutcome) => void;
}

/**
 * The core-owned queue of authorization requests awaiting the user. Each ends once: approved, denied,
 * or expired after `ttlMs`. When more than `maxPending` wait, the oldest expires, so a client cannot
 * flood the user.
 */
export class ApprovalQueue {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly broker: ApprovalBroker,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxPending = 20,
  ) {}

  /** Queues a request; `onSettled` runs once, synchronously, with the user's decision or expiry. */
  add(details: ApprovalDetails, onSettled: (outcome: ApprovalOutcome) => void): PendingApproval {
    this.sweep();
    const oldest = [...this.entries.keys()].slice(0, Math.max(0, this.entries.size - this.maxPending + 1));
    for (const id of oldest) this.finish(id, { status: 'expired' });
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
