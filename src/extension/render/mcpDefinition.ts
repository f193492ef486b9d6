import { createHash } from 'node:crypto';
import type { ToolMode } from '../../core/config/words';
import type { AgentState } from '../../core/state/agentState';
import { AGENT_VERSION } from '../../core/version';

/** The id in `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'onemcp.agent';

/** The label VS Code lists the agent under (MCP: List Servers). */
export const MCP_SERVER_LABEL = '1MCP Agent';

/** What the MCP server definition provider hands VS Code; undefined while the agent is not listening. */
export interface McpDefinitionView {
  readonly label: string;
  readonly uri: string;
  /**
   * Changes when the set of connected backends changes, so VS Code offers to refresh its tool cache;
   * tool changes within a backend reach it as `notifications/tools/list_changed` instead.
   */
  readonly version: string;
}

/** The endpoint, with the tool mode of `onemcp.editorToolMode` as `?mode=` (the agent decides `auto` by what the client sees). */
export function mcpDefinition(state: AgentState, toolMode: ToolMode): McpDefinitionView | undefined {
  if (state.phase !== 'running' || !state.endpoint) return undefined;
  const connected = state.backends.filter((b) => b.status === 'connected').map((b) => b.name).sort();
  const digest = createHash('sha256').update(connected.join('\n')).digest('hex').slice(0, 8);
  const uri = new URL(state.endpoint);
  uri.searchParams.set('mode', toolMode);
  return { label: MCP_SERVER_LABEL, uri: uri.toString(), version: `${AGENT_VERSION}+${digest}` };
}

/** Equal keys mean VS Code need not be told about a change. */
export function mcpDefinitionKey(state: AgentState, toolMode: ToolMode): string {
  const view = mcpDefinition(state, toolMode);
  return view ? `${view.uri} ${view.version}` : '';
}
