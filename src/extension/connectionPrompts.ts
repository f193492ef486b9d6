import * as vscode from 'vscode';
import type { PendingConnection } from '../core/backends/oauth/backendOAuth';
import type { AgentState } from '../core/state/agentState';
import type { AgentHost } from './agentHost';
import { connectionPromptText } from './render/requestText';

/**
 * "Connect <backend>?" after the user signed in to a backend at its service: one notification per
 * sign-in (Approve / Deny), the same prompt the dashboard shows. Renders `state.pendingConnections`.
 */
export function showConnectionPrompts(host: AgentHost, decide: (backend: string, approve: boolean) => Promise<void>): vscode.Disposable {
  const announced = new Set<string>();
  const key = (pending: PendingConnection): string => `${pending.backend}\0${pending.obtainedAt}`;
  const render = (state: AgentState): void => {
    const current = new Set(state.pendingConnections.map(key));
    for (const old of announced) if (!current.has(old)) announced.delete(old);
    for (const pending of state.pendingConnections) {
      if (announced.has(key(pending))) continue;
      announced.add(key(pending));
      void vscode.window.showInformationMessage(connectionPromptText(pending), 'Approve', 'Deny').then((choice) => {
        if (!choice) return;
        // Decided elsewhere meanwhile (the dashboard, or a newer sign-in): this prompt is stale.
        if (host.state.pendingConnections.some((p) => key(p) === key(pending))) void decide(pending.backend, choice === 'Approve');
        else void vscode.window.showInformationMessage(`1MCP: the sign-in for ${pending.backend} was already decided.`);
      });
    }
  };
  render(host.state);
  return host.events.onDidChangeState(render);
}
