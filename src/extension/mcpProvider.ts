import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../core/logger';
import type { ToolMode } from '../core/config/words';
import type { AgentHost } from './agentHost';
import type { EditorClientTokens } from './editorClient';
import { MCP_PROVIDER_ID, MCP_SERVER_LABEL, mcpDefinition, mcpDefinitionKey } from './render/mcpDefinition';

/**
 * Gives VS Code's own MCP client (chat, `vscode.lm`) the agent's endpoint with no user setup, and tells
 * it when the endpoint, the set of connected backends or its tool mode (`onemcp.editorToolMode`)
 * changes. With client authorization on, each start carries a bearer token the user approved once for
 * the editor (no browser round trip).
 */
export function registerMcpProvider(host: AgentHost, tokens: EditorClientTokens, toolMode: () => ToolMode, logger: Logger): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let key = mcpDefinitionKey(host.state, toolMode());
  const definitions = (): vscode.McpHttpServerDefinition[] => {
    const view = mcpDefinition(host.state, toolMode());
    return view ? [new vscode.McpHttpServerDefinition(view.label, vscode.Uri.parse(view.uri), {}, view.version)] : [];
  };
  const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: definitions,
    // VS Code is about to connect: make sure the agent runs, point at where it listens now, and (with
    // auth on) hand over a live token. The token is set here, never in the provided definition, which
    // VS Code may cache.
    resolveMcpServerDefinition: async (server) => {
      if (!(await host.start())) return undefined;
      const view = mcpDefinition(host.state, toolMode());
      if (view) server.uri = vscode.Uri.parse(view.uri);
      if (!host.state.auth.enabled) return server;
      try {
        server.headers = { ...server.headers, Authorization: `Bearer ${await tokens.token()}` };
        return server;
      } catch (error) {
        logger.warn(`VS Code’s own MCP client is not authorized: ${errorMessage(error)}`);
        void vscode.window.showWarningMessage(`1MCP: VS Code’s own MCP client was not authorized (${errorMessage(error)}). Start the server again to ask once more.`);
        return undefined;
      }
    },
  };
  const check = (): void => {
    const next = mcpDefinitionKey(host.state, toolMode());
    if (next === key) return;
    key = next;
    changed.fire();
  };
  const onSetting = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('onemcp.editorToolMode')) return;
    logger.info(`VS Code’s own MCP client gets the tools with mode "${toolMode()}" from its next start (onemcp.editorToolMode)`);
    check();
  });
  return vscode.Disposable.from(changed, host.events.onDidChangeState(check), onSetting, vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider));
}

/**
 * Makes VS Code drop its connection to the agent, so that its next use starts it again through
 * `resolveMcpServerDefinition` (and so with the current token). VS Code holds the headers of a
 * connection for its whole life and has no API to replace them; its own `workbench.mcp.stopServer`
 * command is the way, and a VS Code without it simply keeps the connection.
 */
export function reconnectEditorClient(extensionId: string, logger: Logger): void {
  // VS Code names extension-provided servers "<extension id, lower case>/<label>".
  const id = `${extensionId.toLowerCase()}/${MCP_SERVER_LABEL}`;
  vscode.commands.executeCommand('workbench.mcp.stopServer', id).then(
    () => logger.debug('Asked VS Code to reconnect its MCP client with a new token'),
    (error: unknown) => logger.debug(`VS Code could not be asked to reconnect its MCP client: ${errorMessage(error)}`),
  );
}
