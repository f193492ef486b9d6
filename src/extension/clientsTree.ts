import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { clientRows, type EditorClientView } from './render/clientItems';
import { StateTreeProvider, toTreeItem } from './stateTree';

/**
 * The Clients view: registered OAuth clients and connected clients with the tools each sees, and VS
 * Code's own client (its welcome text shows while there are none). A registered client's node is its
 * client id, which the Revoke command takes.
 */
class ClientsProvider extends StateTreeProvider<string> {
  constructor(host: AgentHost, private readonly editor: () => EditorClientView) {
    super(host);
  }

  getChildren(key?: string): string[] {
    return key ? [] : clientRows(this.host.state, this.editor()).map((row) => row.key);
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = clientRows(this.host.state, this.editor()).find((r) => r.key === key);
    return row ? toTreeItem(row.view) : new vscode.TreeItem(key);
  }
}

export function createClientsView(host: AgentHost, editor: () => EditorClientView): vscode.Disposable {
  const provider = new ClientsProvider(host, editor);
  const onSetting = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('onemcp.editorToolMode')) provider.refresh();
  });
  return vscode.Disposable.from(provider.register('onemcp.clients'), onSetting);
}
