import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { backendLog } from './render/backendLog';

const SCHEME = 'onemcp-backend';

/** Read-only documents with one backend's status and stderr tail, kept current while open. */
export class BackendLogs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable;

  constructor(private readonly host: AgentHost) {
    this.registrations = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      host.events.onDidChangeState(() => this.refreshOpen()),
      this.changed,
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = nameOf(uri);
    return backendLog(this.host.state.backends.find((b) => b.name === name), name);
  }

  async show(name: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path: `${name}.log` }));
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  private refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === SCHEME) this.changed.fire(doc.uri);
  }

  dispose(): void {
    this.registrations.dispose();
  }
}

function nameOf(uri: vscode.Uri): string {
  return uri.path.replace(/\.log$/, '');
}
