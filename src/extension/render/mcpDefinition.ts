import { createHash } from 'node:crypto';
import type { AgentState } from '../../core/state';
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

export function mcpDefinition(state: AgentState): McpDefinitionView | undefined {
  if (state.phase !== 'running' || !state.endpoint) return undefined;
  const connected = state.backends.filter((b) => b.status === 'connected').map((b) => b.name).sort();
  const digest = createHash('sha256').update(connected.join('\n')).digest('hex').slice(0, 8);
  return { label: MCP_SERVER_LABEL, uri: state.endpoint, version: `${AGENT_VERSION}+${digest}` };
}

/** Equal keys mean VS Code need not be told about a change. */
export function mcpDefinitionKey(state: AgentState): string {
  const view = mcpDefinition(state);
  return view ? `${view.uri} ${view.version}` : '';
}
