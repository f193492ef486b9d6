import { clientLabel, targetLabel, type ActivityRecord } from './activityRecord';

/** `0.42 ms`, `12 ms`, `1.5 s`: how long a call took, as every view writes it. */
export function durationText(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2).replace(/\.?0+$/, '')} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `512 B`, `1.2 KB`, `3.4 MB` (1 KB = 1,000 bytes). */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** How a call ended, with why: `ok`, `ok, started task <id>`, `error: <reason>`, `refused (scope): <reason>`, `cancelled`. */
export function outcomeText(record: ActivityRecord): string {
  if (record.outcome === 'ok') return record.task === undefined ? 'ok' : `ok, started task ${record.task}`;
  const outcome = record.outcome === 'refused' && record.refusedBy ? `refused (${record.refusedBy})` : record.outcome;
  return record.reason && record.outcome !== 'cancelled' ? `${outcome}: ${record.reason}` : outcome;
}

/** `2026-12-06 10:15:02` in local time. */
export function timeText(time: number): string {
  const date = new Date(time);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** One call on one line, as `onemcp activity` prints it. */
export function activityLine(record: ActivityRecord): string {
  const size = record.bytes === undefined ? '' : `  ${bytesText(record.bytes)}`;
  return `${timeText(record.time)}  ${clientLabel(record)}  ${targetLabel(record)}  ${durationText(record.durationMs)}${size}  ${outcomeText(record)}`;
}
