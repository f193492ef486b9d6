import * as vscode from 'vscode';
import type { AgentHost } from './agentHost';
import { MCP_PROVIDER_ID, mcpDefinition, mcpDefinitionKey } from './render/mcpDefinition';

/**
 * Gives VS Code's own MCP client (chat, `vscode.lm`) the agent's endpoint with no user setup, and tells
 * it when the endpoint or the set of connected backends changes.
 */
export function registerMcpProvider(host: AgentHost): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let key = mcpDefinitionKey(host.state);
  const definitions = (): vscode.McpHttpServerDefinition[] => {
    const view = mcpDefinition(host.state);
    return view ? [new vscode.McpHttpServerDefinition(view.label, vscode.Uri.parse(view.uri), {}, view.version)] : [];
  };
  const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: definitions,
    // VS Code is about to connect: make sure the agent runs, and point at where it listens now.
    resolveMcpServerDefinition: async (server) => {
      if (!(await host.start())) return undefined;
      const view = mcpDefinition(host.state);
      if (view) server.uri = vscode.Uri.parse(view.uri);
      return server;
    },
  };
  const onState = host.onDidChangeState((state) => {
    const next = mcpDefinitionKey(state);
    if (next === key) return;
    key = next;
    changed.fire();
  });
  return vscode.Disposable.from(changed, onState, vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider));
}
