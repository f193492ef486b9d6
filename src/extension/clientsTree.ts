import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { clientItem } from './render/clientItems';
import { StateTreeProvider, toTreeItem } from './stateTree';

/** The Clients view: OAuth clients registered with the agent (its welcome text shows while there are none). */
class ClientsProvider extends StateTreeProvider<string> {
  getChildren(clientId?: string): string[] {
    return clientId ? [] : this.host.state.clients.map((c) => c.clientId);
  }

  getTreeItem(clientId: string): vscode.TreeItem {
    const client = this.host.state.clients.find((c) => c.clientId === clientId);
    return client ? toTreeItem(clientItem(client)) : new vscode.TreeItem(clientId);
  }
}

export function createClientsView(host: AgentHost): vscode.Disposable {
  return new ClientsProvider(host).register('onemcp.clients');
}
