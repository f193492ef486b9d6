import { BACKEND_STATUS_LABELS, heldToolElementId, type DashboardBackend, type DashboardCall, type DashboardState } from '../src/shared/dashboardProtocol';
import { commandButton, h, when, type Send } from './dom';
import { approvalsSection, clientsSection, connectionsSection, type Selections } from './renderAuth';

function agentSection(state: DashboardState, send: Send): HTMLElement {
  const running = state.phase === 'running';
  const summary = running
    ? h('p', {}, 'Endpoint ', h('code', { id: 'endpoint' }, state.endpoint ?? ''), state.auth.enabled ? ' (clients need your approval)' : '')
    : h('p', { class: 'problem' }, `The agent is ${state.phase}.`, state.error ? ` ${state.error}` : '');
  const actions = running
    ? [commandButton('Copy URL', 'onemcp.copyEndpointUrl', send, { appearance: 'primary' }), commandButton('Restart Agent', 'onemcp.restartAgent', send), commandButton('Open Config', 'onemcp.openConfig', send)]
    : [commandButton('Start Agent', 'onemcp.startAgent', send, { appearance: 'primary' }), commandButton('Open Config', 'onemcp.openConfig', send)];
  const configProblem = state.configError ? [h('p', { class: 'problem' }, 'The config file has errors; the last good config keeps running.')] : [];
  const servedBy = running && state.servedBy ? [h('p', { id: 'served-by' }, state.servedBy)] : [];
  return h('section', { id: 'agent' }, h('h1', {}, '1MCP Agent'), summary, ...servedBy, ...configProblem, h('div', { class: 'actions' }, ...actions));
}

/** Tools held back until the user has looked: each with Review (the diff editor) and Accept. */
function heldToolsSection(state: DashboardState, send: Send): HTMLElement | undefined {
  if (state.heldTools.length === 0) return undefined;
  const rows = state.heldTools.map((held) =>
    h(
      'li',
      { id: heldToolElementId(held.arg), class: 'held-tool' },
      h('strong', {}, `${held.server} › ${held.tool}`),
      ` ${held.change === 'changed' ? 'changed since you accepted it' : 'is new on a server whose tools you accepted'} (held back since ${when(held.since)}). `,
      commandButton('Review', 'onemcp.reviewToolChange', send, { arg: held.arg, subject: `${held.server} ${held.tool}`, appearance: 'primary' }),
      commandButton('Accept', 'onemcp.acceptToolChange', send, { arg: held.arg, subject: `${held.server} ${held.tool}` }),
    ),
  );
  const intro = h('p', {}, 'What these servers tell the model changed. No client sees these tools until you accept them.');
  return h('section', { id: 'held-tools', 'aria-labelledby': 'held-tools-title' }, h('h2', { id: 'held-tools-title' }, 'Tools held back'), intro, h('ul', {}, ...rows));
}

/** Authorize while it awaits a sign-in, Sign Out while it uses one; then Restart, Enable/Disable, Logs. */
function backendActions(backend: DashboardBackend, send: Send): HTMLElement[] {
  const arg = { arg: backend.name };
  const enabled = backend.status !== 'disabled';
  return [
    ...(backend.remote && backend.status === 'awaiting_oauth' ? [commandButton('Authorize', 'onemcp.authorizeBackend', send, { ...arg, appearance: 'primary' })] : []),
    ...(backend.signedIn ? [commandButton('Sign Out', 'onemcp.signOutBackend', send, arg)] : []),
    ...(enabled ? [commandButton('Restart', 'onemcp.restartBackend', send, arg)] : []),
    commandButton(enabled ? 'Disable' : 'Enable', enabled ? 'onemcp.disableBackend' : 'onemcp.enableBackend', send, arg),
    commandButton('Logs', 'onemcp.showLogs', send, arg),
  ];
}

/** What the row says about a backend: its tools, or why it is not connected (and where to sign in). */
function backendDetail(backend: DashboardBackend): (Node | string)[] {
  if (backend.status === 'connected') return [`${backend.toolCount} tool${backend.toolCount === 1 ? '' : 's'}`];
  const reason = backend.reason ?? '';
  // A link in a webview opens in the external browser, like Authorize does.
  if (backend.signInUrl) return [reason, h('div', {}, h('a', { href: backend.signInUrl, class: 'sign-in-link', 'data-backend': backend.name }, 'Open the sign-in page again'))];
  return [reason];
}

function backendRow(backend: DashboardBackend, send: Send): HTMLElement {
  return h(
    'tr',
    { 'data-backend': backend.name, 'data-status': backend.status },
    h('td', {}, h('span', { class: `status status-${backend.status}` }, BACKEND_STATUS_LABELS[backend.status])),
    h('td', { class: 'name' }, backend.name, h('div', { class: 'type' }, backend.signedIn ? `${backend.type} · signed in` : backend.type)),
    h('td', {}, ...backend.tags.map((tag) => h('vscode-tag', {}, tag))),
    h('td', { class: 'detail' }, ...backendDetail(backend)),
    h('td', { class: 'row-actions' }, ...backendActions(backend, send)),
  );
}

function backendsSection(state: DashboardState, send: Send): HTMLElement {
  const heading = h('h2', {}, 'Backends');
  if (state.backends.length === 0) {
    return h('section', { id: 'backends' }, heading, h('p', {}, 'No MCP servers configured yet.'), h('div', { class: 'actions' }, commandButton('Add Server', 'onemcp.addServer', send, { appearance: 'primary' })));
  }
  const head = h('tr', {}, ...['Status', 'Name', 'Tags', 'Details', ''].map((title) => h('th', {}, title)));
  return h('section', { id: 'backends' }, heading, h('table', {}, h('thead', {}, head), h('tbody', {}, ...state.backends.map((b) => backendRow(b, send)))));
}

function callRow(call: DashboardCall): HTMLElement {
  return h(
    'tr',
    { 'data-outcome': call.outcome },
    h('td', {}, new Date(call.time).toLocaleTimeString()),
    h('td', {}, call.client),
    h('td', { class: 'name' }, call.target),
    h('td', {}, call.duration),
    h('td', { class: `outcome outcome-${call.outcome}` }, call.detail),
  );
}

/** The latest calls, newest first; the Activity view and `onemcp activity` have them all. */
function callsSection(state: DashboardState): HTMLElement | undefined {
  if (state.phase !== 'running') return undefined;
  const heading = h('h2', {}, 'Latest Calls');
  if (state.calls.length === 0) return h('section', { id: 'calls' }, heading, h('p', {}, 'No calls yet: every tool call, resource read and prompt a client makes through the agent is listed here.'));
  const head = h('tr', {}, ...['Time', 'Client', 'Server › Target', 'Duration', 'Outcome'].map((title) => h('th', {}, title)));
  return h('section', { id: 'calls' }, heading, h('table', {}, h('thead', {}, head), h('tbody', {}, ...state.calls.map(callRow))));
}

/**
 * Renders the whole dashboard for a state: what awaits a decision first (backend connections, client
 * requests), then the agent, its backends and its clients. Sections with nothing to show are left out.
 */
export function renderDashboard(root: HTMLElement, state: DashboardState, selections: Selections, send: Send): void {
  const sections = [
    connectionsSection(state, send),
    approvalsSection(state, selections, send),
    heldToolsSection(state, send),
    agentSection(state, send),
    backendsSection(state, send),
    callsSection(state),
    clientsSection(state, send),
  ].filter((section): section is HTMLElement => section !== undefined);
  root.replaceChildren(...sections.flatMap((section, i) => (i === 0 ? [section] : [h('vscode-divider'), section])));
}
