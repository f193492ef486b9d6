import { approvalElementId, connectionElementId, type DashboardApproval, type DashboardClient, type DashboardConnection, type DashboardState } from '../src/shared/dashboardProtocol';
import { actionButton, commandButton, h, when, type Send } from './dom';

/** The tags the user has ticked for each pending request (kept across re-renders, pruned by main.ts). */
export type Selections = Map<string, Set<string>>;

/** Backend sign-ins finished at the service, each asking "Connect <backend>?". */
export function connectionsSection(state: DashboardState, send: Send): HTMLElement | undefined {
  if (state.connections.length === 0) return undefined;
  return h('section', { id: 'connections' }, h('h2', {}, 'Approve backend connections'), ...state.connections.map((c) => connectionItem(c, send)));
}

function connectionItem(pending: DashboardConnection, send: Send): HTMLElement {
  const decide = (approve: boolean) => () => send({ type: 'decideConnection', backend: pending.backend, approve });
  return h(
    'article',
    { id: connectionElementId(pending.backend), class: 'request', 'data-connection': pending.backend },
    h('h3', {}, `Connect ${pending.backend}?`),
    h('p', {}, `You signed in at ${pending.backend} (${when(pending.obtainedAt)}). Approve to let the agent use this sign-in for every client; Deny discards it.`),
    ...(pending.scopes.length ? [h('p', { class: 'detail' }, `Scopes the service granted: ${pending.scopes.join(', ')}`)] : []),
    h('div', { class: 'actions' }, actionButton('Approve', { 'data-decision': 'approve' }, decide(true), 'primary'), actionButton('Deny', { 'data-decision': 'deny' }, decide(false))),
  );
}

/** Client authorization requests: who asks, where the code goes, tag checkboxes, Approve / Deny. */
export function approvalsSection(state: DashboardState, selections: Selections, send: Send): HTMLElement | undefined {
  if (!state.auth.enabled) return undefined;
  const note = state.auth.scopeValidation
    ? h('p', {}, 'An approved client reaches only the backends carrying a tag you grant.')
    : h('p', { class: 'detail' }, 'Scope validation is off: an approved client reaches every backend, whatever tags you grant.');
  const items = state.approvals.length === 0 ? [h('p', {}, 'No request is waiting.')] : state.approvals.map((a) => approvalItem(a, selections, send));
  return h('section', { id: 'approvals' }, h('h2', {}, 'Waiting for your approval'), note, ...items);
}

function approvalItem(approval: DashboardApproval, selections: Selections, send: Send): HTMLElement {
  const ticked = selections.get(approval.id) ?? new Set(approval.requestedTags);
  selections.set(approval.id, ticked);
  const boxes = approval.grantableTags.map((tag) => {
    const box = h('vscode-checkbox', { value: tag, 'data-tag': tag, ...(ticked.has(tag) ? { checked: '' } : {}) }, tag);
    box.addEventListener('change', () => {
      if ((box as HTMLElement & { checked: boolean }).checked) ticked.add(tag);
      else ticked.delete(tag);
    });
    return box;
  });
  const asks = approval.requestedTags.length ? approval.requestedTags.join(', ') : 'no particular tags';
  const details = h(
    'dl',
    {},
    h('dt', {}, 'Client ID'),
    h('dd', {}, h('code', {}, approval.clientId)),
    h('dt', {}, 'From'),
    h('dd', { class: 'origin' }, approval.warning ? h('strong', {}, approval.from) : approval.from),
    h('dt', {}, 'Returns to'),
    h('dd', {}, approval.redirectUri ? h('code', {}, approval.redirectUri) : 'this editor (VS Code’s own MCP client)'),
    h('dt', {}, 'Asks for'),
    h('dd', {}, asks),
    h('dt', {}, 'Expires'),
    h('dd', {}, when(approval.expiresAt)),
  );
  const tags = boxes.length ? h('fieldset', {}, h('legend', {}, 'Tags to grant'), ...boxes) : h('p', {}, 'No backend has tags yet.');
  const decide = (approve: boolean) => () => send({ type: 'decideApproval', id: approval.id, approve, tags: approve ? [...ticked] : [] });
  return h(
    'article',
    { id: approvalElementId(approval.id), class: 'request', 'data-approval': approval.id, 'data-client': approval.clientName },
    h('h3', {}, approval.clientName),
    ...(approval.warning ? [h('p', { class: 'problem', role: 'note' }, approval.warning)] : []),
    details,
    tags,
    h('div', { class: 'actions' }, actionButton('Approve', { 'data-decision': 'approve' }, decide(true), 'primary'), actionButton('Deny', { 'data-decision': 'deny' }, decide(false))),
  );
}

/** Registered clients with their grants and last use, each with Revoke. */
export function clientsSection(state: DashboardState, send: Send): HTMLElement | undefined {
  if (!state.auth.enabled) return undefined;
  if (state.clients.length === 0) return h('section', { id: 'clients' }, h('h2', {}, 'Clients'), h('p', {}, 'No client has registered.'));
  const head = h('tr', {}, ...['Client', 'Granted tags', 'Last used', ''].map((title) => h('th', {}, title)));
  return h('section', { id: 'clients' }, h('h2', {}, 'Clients'), h('table', {}, h('thead', {}, head), h('tbody', {}, ...state.clients.map((c) => clientRow(c, send)))));
}

function clientRow(client: DashboardClient, send: Send): HTMLElement {
  const granted = client.authorized ? (client.grantedTags.length ? client.grantedTags.join(', ') : 'no tags') : 'not authorized';
  return h(
    'tr',
    { 'data-client': client.clientId },
    h('td', { class: 'name' }, client.clientName, h('div', { class: 'type' }, client.inProcess ? 'this editor' : client.clientId)),
    h('td', {}, granted),
    h('td', { class: 'detail' }, client.lastUsedAt === undefined ? 'never' : when(client.lastUsedAt)),
    h('td', { class: 'row-actions' }, commandButton('Revoke', 'onemcp.revokeClient', send, { arg: client.clientId, subject: client.clientName })),
  );
}
