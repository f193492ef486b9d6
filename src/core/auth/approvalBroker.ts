import type { Logger } from '../logger';
import { describeRequestOrigin, type RequestOrigin } from './requestOrigin';

/** An authorization request waiting for the user, as every approval UI shows it. */
export interface PendingApproval {
  /** Identifies the request in {@link ApprovalDecision} calls; not a secret. */
  readonly id: string;
  readonly clientId: string;
  /** The name the client registered with (chosen by the client: show it as a claim, not a fact). */
  readonly clientName: string;
  /** Where the request came from, as the agent's socket saw it ({@link describeRequestOrigin} says it). */
  readonly origin: RequestOrigin;
  /** Where the code goes; undefined for an in-process client (the editor's own MCP client). */
  readonly redirectUri?: string;
  /** Tags the client asked for, from its `tag:<name>` scopes. */
  readonly requestedTags: readonly string[];
  /** Tags of the configured backends, which the user may grant. */
  readonly availableTags: readonly string[];
  /** Whether granted tags confine the client (`--enable-scope-validation`); otherwise it sees every backend. */
  readonly scopeValidation: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** The tags the user may grant a request, sorted: those it asks for and those the config has. */
export function grantableTags(approval: PendingApproval): string[] {
  return [...new Set([...approval.requestedTags, ...approval.availableTags])].sort();
}

/** The user's answer: approve with the tags to grant (any of requested or available), or deny. */
export type ApprovalDecision = { readonly approve: true; readonly tags: readonly string[] } | { readonly approve: false };

/** How a request ended. */
export type ApprovalOutcome = { readonly status: 'approved'; readonly tags: readonly string[] } | { readonly status: 'denied' | 'expired' };

/**
 * Tells the user about authorization requests. The core keeps the queue (in `AgentState.pendingApprovals`)
 * and takes decisions through `Agent.decideApproval`; a broker only announces and withdraws. The VS Code
 * host shows a notification that opens its dashboard; headless, the `/oauth` page lists the requests.
 */
export interface ApprovalBroker {
  /** A new request awaits a decision. Must not throw or block. */
  requested(approval: PendingApproval): void;
  /** The request was decided (by any UI) or expired: withdraw whatever shows it. */
  settled(id: string, outcome: ApprovalOutcome['status']): void;
}

/** The headless broker: logs where to decide (the dashboard URL). */
export class LoggingApprovalBroker implements ApprovalBroker {
  constructor(private readonly logger: Logger, private readonly dashboardUrl: () => string | undefined) {}

  requested(approval: PendingApproval): void {
    const tags = approval.requestedTags.length > 0 ? approval.requestedTags.join(', ') : 'no tags';
    this.logger.info(`OAuth client "${approval.clientName}" from ${describeRequestOrigin(approval.origin)} asks for access (${tags}); approve or deny at ${this.dashboardUrl() ?? 'the /oauth dashboard, which answers only on a loopback address (this agent listens on none; bind 0.0.0.0 or 127.0.0.1)'}`);
  }

  settled(id: string, outcome: ApprovalOutcome['status']): void {
    this.logger.info(`Authorization request ${id} ${outcome}`);
  }
}
