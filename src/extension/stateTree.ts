import * as vscode from 'vscode';
import type { AgentState } from '../core/state/agentState';
import type { AgentHost } from './agentHost';
import type { ItemView } from './render/backendItems';

/** A tree view that renders the agent state's snapshot and refreshes on every state change. */
export abstract class StateTreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(protected readonly host: AgentHost) {}

  abstract getChildren(node?: T): T[];
  abstract getTreeItem(node: T): vscode.TreeItem;

  /**
   * Registers the view `id`; `description` renders the text beside the view's title. Disposing the
   * result removes the view's provider and subscription.
   */
  register(id: string, options: { showCollapseAll?: boolean; description?: (state: AgentState) => string | undefined } = {}): vscode.Disposable {
    const view = vscode.window.createTreeView(id, { treeDataProvider: this, showCollapseAll: options.showCollapseAll });
    const render = (): void => {
      this.changed.fire(undefined);
      if (options.description) view.description = options.description(this.host.state);
    };
    render();
    return vscode.Disposable.from(this, view, this.host.events.onDidChangeState(render));
  }

  /** Renders again, for a change that is not the agent's (a setting the rows depend on). */
  refresh(): void {
    this.changed.fire(undefined);
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
