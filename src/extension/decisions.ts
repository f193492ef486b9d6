import * as vscode from 'vscode';
import { HttpError } from '../core/httpError';
import { errorMessage, type Logger } from '../core/logger';
import type { AgentHost } from './agentHost';

/**
 * The user's answers to what waits for them, from any surface (notification, dashboard): client
 * authorization requests and backend connections. A request that is no longer waiting (decided
 * elsewhere, expired) is said so, not reported as an error.
 */
export class Decisions {
  constructor(private readonly host: AgentHost, private readonly logger: Logger) {}

  approve(id: string, tags: readonly string[]): Promise<void> {
    return this.run(() => this.host.actions.decideApproval(id, { approve: true, tags }), 'That authorization request is no longer waiting (it was decided elsewhere or expired).');
  }

  deny(id: string): Promise<void> {
    return this.run(() => this.host.actions.decideApproval(id, { approve: false }), 'That authorization request is no longer waiting (it was decided elsewhere or expired).');
  }

  connect(backend: string, approve: boolean): Promise<void> {
    return this.run(() => this.host.actions.decideConnection(backend, approve), `The sign-in for ${backend} is no longer waiting for approval.`);
  }

  private async run(decide: () => Promise<void> | void, gone: string): Promise<void> {
    try {
      await decide();
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) {
        void vscode.window.showInformationMessage(`1MCP: ${gone}`);
        return;
      }
      this.logger.error(`Decision failed: ${errorMessage(error)}`);
      const choice = await vscode.window.showErrorMessage(`1MCP: ${errorMessage(error)}`, 'Show Logs');
      if (choice) await vscode.commands.executeCommand('onemcp.showLogs');
    }
  }
}
