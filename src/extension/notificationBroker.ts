import * as vscode from 'vscode';
import type { ApprovalBroker, ApprovalOutcome, PendingApproval } from '../core/auth/approvalBroker';
import { errorMessage, type Logger } from '../core/logger';
import { approvalOutcomeText, approvalRequestText } from './render/requestText';

/** What the notification's buttons do. */
export interface ApprovalActions {
  /** Opens the dashboard at the request (tags to tick, Approve / Deny). */
  review(id: string): void;
  deny(id: string): Promise<void>;
}

/** How many settled requests are remembered, to answer a late click on their notification. */
const REMEMBERED = 50;
/** How long the status bar says how a request ended whose notification is still open. */
const STATUS_MS = 15_000;

/**
 * The editor's {@link ApprovalBroker}: each new client request raises a notification with Review and
 * Deny. VS Code offers no way to take a notification back (microsoft/vscode#50232, declined), so when
 * a request ends elsewhere (the dashboard, the browser page, expiry) while its notification is still
 * open, the status bar says how it ended and a late click is answered with that outcome.
 */
export class NotificationBroker implements ApprovalBroker, vscode.Disposable {
  /** Requests whose notification has not been answered or dismissed. */
  private readonly open = new Map<string, PendingApproval>();
  private readonly outcomes = new Map<string, ApprovalOutcome['status']>();
  private status?: vscode.Disposable;

  constructor(private readonly actions: ApprovalActions, private readonly logger: Logger) {}

  requested(approval: PendingApproval): void {
    try {
      this.open.set(approval.id, approval);
      vscode.window.showInformationMessage(approvalRequestText(approval), 'Review', 'Deny').then(
        (choice) => this.answered(approval, choice),
        (error: unknown) => this.logger.warn(`Could not show the authorization request: ${errorMessage(error)}`),
      );
    } catch (error) {
      this.logger.warn(`Could not show the authorization request: ${errorMessage(error)}`);
    }
  }

  settled(id: string, outcome: ApprovalOutcome['status']): void {
    try {
      this.outcomes.set(id, outcome);
      for (const old of [...this.outcomes.keys()].slice(0, Math.max(0, this.outcomes.size - REMEMBERED))) this.outcomes.delete(old);
      const approval = this.open.get(id);
      if (!approval) return;
      this.status?.dispose();
      this.status = vscode.window.setStatusBarMessage(approvalOutcomeText(approval.clientName, outcome), STATUS_MS);
    } catch (error) {
      this.logger.warn(`Could not update the authorization request: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    this.status?.dispose();
    this.open.clear();
  }

  private answered(approval: PendingApproval, choice: string | undefined): void {
    this.open.delete(approval.id);
    if (choice === undefined) return;
    const outcome = this.outcomes.get(approval.id);
    if (outcome) {
      void vscode.window.showInformationMessage(approvalOutcomeText(approval.clientName, outcome));
      return;
    }
    if (choice === 'Review') this.actions.review(approval.id);
    else void this.actions.deny(approval.id);
  }
}
