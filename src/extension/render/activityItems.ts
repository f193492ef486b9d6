import { clientLabel, matchesFilter, targetLabel, type ActivityFilter, type ActivityOutcome, type ActivityRecord } from '../../core/activity/activityRecord';
import { bytesText, durationText, outcomeText, timeText } from '../../core/activity/activityText';
import type { ItemView } from './backendItems';
import { escape } from './statusBarView';

const ICONS: Record<ActivityOutcome, ItemView['icon']> = {
  ok: { id: 'pass', color: 'testing.iconPassed' },
  error: { id: 'error', color: 'list.errorForeground' },
  refused: { id: 'circle-slash', color: 'list.warningForeground' },
  cancelled: { id: 'debug-stop', color: 'disabledForeground' },
};

/** One call as a row of the Activity view: `10:15:02  client  server › tool`, its duration, an outcome icon, why in the tooltip. */
export function activityItem(record: ActivityRecord, key: string): ItemView {
  const time = timeText(record.time).slice(11);
  const client = clientLabel(record);
  const target = targetLabel(record);
  const duration = durationText(record.durationMs);
  return {
    id: key,
    label: `${time}  ${client}  ${target}`,
    description: duration,
    tooltip: activityTooltip(record),
    icon: ICONS[record.outcome],
    contextValue: `activity:${record.outcome}`,
    collapsible: false,
    accessibilityLabel: `${time}, ${client} called ${target}: ${outcomeText(record)}, ${duration}`,
  };
}

function activityTooltip(record: ActivityRecord): string {
  const oauth = record.oauthClient ? ` (registered as ${escape(record.oauthClient.name)}, \`${record.oauthClient.id}\`)` : '';
  const lines = [
    `**${escape(targetLabel(record))}** — ${escape(outcomeText(record))}`,
    `${record.method} \`${record.target}\``,
    `Client: ${escape(clientLabel(record))}${oauth}`,
    `${timeText(record.time)} · ${durationText(record.durationMs)}${record.bytes === undefined ? '' : ` · ${bytesText(record.bytes)}`} · ${record.era === 'handshake' ? `session \`${record.session ?? '?'}\`` : 'MCP 2026-07-28'}`,
  ];
  return lines.join('\n\n');
}

/** What the view shows: the records `filter` asks for, recorded after `since` (the last Clear), newest first. */
export function visibleActivity(records: readonly ActivityRecord[], filter: ActivityFilter, since: number): ActivityRecord[] {
  return records.filter((r) => r.time > since && matchesFilter(r, filter)).reverse();
}

/** The view's description while a filter applies: `client-a`, `server alpha`. */
export function filterText(filter: ActivityFilter): string | undefined {
  const parts = [filter.client === undefined ? '' : filter.client, filter.server === undefined ? '' : `server ${filter.server}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** The choices of Filter Activity: every client and server among `records`, and no filter. */
export function filterChoices(records: readonly ActivityRecord[]): { readonly label: string; readonly filter: ActivityFilter }[] {
  const clients = [...new Set(records.map(clientLabel))].sort();
  const servers = [...new Set(records.flatMap((r) => (r.server === undefined ? [] : [r.server])))].sort();
  return [{ label: 'All calls', filter: {} }, ...clients.map((client) => ({ label: `Client: ${client}`, filter: { client } })), ...servers.map((server) => ({ label: `Server: ${server}`, filter: { server } }))];
}
