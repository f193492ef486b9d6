import * as vscode from 'vscode';
import type { ToolReview } from '../core/integrity/toolPins';
import type { BackendState } from '../core/state/agentState';
import type { AgentHost } from './agentHost';
import { endpointUrl, tagsInUse, type EndpointSelection } from './endpointUrl';

/** Asks which backend to act on, among those `filter` accepts; undefined when cancelled or none fits. */
export async function pickBackend(host: AgentHost, placeHolder: string, filter: (b: BackendState) => boolean): Promise<string | undefined> {
  const backends = host.state.backends.filter(filter);
  if (backends.length === 0) {
    void vscode.window.showInformationMessage('1MCP: no backend to choose from.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    backends.map((b) => ({ label: b.name, description: b.status, detail: b.tags.length ? b.tags.map((t) => `#${t}`).join(' ') : undefined })),
    { title: '1MCP', placeHolder },
  );
  return picked?.label;
}

/** Asks which registered OAuth client to act on; undefined when cancelled or there is none. */
export async function pickClient(host: AgentHost, placeHolder: string): Promise<string | undefined> {
  const { clients } = host.state;
  if (clients.length === 0) {
    void vscode.window.showInformationMessage('1MCP: no client has registered.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    clients.map((c) => ({
      label: c.clientName,
      description: c.inProcess ? 'this editor' : c.authorized ? c.grantedTags.map((t) => `#${t}`).join(' ') || 'authorized' : 'no grant',
      detail: c.clientId,
      clientId: c.clientId,
    })),
    { title: '1MCP', placeHolder },
  );
  return picked?.clientId;
}

/** Asks which held tool to act on; undefined when cancelled or none is held. */
export async function pickHeldTool(host: AgentHost, placeHolder: string): Promise<ToolReview | undefined> {
  const reviews = host.state.toolReviews;
  if (reviews.length === 0) {
    void vscode.window.showInformationMessage('1MCP: no tool is held back.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    reviews.map((review) => ({ label: `${review.server} › ${review.tool}`, description: review.change === 'changed' ? 'changed' : 'new', review })),
    { title: '1MCP', placeHolder },
  );
  return picked?.review;
}

/** Opens a backend's sign-in page in the browser; if that did not happen, offers the link to copy. */
export async function openSignIn(backend: string, url: string): Promise<void> {
  if (await vscode.env.openExternal(vscode.Uri.parse(url))) return;
  const choice = await vscode.window.showWarningMessage(`1MCP: the sign-in page for ${backend} did not open. Open this link in your browser.`, 'Copy Link');
  if (choice) await vscode.env.clipboard.writeText(url);
}

/** Asks which backends the URL should select (all, some tags, or a tag-filter expression) and copies it. */
export async function copyEndpointUrl(host: AgentHost): Promise<string | undefined> {
  const endpoint = host.state.endpoint;
  if (!endpoint) throw new Error('The agent is not running: start it first.');
  const selection = await pickSelection(host);
  if (!selection) return undefined;
  const url = endpointUrl(endpoint, selection);
  await vscode.env.clipboard.writeText(url);
  void vscode.window.showInformationMessage(`1MCP: copied ${url}`);
  return url;
}

async function pickSelection(host: AgentHost): Promise<EndpointSelection | undefined> {
  const tags = tagsInUse(host.state);
  const choices = [
    { label: '$(globe) All backends', choice: 'all' as const },
    ...(tags.length ? [{ label: '$(tag) Backends with tags…', detail: 'A client sees backends carrying any of the tags (?tags=)', choice: 'tags' as const }] : []),
    { label: '$(filter) Tag filter expression…', detail: 'e.g. web and not experimental (?tag-filter=)', choice: 'filter' as const },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: '1MCP: Copy Endpoint URL', placeHolder: 'Which backends should a client using this URL see?' });
  switch (picked?.choice) {
    case undefined:
      return undefined;
    case 'all':
      return { kind: 'all' };
    case 'tags': {
      const ticked = await vscode.window.showQuickPick(
        tags.map(({ tag, backends }) => ({ label: tag, description: backends.join(', ') })),
        { title: '1MCP: Copy Endpoint URL', placeHolder: 'Tick the tags', canPickMany: true },
      );
      return ticked?.length ? { kind: 'tags', tags: ticked.map((t) => t.label) } : undefined;
    }
    case 'filter': {
      const expression = await vscode.window.showInputBox({
        title: '1MCP: Copy Endpoint URL',
        prompt: 'Tag expression: tags combined with and, or, not and parentheses',
        validateInput: (text) => (text.trim() ? undefined : 'Required'),
      });
      return expression ? { kind: 'filter', expression } : undefined;
    }
  }
}

/** The status bar's menu: the common actions for the current state. */
export async function showActions(host: AgentHost): Promise<void> {
  const running = host.running;
  const actions: (vscode.QuickPickItem & { command: string })[] = [
    ...(running
      ? [
          { label: '$(dashboard) Open Dashboard', command: 'onemcp.openDashboard' },
          { label: '$(copy) Copy Endpoint URL', description: host.state.endpoint, command: 'onemcp.copyEndpointUrl' },
          { label: '$(add) Add Server', command: 'onemcp.addServer' },
          { label: '$(plug) Connect Client…', command: 'onemcp.connectClient' },
          { label: '$(debug-restart) Restart Agent', command: 'onemcp.restartAgent' },
          { label: '$(debug-stop) Stop Agent', command: 'onemcp.stopAgent' },
        ]
      : [{ label: '$(play) Start Agent', command: 'onemcp.startAgent' }]),
    { label: '$(go-to-file) Open Config', description: host.state.configPath, command: 'onemcp.openConfig' },
    { label: '$(output) Show Logs', command: 'onemcp.showLogs' },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: '1MCP', placeHolder: 'What do you want to do?' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
