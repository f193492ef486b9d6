import * as vscode from 'vscode';
import { HttpError } from '../core/httpError';
import type { ConfirmAnswer, PendingConfirmation } from '../core/integrity/callConfirmations';
import { errorMessage, type Logger } from '../core/logger';
import type { AgentState } from '../core/state/agentState';
import type { AgentHost } from './agentHost';
import { confirmationText } from './render/integrityText';

const ANSWERS: Record<string, ConfirmAnswer> = { Allow: 'allow', 'Allow for Session': 'allowSession', Deny: 'deny' };

/**
 * "Allow ‹client› to run ‹server› › ‹tool›?" for each call that waits for the user's yes (`confirm`):
 * one notification per call, in every window; the calling client is asked too, and the first answer
 * wins. Renders `state.pendingConfirmations`.
 */
export function showConfirmationPrompts(host: AgentHost, logger: Logger): vscode.Disposable {
  const announced = new Set<string>();
  const answer = async (pending: PendingConfirmation, choice: string | undefined): Promise<void> => {
    const chosen = choice === undefined ? undefined : ANSWERS[choice];
    if (!chosen) return;
    try {
      await host.actions.answerConfirmation(pending.id, chosen);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) {
        void vscode.window.showInformationMessage(`1MCP: the call of ${pending.server} › ${pending.tool} was already answered (or gave up waiting).`);
        return;
      }
      logger.error(`Could not answer for ${pending.server} › ${pending.tool}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`1MCP: ${errorMessage(error)}`);
    }
  };
  const render = (state: AgentState): void => {
    const current = new Set(state.pendingConfirmations.map((p) => p.id));
    for (const old of announced) if (!current.has(old)) announced.delete(old);
    for (const pending of state.pendingConfirmations) {
      if (announced.has(pending.id)) continue;
      announced.add(pending.id);
      const buttons = pending.remembers ? ['Allow', 'Allow for Session', 'Deny'] : ['Allow', 'Deny'];
      void vscode.window.showWarningMessage(confirmationText(pending), ...buttons).then((choice) => answer(pending, choice));
    }
  };
  render(host.state);
  return host.events.onDidChangeState(render);
}
