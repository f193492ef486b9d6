import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { fromWebviewSchema, type FromWebview, type ToWebview } from '../shared/dashboardProtocol';
import type { AgentHost } from './agentHost';
import type { Decisions } from './decisions';
import { dashboardHtml } from './render/dashboardHtml';
import { coalesced } from './coalesced';
import { DASHBOARD_CALLS, dashboardState } from './render/dashboardState';

/**
 * The dashboard webview: one panel at a time, rendering the agent state it is sent. Every message from
 * the webview is validated; it can only ask for the commands the protocol lists and decide what waits
 * for the user.
 */
export class Dashboard implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private panelScope?: vscode.Disposable;
  /** An element to scroll to once the webview is ready (a hidden panel's webview reloads when shown). */
  private reveal?: string;
  /** Calls come in bursts: the latest are sent at most this often. */
  private readonly calls = coalesced(() => this.post(), 500);

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: AgentHost,
    private readonly decisions: Decisions,
    private readonly logger: Logger,
  ) {}

  /** Opens (or brings forward) the dashboard; `target` is the id of an element to scroll to, e.g. a request. */
  show(target?: string): void {
    this.reveal = target;
    if (this.panel) {
      if (this.panel.visible) this.postReveal();
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
      this.host.events.onDidChangeState(() => this.post()),
      this.calls,
      this.host.events.onDidChangeActivity(() => this.calls.schedule()),
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
        this.postReveal();
        return;
      case 'command':
        void vscode.commands.executeCommand(message.command, message.arg);
        return;
      case 'decideApproval':
        void (message.approve ? this.decisions.approve(message.id, message.tags) : this.decisions.deny(message.id));
        return;
      case 'decideConnection':
        void this.decisions.connect(message.backend, message.approve);
        return;
    }
  }

  private post(): void {
    this.send({ type: 'state', state: dashboardState(this.host.state, this.host.activity.list({}, DASHBOARD_CALLS)) });
  }

  private postReveal(): void {
    if (this.reveal) this.send({ type: 'reveal', target: this.reveal });
    this.reveal = undefined;
  }

  private send(message: ToWebview): void {
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
