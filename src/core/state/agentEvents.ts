import type { ActivityChange } from '../activity/activityRecord';
import type { ApprovalOutcome, PendingApproval } from '../auth/approvalBroker';
import { Emitter, type Disposable, type Event } from '../event';
import type { AgentState } from './agentState';

/** A client's request for access was decided (or expired), wherever that happened. */
export interface ApprovalSettled {
  readonly id: string;
  readonly outcome: ApprovalOutcome['status'];
}

/**
 * What happens at an agent, as views, windows and followers hear it. The agent, the shared agent of a
 * window, the extension's host of it and the control channel all offer this one surface.
 */
export interface AgentEvents {
  /** The state changed: the new snapshot. */
  readonly onDidChangeState: Event<AgentState>;
  /** A client asks for access (every window shows it; the state lists it too). */
  readonly onDidRequestApproval: Event<PendingApproval>;
  readonly onDidSettleApproval: Event<ApprovalSettled>;
  /** A call was recorded, or the record is another as a whole; views read it again from the activity reader. */
  readonly onDidChangeActivity: Event<ActivityChange>;
}


/** The source of one {@link AgentEvents}: fires them, relays another's, and ends them. */
export class AgentEventEmitter implements AgentEvents {
  private readonly stateChanged = new Emitter<AgentState>();
  private readonly approvalRequested = new Emitter<PendingApproval>();
  private readonly approvalSettled = new Emitter<ApprovalSettled>();
  private readonly activityChanged = new Emitter<ActivityChange>();
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidRequestApproval = this.approvalRequested.event;
  readonly onDidSettleApproval = this.approvalSettled.event;
  readonly onDidChangeActivity = this.activityChanged.event;

  fireState(state: AgentState): void {
    this.stateChanged.fire(state);
  }

  fireApprovalRequested(approval: PendingApproval): void {
    this.approvalRequested.fire(approval);
  }

  fireApprovalSettled(settled: ApprovalSettled): void {
    this.approvalSettled.fire(settled);
  }

  fireActivity(change: ActivityChange): void {
    this.activityChanged.fire(change);
  }

  /** Passes on the approvals `source` announces and settles, and the calls it records, until disposed. */
  relay(source: AgentEvents): Disposable {
    const subscriptions = [
      source.onDidRequestApproval((approval) => this.fireApprovalRequested(approval)),
      source.onDidSettleApproval((settled) => this.fireApprovalSettled(settled)),
      source.onDidChangeActivity((change) => this.fireActivity(change)),
    ];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  /** Drops every listener. */
  dispose(): void {
    for (const emitter of [this.stateChanged, this.approvalRequested, this.approvalSettled, this.activityChanged]) emitter.dispose();
  }
}
