import { clientLabel, targetLabel, type ActivityRecord } from '../../core/activity/activityRecord';
import { durationText, outcomeText } from '../../core/activity/activityText';
import { grantableTags } from '../../core/auth/approvalBroker';
import { describeRequestOrigin, originWarning } from '../../core/auth/requestOrigin';
import type { AgentState } from '../../core/state/agentState';
import { statusDetail } from '../../core/backends/backendStatus';
import type { DashboardState } from '../../shared/dashboardProtocol';
import { heldToolArg } from './integrityText';
import { servedByText } from './servedBy';

/** How many of the latest calls the dashboard lists (the Activity view has them all). */
export const DASHBOARD_CALLS = 10;

/**
 * The part of the agent state the dashboard shows, and the latest `calls` (oldest first, as the
 * activity record lists them): no stderr, no tool descriptions, no arguments, nothing secret (approval
 * ids and client ids are not secrets; tokens never appear in the state at all).
 */
export function dashboardState(state: AgentState, calls: readonly ActivityRecord[] = []): DashboardState {
  return {
    phase: state.phase,
    endpoint: state.endpoint,
    servedBy: servedByText(state),
    error: state.error ?? state.note,
    configError: state.configError,
    backends: state.backends.map((b) => ({
      name: b.name,
      type: b.type,
      status: b.status,
      reason: statusDetail(b),
      tags: [...b.tags],
      toolCount: b.toolCount ?? b.tools.length,
      signedIn: b.signedIn,
      remote: b.type !== 'stdio',
      signInUrl: b.status === 'awaiting_oauth' ? b.authorizationUrl : undefined,
    })),
    auth: { ...state.auth },
    approvals: state.pendingApprovals.map((a) => ({
      id: a.id,
      clientId: a.clientId,
      clientName: a.clientName,
      from: describeRequestOrigin(a.origin),
      warning: originWarning(a.origin),
      redirectUri: a.redirectUri,
      requestedTags: [...a.requestedTags],
      grantableTags: grantableTags(a),
      expiresAt: a.expiresAt,
    })),
    connections: state.pendingConnections.map((c) => ({ backend: c.backend, obtainedAt: c.obtainedAt, scopes: [...c.scopes] })),
    heldTools: state.toolReviews.map((r) => ({ server: r.server, tool: r.tool, change: r.change, since: r.since, arg: heldToolArg(r) })),
    clients: state.clients.map((c) => ({
      clientId: c.clientId,
      clientName: c.clientName,
      grantedTags: [...c.grantedTags],
      authorized: c.authorized,
      inProcess: c.inProcess,
      lastUsedAt: c.lastUsedAt,
    })),
    calls: calls
      .slice(-DASHBOARD_CALLS)
      .reverse()
      .map((r) => ({ time: r.time, client: clientLabel(r), target: targetLabel(r), duration: durationText(r.durationMs), outcome: r.outcome, detail: outcomeText(r) })),
  };
}
