import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { fromWebviewSchema, type FromWebview, type ToWebview } from '../shared/dashboardProtocol';
import type { AgentHost } from './agentHost';
import { dashboardHtml } from './render/dashboardHtml';
import { dashboardState } from './render/dashboardState';

/**
 * The dashboard webview: one panel at a time, rendering the agent state it is sent. Every message from
 * the webview is validated; it can only ask for the commands the protocol lists.
 */
export class Dashboard implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private panelScope?: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: AgentHost, private readonly logger: Logger) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('onemcp.dashboard', '1MCP Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'onemcp.svg');
    const { webview } = panel;
    webview.html = dashboardHtml(
      {
        cspSource: webview.cspSource,
        script: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.js')).toString(),
        style: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.css')).toString(),
      },
      randomBytes(16).toString('base64'),
    );
    this.panel = panel;
    this.panelScope = vscode.Disposable.from(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.host.onDidChangeState(() => this.post()),
      panel.onDidDispose(() => this.disposed()),
    );
  }

  private receive(message: unknown): void {
    const parsed = fromWebviewSchema.safeParse(message);
    if (!parsed.success) {
      this.logger.warn(`Dashboard sent an invalid message: ${parsed.error.message}`);
      return;
    }
    this.handle(parsed.data);
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.post();
        return;
      case 'command':
        void vscode.commands.executeCommand(message.command, message.backend);
        return;
    }
  }

  private post(): void {
    const message: ToWebview = { type: 'state', state: dashboardState(this.host.state) };
    void this.panel?.webview.postMessage(message);
  }

  private disposed(): void {
    this.panelScope?.dispose();
    this.panelScope = undefined;
    this.panel = undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
