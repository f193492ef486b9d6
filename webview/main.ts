// The dashboard webview's entry point: registers the toolkit's components, validates what the
// extension sends and renders it. Bundled into media/dashboard.js by scripts/build.mjs.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';
import { toWebviewSchema, type DashboardState, type FromWebview } from '../src/shared/dashboardProtocol';
import type { Selections } from './renderAuth';
import { renderDashboard } from './renderDashboard';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeTag());

const vscode = acquireVsCodeApi();
const send = (message: FromWebview): void => vscode.postMessage(message);
const root = document.getElementById('app');
/** The user's ticks on pending requests: a re-render (any state change) must not undo them. */
const selections: Selections = new Map();
let rendered = '';
/** An element to scroll to once it exists (a request the user chose to review), then keep highlighted. */
let reveal: string | undefined;
let highlighted: string | undefined;

function render(state: DashboardState): void {
  const text = JSON.stringify(state);
  if (!root || text === rendered) return;
  rendered = text;
  const pending = new Set(state.approvals.map((a) => a.id));
  for (const id of selections.keys()) if (!pending.has(id)) selections.delete(id);
  renderDashboard(root, state, selections, send);
}

function revealTarget(): void {
  const element = reveal ? document.getElementById(reveal) : null;
  if (element) {
    highlighted = reveal;
    reveal = undefined;
    document.querySelectorAll('.revealed').forEach((old) => old.classList.remove('revealed'));
    element.scrollIntoView({ block: 'start' });
  }
  if (highlighted) document.getElementById(highlighted)?.classList.add('revealed');
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = toWebviewSchema.safeParse(event.data);
  if (!parsed.success) return;
  if (parsed.data.type === 'state') render(parsed.data.state);
  else reveal = parsed.data.target;
  revealTarget();
});

send({ type: 'ready' });
