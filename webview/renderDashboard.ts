import type { DashboardBackend, DashboardCommand, DashboardState, FromWebview } from '../src/shared/dashboardProtocol';

type Send = (message: FromWebview) => void;

/** Builds an element; text goes in as text, never as HTML. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function button(label: string, command: DashboardCommand, send: Send, backend?: string, appearance = 'secondary'): HTMLElement {
  const element = h('vscode-button', { appearance, 'data-command': command, ...(backend ? { 'data-backend': backend } : {}) }, label);
  element.addEventListener('click', () => send({ type: 'command', command, backend }));
  return element;
}

const STATUS_LABEL: Record<DashboardBackend['status'], string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  awaiting_oauth: 'Awaiting OAuth',
  error: 'Error',
  disabled: 'Disabled',
};

function agentSection(state: DashboardState, send: Send): HTMLElement {
  const running = state.phase === 'running';
  const summary = running
    ? h('p', {}, 'Endpoint ', h('code', { id: 'endpoint' }, state.endpoint ?? ''))
    : h('p', { class: 'problem' }, `The agent is ${state.phase}.`, state.error ? ` ${state.error}` : '');
  const actions = running
    ? [button('Copy URL', 'onemcp.copyEndpointUrl', send, undefined, 'primary'), button('Restart Agent', 'onemcp.restartAgent', send), button('Open Config', 'onemcp.openConfig', send)]
    : [button('Start Agent', 'onemcp.startAgent', send, undefined, 'primary'), button('Open Config', 'onemcp.openConfig', send)];
  const configProblem = state.configError ? [h('p', { class: 'problem' }, 'The config file has errors; the last good config keeps running.')] : [];
  return h('section', { id: 'agent' }, h('h1', {}, '1MCP Agent'), summary, ...configProblem, h('div', { class: 'actions' }, ...actions));
}

function backendRow(backend: DashboardBackend, send: Send): HTMLElement {
  const enabled = backend.status !== 'disabled';
  const detail = backend.status === 'connected' ? `${backend.toolCount} tool${backend.toolCount === 1 ? '' : 's'}` : (backend.reason ?? '');
  return h(
    'tr',
    { 'data-backend': backend.name, 'data-status': backend.status },
    h('td', {}, h('span', { class: `status status-${backend.status}` }, STATUS_LABEL[backend.status])),
    h('td', { class: 'name' }, backend.name, h('div', { class: 'type' }, backend.type)),
    h('td', {}, ...backend.tags.map((tag) => h('vscode-tag', {}, tag))),
    h('td', { class: 'detail' }, detail),
    h(
      'td',
      { class: 'row-actions' },
      ...(enabled ? [button('Restart', 'onemcp.restartBackend', send, backend.name)] : []),
      button(enabled ? 'Disable' : 'Enable', enabled ? 'onemcp.disableBackend' : 'onemcp.enableBackend', send, backend.name),
      button('Logs', 'onemcp.showLogs', send, backend.name),
    ),
  );
}

function backendsSection(state: DashboardState, send: Send): HTMLElement {
  const heading = h('h2', {}, 'Backends');
  if (state.backends.length === 0) {
    return h('section', { id: 'backends' }, heading, h('p', {}, 'No MCP servers configured yet.'), h('div', { class: 'actions' }, button('Add Server', 'onemcp.addServer', send, undefined, 'primary')));
  }
  const head = h('tr', {}, ...['Status', 'Name', 'Tags', 'Details', ''].map((title) => h('th', {}, title)));
  return h('section', { id: 'backends' }, heading, h('table', {}, h('thead', {}, head), h('tbody', {}, ...state.backends.map((b) => backendRow(b, send)))));
}

/** Renders the whole dashboard for a state; each section is independent, so new ones slot in. */
export function renderDashboard(root: HTMLElement, state: DashboardState, send: Send): void {
  const sections = [agentSection(state, send), h('vscode-divider'), backendsSection(state, send)];
  root.replaceChildren(...sections);
}
