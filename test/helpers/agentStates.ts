import type { AgentState, BackendState } from '../../src/core/state/agentState';

/** A backend as the views see it: connected ones with one tool. */
export function backendState(name: string, status: BackendState['status'], extra: Partial<BackendState> = {}): BackendState {
  const tools = status === 'connected' ? [{ name: `${name}_1mcp_echo`, title: 'Echo', description: 'Echoes' }] : [];
  return { name, type: 'stdio', status, stderr: [], tags: [], disabledTools: [], tools, restarts: 0, warnings: [], signedIn: false, ...extra };
}

/** The agent's state as the views render it, on 127.0.0.1:3050 (with an endpoint while running). */
export function agentState(phase: AgentState['phase'], backends: BackendState[] = [], extra: Partial<AgentState> = {}): AgentState {
  return {
    phase,
    configPath: '/home/dev/.config/1mcp/mcp.json',
    host: '127.0.0.1',
    port: 3050,
    endpoint: phase === 'running' ? 'http://127.0.0.1:3050/mcp' : undefined,
    sessions: 0,
    backends,
    pendingConnections: [],
    auth: { enabled: false, scopeValidation: false },
    pendingApprovals: [],
    clients: [],
    toolReviews: [],
    pendingConfirmations: [],
    ...extra,
  };
}
