import type { AgentState } from '../../core/state';
import type { DashboardState } from '../../shared/dashboardProtocol';

/** The part of the agent state the dashboard shows (no stderr, no tool descriptions). */
export function dashboardState(state: AgentState): DashboardState {
  return {
    phase: state.phase,
    endpoint: state.endpoint,
    error: state.error,
    configError: state.configError,
    backends: state.backends.map((b) => ({ name: b.name, type: b.type, status: b.status, reason: b.reason, tags: [...b.tags], toolCount: b.tools.length })),
  };
}
