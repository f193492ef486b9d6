import { ActivityRing } from '../activity/activityRing';
import type { PendingApproval } from '../auth/approvalBroker';
import type { ReplicatedSecretStore } from '../secrets/replicatedSecretStore';
import type { AgentEventEmitter } from '../state/agentEvents';
import type { AgentState } from '../state/agentState';
import type { ControlEvent } from '../http/control/controlProtocol';

/**
 * What a following window makes of the serving window's control events: its state (as following), each
 * approval request announced once, decisions, the secrets kept for a takeover, and the activity record.
 */
export class FollowedEvents {
  /** The activity record of the agent this process follows, as it was sent. */
  readonly activity = new ActivityRing();
  private readonly announced = new Set<string>();

  constructor(
    private readonly emitter: AgentEventEmitter,
    private readonly secrets: ReplicatedSecretStore,
    private readonly publish: (state: AgentState) => void,
  ) {}

  receive(event: ControlEvent): void {
    switch (event.type) {
      case 'state': {
        const state: AgentState = { ...event.state, role: 'following' };
        for (const approval of state.pendingApprovals) this.announce(approval);
        this.publish(state);
        return;
      }
      case 'approvalRequested':
        this.announce(event.approval);
        return;
      case 'approvalSettled':
        this.emitter.fireApprovalSettled({ id: event.id, outcome: event.outcome });
        return;
      case 'secret':
        this.secrets.receive({ key: event.key, value: event.value });
        return;
      case 'activity':
        this.activity.push(event.record);
        this.emitter.fireActivity({ kind: 'recorded', record: event.record });
        return;
      case 'activitySnapshot':
        this.activity.restore(event.snapshot);
        this.emitter.fireActivity({ kind: 'reset' });
        return;
      case 'session':
      case 'closing':
        return;
    }
  }

  private announce(approval: PendingApproval): void {
    if (this.announced.has(approval.id)) return;
    this.announced.add(approval.id);
    this.emitter.fireApprovalRequested(approval);
  }
}
