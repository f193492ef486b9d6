import { grantableTags } from '../../core/auth/approvalBroker';
import { describeRequestOrigin, originWarning } from '../../core/auth/requestOrigin';
import type { AgentState } from '../../core/state/agentState';
import { statusDetail } from '../../core/backends/backendStatus';
import type { DashboardState } from '../../shared/dashboardProtocol';
import { heldToolArg } from './integrityText';
import { servedByText } from './servedBy';

/**
 * The part of the agent state the dashboard shows: no stderr, no tool descriptions, nothing secret
 * (approval ids and client ids are not secrets; tokens never appear in the state at all).
 */
export function dashboardState(state: AgentState): DashboardState {
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
  };
}
