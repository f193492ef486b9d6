// The dashboard webview's entry point: registers the toolkit's components, validates what the
// extension sends and renders it. Bundled into media/dashboard.js by scripts/build.mjs.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';
import { toWebviewSchema, type FromWebview } from '../src/shared/dashboardProtocol';
import { renderDashboard } from './renderDashboard';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeTag());

const vscode = acquireVsCodeApi();
const send = (message: FromWebview): void => vscode.postMessage(message);
const root = document.getElementById('app');

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = toWebviewSchema.safeParse(event.data);
  if (!parsed.success || !root) return;
  renderDashboard(root, parsed.data.state, send);
});

send({ type: 'ready' });
