import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import type { ToolReview } from '../core/integrity/toolPins';
import { backendItem, heldToolItem, toolItem } from './render/backendItems';
import { servedByLabel } from './render/servedBy';
import { StateTreeProvider, toTreeItem } from './stateTree';

/** A row of the Backends view; also the argument tree actions pass to commands. */
type BackendsNode =
  | { readonly kind: 'backend'; readonly name: string }
  | { readonly kind: 'tool' | 'heldTool'; readonly backend: string; readonly name: string };

/** The Backends view: backends with status, tags and tool count; their tools as children, held ones last. */
class BackendsProvider extends StateTreeProvider<BackendsNode> {
  getChildren(node?: BackendsNode): BackendsNode[] {
    const { backends } = this.host.state;
    if (!node) return backends.map((b) => ({ kind: 'backend', name: b.name }));
    if (node.kind !== 'backend') return [];
    const backend = backends.find((b) => b.name === node.name);
    const tools: BackendsNode[] = (backend?.tools ?? []).map((t) => ({ kind: 'tool', backend: node.name, name: t.name }));
    return [...tools, ...this.held(node.name).map((r): BackendsNode => ({ kind: 'heldTool', backend: node.name, name: r.tool }))];
  }

  getTreeItem(node: BackendsNode): vscode.TreeItem {
    const backend = this.host.state.backends.find((b) => b.name === (node.kind === 'backend' ? node.name : node.backend));
    const tool = node.kind === 'tool' ? backend?.tools.find((t) => t.name === node.name) : undefined;
    const held = node.kind === 'heldTool' ? this.held(node.backend).find((r) => r.tool === node.name) : undefined;
    if (node.kind === 'backend' && backend) return toTreeItem(backendItem(backend, this.held(backend.name).length));
    if (node.kind === 'tool' && tool) return toTreeItem(toolItem(node.backend, tool));
    if (held) return toTreeItem(heldToolItem(held));
    return new vscode.TreeItem(node.name);
  }

  private held(backend: string): ToolReview[] {
    return this.host.state.toolReviews.filter((r) => r.server === backend);
  }
}

export function createBackendsView(host: AgentHost): vscode.Disposable {
  return new BackendsProvider(host).register('onemcp.backends', { showCollapseAll: true, description: servedByLabel });
}
