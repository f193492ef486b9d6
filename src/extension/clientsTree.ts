import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { toTreeItem } from './backendsTree';
import { clientItem } from './render/clientItems';

/** The Clients view: OAuth clients registered with the agent (its welcome text shows while there are none). */
class ClientsProvider implements vscode.TreeDataProvider<string> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly host: AgentHost) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(clientId?: string): string[] {
    return clientId ? [] : this.host.state.clients.map((c) => c.clientId);
  }

  getTreeItem(clientId: string): vscode.TreeItem {
    const client = this.host.state.clients.find((c) => c.clientId === clientId);
    return client ? toTreeItem(clientItem(client)) : new vscode.TreeItem(clientId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function createClientsView(host: AgentHost): vscode.Disposable {
  const provider = new ClientsProvider(host);
  const view = vscode.window.createTreeView('onemcp.clients', { treeDataProvider: provider });
  return vscode.Disposable.from(provider, view, host.onDidChangeState(() => provider.refresh()));
}
