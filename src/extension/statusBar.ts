import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { coalesced } from './coalesced';
import { STATUS_BAR_LINKS, statusBarView } from './render/statusBarView';

/** How often the tooltip's count of the last hour's calls is brought up to date: calls come in bursts. */
const ACTIVITY_RENDER_MS = 1_000;

/** The `1MCP 5/6` status bar item: renders every state; a click opens the quick actions. */
export function createStatusBar(host: AgentHost): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('onemcp.status', vscode.StatusBarAlignment.Left, 50);
  item.name = '1MCP';
  item.command = 'onemcp.showActions';
  const render = (): void => {
    const view = statusBarView(host.state, host.activity.lastHour());
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = { enabledCommands: [...STATUS_BAR_LINKS] };
    item.tooltip = tooltip;
    item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
  };
  render();
  item.show();
  // Calls age out of the hour too: the count is brought up to date each minute as well.
  const minutely = setInterval(render, 60_000);
  const soon = coalesced(render, ACTIVITY_RENDER_MS);
  return vscode.Disposable.from(item, soon, host.events.onDidChangeState(render), host.events.onDidChangeActivity(() => soon.schedule()), { dispose: () => clearInterval(minutely) });
}
