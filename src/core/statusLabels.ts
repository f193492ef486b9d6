import type { BackendStatus } from './backends/backendConnection';

/** How each backend status reads wherever it is shown as a label (dashboard page and webview). */
export const BACKEND_STATUS_LABELS: Readonly<Record<BackendStatus, string>> = {
  connected: 'Connected',
  connecting: 'Connecting',
  awaiting_oauth: 'Awaiting OAuth',
  error: 'Error',
  disabled: 'Disabled',
};
