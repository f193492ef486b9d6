import type { AgentState, BackendState } from '../../core/state/agentState';
import { BACKEND_STATUS_LABELS, statusDetail } from '../../core/backends/backendStatus';
import { servedByText } from './servedBy';

/** What the status bar item shows; the adapter copies it onto a `StatusBarItem`. */
export interface StatusBarView {
  readonly text: string;
  /** Markdown; command links are limited to {@link STATUS_BAR_LINKS}. */
  readonly tooltip: string;
  readonly background?: 'warning' | 'error';
}

/** Commands the tooltip links to (the only ones its trusted markdown may run). */
export const STATUS_BAR_LINKS = ['onemcp.openDashboard', 'onemcp.copyEndpointUrl', 'onemcp.showLogs', 'onemcp.startAgent', 'onemcp.openConfig'] as const;

const link = (title: string, command: (typeof STATUS_BAR_LINKS)[number]): string => `[${title}](command:${command})`;

/** How many troubled backends the tooltip names; the dashboard has them all. */
const LISTED_PROBLEMS = 5;

/** Connected backends out of the enabled ones. */
export function connectedCount(state: AgentState): { connected: number; enabled: number } {
  const enabled = state.backends.filter((b) => b.status !== 'disabled');
  return { connected: enabled.filter((b) => b.status === 'connected').length, enabled: enabled.length };
}

/** The one place that decides how the status bar looks for a state (and, running, the last hour's calls). */
export function statusBarView(state: AgentState, lastHour?: { readonly calls: number; readonly failures: number }): StatusBarView {
  const { connected, enabled } = connectedCount(state);
  switch (state.phase) {
    case 'stopped':
      return {
        text: '$(circle-slash) 1MCP',
        tooltip: `**1MCP agent is stopped**${state.note ? `\n\n${escape(state.note)}` : ''}\n\n${link('Start Agent', 'onemcp.startAgent')}`,
        background: 'error',
      };
    case 'failed':
      return {
        text: '$(error) 1MCP',
        tooltip: `**1MCP agent did not start**\n\n${escape(state.error ?? 'unknown error')}\n\n${link('Show Logs', 'onemcp.showLogs')} · ${link('Open Config', 'onemcp.openConfig')}`,
        background: 'error',
      };
    case 'starting':
    case 'stopping':
      return { text: '$(loading~spin) 1MCP', tooltip: `1MCP agent is ${state.phase}…` };
    case 'running': {
      const count = (status: BackendState['status']): number => state.backends.filter((b) => b.status === status).length;
      const [failed, restarting, awaiting] = [count('error'), count('restarting'), count('awaiting_oauth')];
      const troubled = failed + restarting + awaiting > 0;
      const connecting = state.backends.some((b) => b.status === 'connecting');
      const icon = troubled ? '$(warning)' : connecting ? '$(sync~spin)' : '$(plug)';
      const problems = [failed ? `${failed} failed` : '', restarting ? `${restarting} restarting` : '', awaiting ? `${awaiting} awaiting OAuth` : ''].filter(Boolean).join(', ');
      const servedBy = servedByText(state);
      const lines = [
        whereText(state),
        ...(servedBy ? [escape(servedBy)] : []),
        `${connected} of ${enabled} backends connected${problems ? ` (${problems})` : ''}${state.configError ? '; the config file has errors' : ''}`,
        ...problemLines(state.backends),
        ...(lastHour ? [lastHourText(lastHour)] : []),
        `${link('Open Dashboard', 'onemcp.openDashboard')} · ${link('Copy URL', 'onemcp.copyEndpointUrl')} · ${link('Show Logs', 'onemcp.showLogs')}`,
      ];
      return {
        text: `${icon} 1MCP ${connected}/${enabled}`,
        tooltip: lines.join('\n\n'),
        background: troubled || state.configError ? 'warning' : undefined,
      };
    }
  }
}

/** One line per backend that failed, restarts or awaits OAuth: its status and why, as the tree and dashboard say it. */
function problemLines(backends: readonly BackendState[]): string[] {
  const troubled = backends.filter((b) => b.status === 'error' || b.status === 'restarting' || b.status === 'awaiting_oauth');
  const lines = troubled.slice(0, LISTED_PROBLEMS).map((b) => {
    const detail = statusDetail(b);
    return `**${escape(b.name)}** — ${BACKEND_STATUS_LABELS[b.status]}${detail ? `: ${escape(detail)}` : ''}`;
  });
  if (troubled.length > LISTED_PROBLEMS) lines.push(`and ${troubled.length - LISTED_PROBLEMS} more`);
  return lines;
}

/**
 * Where the agent is: its endpoint, or when other machines can reach it, that it listens on every
 * interface (or a network address) and every URL that works.
 */
function whereText(state: AgentState): string {
  const listening = state.listening;
  if (!listening || listening.loopbackOnly) return `**1MCP agent** at \`${state.endpoint ?? ''}\``;
  return `**1MCP agent** on ${escape(listening.description)}, reachable at ${listening.endpoints.map((url) => `\`${url}\``).join(', ')}`;
}

/** The status bar's line on the last hour's calls. */
export function lastHourText(counts: { readonly calls: number; readonly failures: number }): string {
  if (counts.calls === 0) return 'No calls in the last hour';
  return `Last hour: ${counts.calls} call${counts.calls === 1 ? '' : 's'}, ${counts.failures} failed`;
}

/** Escapes text for Markdown so error messages cannot inject links. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
