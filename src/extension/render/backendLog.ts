import type { BackendState } from '../../core/state/agentState';
import { statusDetail } from '../../core/backends/backendStatus';

/** The read-only "log" of one backend that Show Logs opens: its status and the last stderr lines. */
export function backendLog(backend: BackendState | undefined, name: string): string {
  if (!backend) return `Backend "${name}" is not in the running config.\n`;
  const detail = statusDetail(backend);
  const { lastError } = backend;
  const header = [
    `# ${backend.name} (${backend.type}): ${backend.status}`,
    detail ? `reason: ${detail}` : '',
    lastError ? `last error (${new Date(lastError.at).toISOString()}): ${lastError.message}` : '',
    backend.tags.length ? `tags: ${backend.tags.join(', ')}` : '',
    `restarts: ${backend.restarts}`,
    backend.lastConnectedAt ? `last connected: ${new Date(backend.lastConnectedAt).toISOString()}` : '',
    ...backend.warnings.map((w) => `warning: ${w}`),
  ].filter(Boolean);
  const stderr = backend.stderr.length ? ['# last stderr lines', ...backend.stderr] : ['# no stderr output'];
  return `${[...header, '', ...stderr].join('\n')}\n`;
}
