import type { AgentState } from '../../core/state/agentState';

/** Where the agent is served, as one sentence, once it runs somewhere; read-only is said. */
export function servedByText(state: AgentState): string | undefined {
  const by = state.servedBy;
  if (state.phase !== 'running' || !by || !state.role) return undefined;
  if (state.role === 'serving') return `Served by this window (pid ${by.pid})`;
  const who = by.kind === 'cli' ? `the 1MCP CLI (pid ${by.pid})` : `the VS Code window “${by.label}” (pid ${by.pid})`;
  return state.role === 'observing' ? `Served by ${who}; shown read-only here` : `Served by ${who}`;
}

/** The short form for the Backends view's title bar. */
export function servedByLabel(state: AgentState): string | undefined {
  const by = state.servedBy;
  if (state.phase !== 'running' || !by || !state.role) return undefined;
  if (state.role === 'serving') return 'this window';
  return by.kind === 'cli' ? '1MCP CLI, read-only' : `window “${by.label}”`;
}
