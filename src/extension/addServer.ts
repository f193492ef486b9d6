import * as vscode from 'vscode';
import { addServers, serverNames } from '../core/config/configEdits';
import type { ConfigFile } from './configFile';
import { draftEntry, nameProblem, parseTags, suggestName } from './serverDraft';

const TITLE = '1MCP: Add Server';

/**
 * Guided input for a new stdio or HTTP server, written into mcp.json; resolves to its name, or undefined
 * when cancelled. The first choice is to find one in the MCP Registry (`fromRegistry`).
 */
export async function addServer(config: ConfigFile, fromRegistry: () => Promise<string | undefined>): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: '$(search) From the MCP Registry…', detail: 'Search published servers by name, e.g. weather; 1MCP writes how it runs', transport: 'registry' as const },
      { label: '$(terminal) Command (stdio)', detail: 'A program the agent starts, e.g. npx -y @modelcontextprotocol/server-memory', transport: 'stdio' as const },
      { label: '$(globe) URL (HTTP)', detail: 'A running server: streamable HTTP, falling back to SSE', transport: 'http' as const },
    ],
    { title: `${TITLE} (1/4)`, placeHolder: 'How does the agent reach the server?' },
  );
  if (!picked) return undefined;
  if (picked.transport === 'registry') return fromRegistry();
  const { transport } = picked;
  const target = await vscode.window.showInputBox({
    title: `${TITLE} (2/4)`,
    prompt: transport === 'stdio' ? 'Command line (use ${input:name} for secrets: you will be asked once)' : 'Server URL',
    placeHolder: transport === 'stdio' ? 'npx -y @modelcontextprotocol/server-memory' : 'https://example.com/mcp',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return 'Required';
      if (transport === 'http' && !/^https?:\/\/.+/.test(text.trim())) return 'An http:// or https:// URL';
      return undefined;
    },
  });
  if (!target) return undefined;
  const named = await askNameAndTags(TITLE, suggestName(target), new Set(serverNames(await config.read())));
  if (!named) return undefined;
  const { name, tags } = named;
  await config.edit((text) => addServers(text, { [name]: draftEntry(transport, target, tags) }));
  void vscode.window.showInformationMessage(`1MCP: added "${name}" to ${config.path}`);
  return name;
}

/**
 * Steps 3 and 4 of adding a server: its name (`suggested`, any name not `taken`) and its tags;
 * undefined when cancelled.
 */
export async function askNameAndTags(title: string, suggested: string, taken: ReadonlySet<string>): Promise<{ name: string; tags: string[] } | undefined> {
  const name = await vscode.window.showInputBox({
    title: `${title} (3/4)`,
    prompt: 'Name (clients see its tools as <name>_1mcp_<tool>)',
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (text) => nameProblem(text, taken),
  });
  if (!name) return undefined;
  const tagText = await vscode.window.showInputBox({
    title: `${title} (4/4)`,
    prompt: 'Tags, comma-separated (optional): clients can select backends by tag',
    ignoreFocusOut: true,
    validateInput: (text) => (parseTags(text) ? undefined : 'Tags may contain letters, digits, "_", "-", ".", ":"'),
  });
  if (tagText === undefined) return undefined;
  return { name, tags: parseTags(tagText) ?? [] };
}
