import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { STATUS_BAR_LINKS, statusBarView } from './render/statusBarView';

/** The `1MCP 5/6` status bar item: renders every state; a click opens the quick actions. */
export function createStatusBar(host: AgentHost): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('onemcp.status', vscode.StatusBarAlignment.Left, 50);
  item.name = '1MCP';
  item.command = 'onemcp.showActions';
  const render = (): void => {
    const view = statusBarView(host.state);
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = { enabledCommands: [...STATUS_BAR_LINKS] };
    item.tooltip = tooltip;
    item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
  };
  render();
  item.show();
  return vscode.Disposable.from(item, host.events.onDidChangeState(render));
}
