import * as vscode from 'vscode';
import type { ActivityFilter, ActivityRecord } from '../core/activity/activityRecord';
import type { AgentHost } from './agentHost';
import { coalesced } from './coalesced';
import { activityItem, filterChoices, filterText, visibleActivity } from './render/activityItems';
import { toTreeItem } from './stateTree';

/** Calls come in bursts: the view renders at most this often. */
const RENDER_MS = 250;

/**
 * The Activity view: the calls clients make through the agent (served here or in the window this one
 * follows), newest first. Filter by client or server; Clear hides what came before, in this window (the
 * record itself, `/activity` and the file keep it).
 */
export class ActivityView implements vscode.TreeDataProvider<ActivityRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter: ActivityFilter = {};
  private clearedAt = 0;
  private readonly soon = coalesced(() => this.render(), RENDER_MS);
  private readonly keys = new WeakMap<ActivityRecord, string>();
  private next = 0;
  private view?: vscode.TreeView<ActivityRecord>;

  constructor(private readonly host: AgentHost) {}

  getChildren(record?: ActivityRecord): ActivityRecord[] {
    return record ? [] : visibleActivity(this.host.activity.list(), this.filter, this.clearedAt);
  }

  getTreeItem(record: ActivityRecord): vscode.TreeItem {
    let key = this.keys.get(record);
    if (key === undefined) {
      key = `activity:${this.next++}`;
      this.keys.set(record, key);
    }
    return toTreeItem(activityItem(record, key));
  }

  /** The choices of Filter Activity, from the calls recorded. */
  choices(): ReturnType<typeof filterChoices> {
    return filterChoices(this.host.activity.list());
  }

  setFilter(filter: ActivityFilter): void {
    this.filter = filter;
    this.render();
  }

  /** Hides every call recorded so far. */
  clear(): void {
    this.clearedAt = Math.max(Date.now(), this.host.activity.list().at(-1)?.time ?? 0);
    this.render();
  }

  register(): vscode.Disposable {
    this.view = vscode.window.createTreeView('onemcp.activity', { treeDataProvider: this });
    return vscode.Disposable.from(
      this,
      this.view,
      this.host.events.onDidChangeActivity(() => this.soon.schedule()),
    );
  }

  private render(): void {
    this.changed.fire(undefined);
    if (this.view) this.view.description = filterText(this.filter);
  }

  dispose(): void {
    this.soon.dispose();
    this.changed.dispose();
  }
}
