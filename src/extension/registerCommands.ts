import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../core/logger';
import { COMMANDS, type CommandHandler, type Services } from './commands';

/**
 * Registers the command table. Each handler is wrapped: whatever it throws becomes an error in the log
 * and a message with "Show Logs", never an unhandled rejection.
 */
export function registerCommands(services: Services, logger: Logger): vscode.Disposable {
  const table: Record<string, CommandHandler> = COMMANDS;
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(services, ...args);
        } catch (error) {
          logger.error(`Command ${id} failed: ${errorMessage(error)}`);
          void vscode.window.showErrorMessage(`1MCP: ${errorMessage(error)}`, 'Show Logs').then((choice) => {
            if (choice) services.flows.showLog();
          });
          return undefined;
        }
      }),
    ),
  );
}
