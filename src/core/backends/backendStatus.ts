import type { BackendError, RestartPlan } from './backendFailure';

/** `restarting`: it failed and waits for its next attempt (its `nextRestart`). */
export type BackendStatus = 'disabled' | 'connecting' | 'connected' | 'restarting' | 'awaiting_oauth' | 'error';

/** How each backend status reads wherever it is shown as a label (dashboard page and webview). */
export const BACKEND_STATUS_LABELS: Readonly<Record<BackendStatus, string>> = {
  connected: 'Connected',
  connecting: 'Connecting',
  restarting: 'Restarting',
  awaiting_oauth: 'Awaiting OAuth',
  error: 'Error',
  disabled: 'Disabled',
};

/** What {@link statusDetail} reads: a backend's state or its live connection. */
export interface StatusFacts {
  readonly status: BackendStatus;
  readonly reason?: string;
  readonly lastError?: BackendError;
  readonly nextRestart?: RestartPlan;
}

/**
 * One line on why a backend is not connected, or what it waits for; nothing when it is connected or
 * disabled. Every view (tree, status bar, dashboards, CLI) and the errors clients get use these words.
 */
export function statusDetail(backend: StatusFacts): string | undefined {
  const { lastError, nextRestart } = backend;
  switch (backend.status) {
    case 'connected':
    case 'disabled':
      return undefined;
    case 'connecting':
      return lastError ? `trying again after: ${withStderr(lastError.message, lastError)}` : undefined;
    case 'restarting': {
      const why = withStderr(backend.reason ?? lastError?.message ?? 'failed', lastError);
      return nextRestart ? `${why}; restart ${nextRestart.attempt} of ${nextRestart.of} at ${clockTime(nextRestart.at)}` : why;
    }
    case 'awaiting_oauth':
      return backend.reason;
    case 'error':
      return backend.reason === undefined ? undefined : withStderr(backend.reason, lastError);
  }
}

/** The message, and the last stderr line when it adds something. */
function withStderr(message: string, error: BackendError | undefined): string {
  const line = error?.stderr;
  return line && !message.includes(line) ? `${message} — stderr: ${line}` : message;
}

/** Local wall-clock time, `HH:MM:SS`. */
function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
