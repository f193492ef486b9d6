import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { backendItem, toolItem, type ItemView } from './render/backendItems';

/** A row of the Backends view; also the argument tree actions pass to commands. */
export type BackendsNode = { readonly kind: 'backend'; readonly name: string } | { readonly kind: 'tool'; readonly backend: string; readonly name: string };

/** The Backends view: backends with status, tags and tool count; their tools as children. */
class BackendsProvider implements vscode.TreeDataProvider<BackendsNode> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly host: AgentHost) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

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

  dispose(): void {
    this.changed.dispose();
  }
}

/** A TreeItem for a row rendered by render/*Items.ts. */
export function toTreeItem(view: ItemView): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, view.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = view.tooltip ? new vscode.MarkdownString(view.tooltip) : undefined;
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  item.contextValue = view.contextValue;
  item.accessibilityInformation = { label: view.accessibilityLabel };
  return item;
}

export function createBackendsView(host: AgentHost): vscode.Disposable {
  const provider = new BackendsProvider(host);
  const view = vscode.window.createTreeView('onemcp.backends', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(provider, view, host.onDidChangeState(() => provider.refresh()));
}
