import type { AgentState } from '../../core/state/agentState';

/** The `when`-clause context keys the manifest uses (menus, welcome content), derived from the state. */
export function contextKeys(state: AgentState): Record<string, string | boolean> {
  return {
    'onemcp.phase': state.phase,
    'onemcp.hasBackends': state.backends.length > 0,
    'onemcp.hasDisabledBackends': state.backends.some((b) => b.status === 'disabled'),
    'onemcp.hasRemoteBackends': state.backends.some((b) => b.type !== 'stdio'),
    'onemcp.hasSignedInBackends': state.backends.some((b) => b.signedIn),
    'onemcp.hasClients': state.clients.length > 0,
    'onemcp.hasHeldTools': state.toolReviews.length > 0,
  };
}
