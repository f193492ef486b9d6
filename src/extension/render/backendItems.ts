import { NAMESPACE_SEPARATOR } from '../../core/aggregate/naming';
import type { BackendStatus } from '../../core/backends/backendStatus';
import type { ToolReview } from '../../core/integrity/toolPins';
import type { BackendState, ToolSummary } from '../../core/state/agentState';
import { BACKEND_STATUS_LABELS, statusDetail } from '../../core/backends/backendStatus';
import { escape } from './statusBarView';

/** A tree row as plain data; the tree adapter turns it into a `TreeItem`. */
export interface ItemView {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  /** Codicon id and theme colour id. */
  readonly icon: { readonly id: string; readonly color?: string };
  /** `backend:<status>` (`:signedIn` appended when it uses a stored sign-in), `tool`, `client:…`; menus match on it. */
  readonly contextValue: string;
  readonly collapsible: boolean;
  /** What a screen reader says. */
  readonly accessibilityLabel: string;
}

const ICONS: Record<BackendStatus, ItemView['icon']> = {
  connected: { id: 'pass-filled', color: 'testing.iconPassed' },
  connecting: { id: 'loading~spin' },
  restarting: { id: 'debug-restart', color: 'list.warningForeground' },
  awaiting_oauth: { id: 'key', color: 'list.warningForeground' },
  error: { id: 'error', color: 'list.errorForeground' },
  disabled: { id: 'circle-slash', color: 'disabledForeground' },
};

/** The status label, mid-sentence ("awaiting OAuth"). */
function statusText(status: BackendStatus): string {
  const label = BACKEND_STATUS_LABELS[status];
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** How many stderr lines the tooltip shows. */
const STDERR_LINES = 8;

/** A backend's row; `held` counts its tools held back until the user accepts them. */
export function backendItem(backend: BackendState, held = 0): ItemView {
  const status = statusText(backend.status);
  const count = backend.toolCount ?? backend.tools.length;
  const tools = `${count} ${count === 1 ? 'tool' : 'tools'}${held > 0 ? ` · ${held} held` : ''}`;
  const tags = backend.tags.length ? backend.tags.map((t) => `#${t}`).join(' ') : '';
  const detail = backend.status === 'connected' ? tools : status;
  return {
    id: `backend:${backend.name}`,
    label: backend.name,
    description: [tags, detail].filter(Boolean).join(' · '),
    tooltip: backendTooltip(backend),
    icon: ICONS[backend.status],
    contextValue: `backend:${backend.status}${backend.signedIn ? ':signedIn' : ''}`,
    collapsible: backend.tools.length + held > 0,
    accessibilityLabel: `${backend.name}: ${status}${backend.status === 'connected' ? `, ${tools}` : ''}`,
  };
}

function backendTooltip(backend: BackendState): string {
  const parts = [`**${escape(backend.name)}** — ${statusText(backend.status)} (${backend.type})`];
  if (backend.tags.length) parts.push(`Tags: ${backend.tags.map((t) => `\`${t}\``).join(', ')}`);
  const detail = statusDetail(backend);
  if (detail) parts.push(escape(detail));
  if (backend.restarts > 0) parts.push(`Restarts: ${backend.restarts}`);
  for (const warning of backend.warnings) parts.push(`⚠ ${escape(warning)}`);
  const stderr = backend.stderr.slice(-STDERR_LINES);
  if (stderr.length) parts.push(`Last stderr lines:\n\n${codeBlock(stderr.join('\n'))}`);
  return parts.join('\n\n');
}

/** A fenced block that the text cannot close early. */
function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

export function toolItem(backend: string, tool: ToolSummary): ItemView {
  // Under its backend the namespace is noise: show what follows `<server>_1mcp_`.
  const at = tool.name.indexOf(NAMESPACE_SEPARATOR);
  const label = at >= 0 ? tool.name.slice(at + NAMESPACE_SEPARATOR.length) : tool.name;
  const tooltip = [`\`${tool.name}\``, tool.title ? `**${escape(tool.title)}**` : '', tool.description ? escape(tool.description) : ''];
  return {
    id: `tool:${backend}:${tool.name}`,
    label,
    description: tool.title,
    tooltip: tooltip.filter(Boolean).join('\n\n'),
    icon: { id: 'tools' },
    contextValue: 'tool',
    collapsible: false,
    accessibilityLabel: `tool ${label}`,
  };
}

/** A tool held back from every client until the user accepts its new or changed definition. */
export function heldToolItem(review: ToolReview): ItemView {
  const why = review.change === 'changed' ? 'its definition changed since you accepted it' : 'it is new on a server whose tools you accepted';
  return {
    id: `held:${review.server}:${review.tool}`,
    label: review.tool,
    description: review.change === 'changed' ? 'held: changed' : 'held: new',
    tooltip: `**${escape(review.tool)}** is held back from every client: ${why}.\n\nReview the change to accept it.`,
    icon: { id: 'workspace-untrusted', color: 'list.warningForeground' },
    contextValue: 'heldTool',
    collapsible: false,
    accessibilityLabel: `tool ${review.tool}, held back: ${why}`,
  };
}
