import type { ConnectedClient } from '../../core/sessions/connectedClients';
import type { AuthClientSummary } from '../../core/auth/clientSummary';
import type { ToolMode } from '../../core/config/words';
import { searches } from '../../core/sessions/toolMode';
import type { AgentState } from '../../core/state/agentState';
import type { ItemView } from './backendItems';
import { escape } from './statusBarView';

/** VS Code's own MCP client: the name it gives in `initialize` (`vscode.env.appName`) and its `onemcp.editorToolMode`. */
export interface EditorClientView {
  readonly name: string;
  readonly toolMode: ToolMode;
}

/** How many tools a client sees and how: live, from its open sessions, or what VS Code's client would see. */
interface ToolSight {
  readonly tools: number;
  readonly search: boolean;
  /** Open sessions; absent when the client is not connected (a forecast). */
  readonly sessions?: number;
}

/** A row of the Clients view with the key its tree node is known by (an OAuth client's row: its client id). */
export interface ClientRow {
  readonly key: string;
  readonly view: ItemView;
}

/**
 * The Clients view: registered OAuth clients, then clients connected without one (auth off), each with
 * the tools it sees; and VS Code's own client with what it would see, until it connects.
 */
export function clientRows(state: AgentState, editor: EditorClientView): ClientRow[] {
  const live = state.connectedClients ?? [];
  const claimed = new Set<ConnectedClient>();
  const forecast = editorForecast(state, editor);
  const rows: ClientRow[] = state.clients.map((client) => {
    const mine = live.filter((c) => c.clientId === client.clientId);
    for (const c of mine) claimed.add(c);
    return { key: client.clientId, view: clientItem(client, sightOf(mine) ?? (client.inProcess ? forecast : undefined)) };
  });
  for (const client of live.filter((c) => !claimed.has(c))) {
    rows.push({ key: `session:${client.name}:${client.tools}:${client.search}`, view: sessionItem(client, client.name === editor.name) });
  }
  const editorShown = state.clients.some((c) => c.inProcess) || live.some((c) => c.name === editor.name);
  if (state.phase === 'running' && !editorShown) rows.push({ key: 'editor:', view: editorItem(editor, forecast) });
  return rows;
}

/** A row of the Clients view: an OAuth client registered with the agent, its granted tags, last use and tools. */
export function clientItem(client: AuthClientSummary, sight?: ToolSight): ItemView {
  const tags = client.grantedTags.map((t) => `#${t}`).join(' ');
  const grant = client.authorized ? tags || 'all backends' : 'no grant';
  const tooltip = [
    `**${escape(client.clientName)}**${client.inProcess ? ' (this editor)' : ''}`,
    client.authorized ? `Granted tags: ${client.grantedTags.length ? client.grantedTags.map((t) => `\`${t}\``).join(', ') : 'none (scope validation off: all backends)'}` : 'No live grant',
    ...(sight ? [sightTooltip(sight)] : []),
    `Registered: ${new Date(client.registeredAt).toLocaleString()}`,
    `Last used: ${client.lastUsedAt ? new Date(client.lastUsedAt).toLocaleString() : 'never'}`,
    `Redirect URIs: ${client.redirectUris.map((u) => `\`${u}\``).join(', ')}`,
    `Client id: \`${client.clientId}\``,
  ];
  return {
    id: `client:${client.clientId}`,
    label: client.clientName,
    description: sight ? `${grant} · ${sightText(sight)}` : grant,
    tooltip: tooltip.join('\n\n'),
    icon: client.authorized ? { id: 'account', color: 'testing.iconPassed' } : { id: 'account', color: 'disabledForeground' },
    contextValue: client.authorized ? 'client:authorized' : 'client:unauthorized',
    collapsible: false,
    accessibilityLabel: `${client.clientName}: ${client.authorized ? `authorized${tags ? ` for ${tags}` : ''}` : 'no grant'}${sight ? `, ${sightText(sight)}` : ''}`,
  };
}

/** A client connected without an OAuth registration (client authorization is off). */
function sessionItem(client: ConnectedClient, isEditor: boolean): ItemView {
  const label = `${client.name}${isEditor ? ' (this editor)' : ''}`;
  return {
    id: `session:${client.name}:${client.tools}:${client.search}`,
    label,
    description: sightText(client),
    tooltip: [`**${escape(client.name)}**${isEditor ? ' (VS Code’s own MCP client)' : ''}`, sightTooltip(client), 'The name is what the client calls itself; the config’s `"clients"` section matches it.'].join('\n\n'),
    icon: { id: isEditor ? 'vscode' : 'plug', color: 'testing.iconPassed' },
    contextValue: 'session',
    collapsible: false,
    accessibilityLabel: `${label}: ${sightText(client)}`,
  };
}

/** VS Code's own client before it connects: what it would see with `onemcp.editorToolMode`. */
function editorItem(editor: EditorClientView, forecast: ToolSight): ItemView {
  const label = `${editor.name} (this editor)`;
  return {
    id: 'editor',
    label,
    description: sightText(forecast),
    tooltip: [`**${escape(editor.name)}**: VS Code’s own MCP client`, sightTooltip(forecast), `Setting \`onemcp.editorToolMode\`: \`${editor.toolMode}\``].join('\n\n'),
    icon: { id: 'vscode', color: 'disabledForeground' },
    contextValue: 'editor',
    collapsible: false,
    accessibilityLabel: `${label}: ${sightText(forecast)}`,
  };
}

function sightText(sight: ToolSight): string {
  const seen = `${sight.tools} tool${sight.tools === 1 ? '' : 's'}${sight.search ? ' via search' : ''}`;
  return sight.sessions === undefined ? `not connected; would see ${seen}` : seen;
}

function sightTooltip(sight: ToolSight): string {
  const how = sight.search ? `${sight.tools} tools, through \`search_tools\` and \`call_tool\`` : `${sight.tools} tools, all listed`;
  if (sight.sessions === undefined) return `Not connected. Would see ${how}.`;
  return `Sees ${how} (${sight.sessions} open session${sight.sessions === 1 ? '' : 's'}).`;
}

/** One client's open sessions as one sight: the most tools any sees, search if any searches. */
function sightOf(sessions: readonly ConnectedClient[]): ToolSight | undefined {
  if (sessions.length === 0) return undefined;
  return {
    tools: Math.max(...sessions.map((s) => s.tools)),
    search: sessions.some((s) => s.search),
    sessions: sessions.reduce((sum, s) => sum + s.sessions, 0),
  };
}

/**
 * What VS Code's own client would see: the connected backends' tools (under scope validation, those its
 * grant covers), through search when its tool mode says so for that many.
 */
function editorForecast(state: AgentState, editor: EditorClientView): ToolSight {
  const grant = state.auth.scopeValidation ? state.clients.find((c) => c.inProcess)?.grantedTags : undefined;
  const tools = state.backends
    .filter((b) => b.status === 'connected' && (grant === undefined || b.tags.some((t) => grant.includes(t))))
    .reduce((sum, b) => sum + (b.tools.length || (b.toolCount ?? 0)), 0);
  return { tools, search: searches(editor.toolMode, tools) };
}
