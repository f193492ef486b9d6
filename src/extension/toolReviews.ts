import * as vscode from 'vscode';
import { HttpError } from '../core/httpError';
import { definitionText } from '../core/integrity/toolDefinition';
import type { ToolReview } from '../core/integrity/toolPins';
import { errorMessage, type Logger } from '../core/logger';
import type { AgentState } from '../core/state/agentState';
import type { AgentHost } from './agentHost';
import { acceptQuestionText, toolDiffPath, toolDiffTitle, toolReviewText } from './render/integrityText';

/** The scheme of the diff editor's two sides: a held tool's accepted and offered definitions. */
export const TOOL_DIFF_SCHEME = 'onemcp-tool';
/** How many sides of diffs are kept for editors still open. */
const KEPT_TEXTS = 64;

/**
 * Tools held back by their pins, as the editor shows them: a notification per change ("‹server›
 * changed ‹tool›" with Review, Accept, Keep Blocked), VS Code's diff editor of the accepted and the
 * offered definition, and the accept that the tree, the dashboard and the palette use. Renders
 * `state.toolReviews`, so a following window shows them too; the first accept wins.
 */
export class ToolReviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly announced = new Set<string>();
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly host: AgentHost, private readonly logger: Logger) {
    this.subscriptions = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(TOOL_DIFF_SCHEME, this),
      host.events.onDidChangeState((state) => this.announce(state)),
    );
    this.announce(host.state);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** `server`'s `tool` if it is held back now. */
  find(server: string, tool: string): ToolReview | undefined {
    return this.host.state.toolReviews.find((r) => r.server === server && r.tool === tool);
  }

  /** Opens the diff of a held tool, then asks whether to accept it as shown. */
  async review(review: ToolReview): Promise<void> {
    const side = (name: 'accepted' | 'offered', text: string): vscode.Uri => {
      const uri = vscode.Uri.from({ scheme: TOOL_DIFF_SCHEME, path: toolDiffPath(review, name) });
      this.texts.set(uri.toString(), text);
      for (const old of [...this.texts.keys()].slice(0, Math.max(0, this.texts.size - KEPT_TEXTS))) this.texts.delete(old);
      return uri;
    };
    const accepted = side('accepted', review.pinned ? definitionText(review.pinned) : '');
    const offered = side('offered', definitionText(review.offered));
    await vscode.commands.executeCommand('vscode.diff', accepted, offered, toolDiffTitle(review), { preview: true });
    const choice = await vscode.window.showInformationMessage(acceptQuestionText(review), 'Accept', 'Keep Blocked');
    if (choice === 'Accept') await this.accept(review);
  }

  /** Accepts a held tool as it was shown: one that changed again since is not, and the user is told. */
  async accept(review: ToolReview): Promise<void> {
    try {
      await this.host.actions.acceptTools(review.server, [review.tool], { [review.tool]: review.hash });
      void vscode.window.showInformationMessage(`1MCP: accepted ${review.server} › ${review.tool}; every client sees it again.`);
    } catch (error) {
      if (!(error instanceof HttpError) || (error.status !== 404 && error.status !== 409)) throw error;
      const again = this.find(review.server, review.tool);
      if (error.status === 404 || !again) {
        void vscode.window.showInformationMessage(`1MCP: ${review.server} › ${review.tool} is no longer held back (accepted elsewhere, or its server no longer offers it).`);
        return;
      }
      const choice = await vscode.window.showWarningMessage(`1MCP: ${review.server} changed ${review.tool} again since it was shown; nothing was accepted.`, 'Review');
      if (choice) await this.review(again);
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.texts.clear();
  }

  private announce(state: AgentState): void {
    for (const review of state.toolReviews) {
      const key = `${review.server}\0${review.tool}\0${review.hash}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      void vscode.window.showWarningMessage(toolReviewText(review), 'Review', 'Accept', 'Keep Blocked').then((choice) => this.answered(review, choice));
    }
  }

  private async answered(shown: ToolReview, choice: string | undefined): Promise<void> {
    if (choice !== 'Review' && choice !== 'Accept') return;
    try {
      if (choice === 'Accept') await this.accept(shown);
      else await this.review(this.find(shown.server, shown.tool) ?? shown);
    } catch (error) {
      this.logger.error(`Could not ${choice.toLowerCase()} ${shown.server} › ${shown.tool}: ${errorMessage(error)}`);
      const show = await vscode.window.showErrorMessage(`1MCP: ${errorMessage(error)}`, 'Show Logs');
      if (show) await vscode.commands.executeCommand('onemcp.showLogs');
    }
  }
}
