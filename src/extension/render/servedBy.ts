import type { AgentState } from '../../core/state/agentState';

/** Where the agent is served, as one sentence, once it runs somewhere; read-only is said. */
export function servedByText(state: AgentState): string | undefined {
  const by = state.servedBy;
  if (state.phase !== 'running' || !by || !state.role) return undefined;
  if (state.role === 'serving') return `Served by this window (pid ${by.pid})`;
  if (by.kind === 'cli') return `Served by the 1MCP CLI (pid ${by.pid})${state.role === 'observing' ? '; shown read-only here' : ''}`;
  // Its name comes with the whole state, over the control channel.
  if (state.partial) return `Served by another VS Code window (pid ${by.pid}); connecting to it`;
  return `Served by the VS Code window “${by.label}” (pid ${by.pid})${state.role === 'observing' ? '; shown read-only here' : ''}`;
}

/** The short form for the Backends view's title bar. */
export function servedByLabel(state: AgentState): string | undefined {
  const by = state.servedBy;
  if (state.phase !== 'running' || !by || !state.role) return undefined;
  if (state.role === 'serving') return 'this window';
  if (by.kind === 'cli') return '1MCP CLI, read-only';
  return state.partial ? 'another window' : `window “${by.label}”`;
}
