import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { backendItem, toolItem } from './render/backendItems';
import { servedByLabel } from './render/servedBy';
import { StateTreeProvider, toTreeItem } from './stateTree';

/** A row of the Backends view; also the argument tree actions pass to commands. */
type BackendsNode = { readonly kind: 'backend'; readonly name: string } | { readonly kind: 'tool'; readonly backend: string; readonly name: string };

/** The Backends view: backends with status, tags and tool count; their tools as children. */
class BackendsProvider extends StateTreeProvider<BackendsNode> {
  getChildren(node?: BackendsNode): BackendsNode[] {
    const { backends } = this.host.state;
    if (!node) return backends.map((b) => ({ kind: 'backend', name: b.name }));
    if (node.kind === 'tool') return [];
    const backend = backends.find((b) => b.name === node.name);
    return (backend?.tools ?? []).map((t) => ({ kind: 'tool', backend: node.name, name: t.name }));
  }

  getTreeItem(node: BackendsNode): vscode.TreeItem {
    const backend = this.host.state.backends.find((b) => b.name === (node.kind === 'backend' ? node.name : node.backend));
    const tool = node.kind === 'tool' ? backend?.tools.find((t) => t.name === node.name) : undefined;
    if (node.kind === 'backend' && backend) return toTreeItem(backendItem(backend));
    if (node.kind === 'tool' && tool) return toTreeItem(toolItem(node.backend, tool));
    return new vscode.TreeItem(node.name);
  }
}

export function createBackendsView(host: AgentHost): vscode.Disposable {
  return new BackendsProvider(host).register('onemcp.backends', { showCollapseAll: true, description: servedByLabel });
}
