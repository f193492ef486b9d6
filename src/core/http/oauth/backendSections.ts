import type { PendingConnection } from '../../backends/oauth/backendOAuth';
import type { AgentState, BackendState } from '../../state/agentState';
import { BACKEND_STATUS_LABELS, statusDetail } from '../../backends/backendStatus';
import type { DashboardSection, DashboardView } from './dashboardSections';
import { html, type SafeHtml } from './html';


const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** Backend sign-ins finished at the service, each asking the user to approve the connection. */
export function pendingConnectionsSection(state: () => AgentState): DashboardSection {
  return (view) => {
    const pending = state().pendingConnections;
    if (pending.length === 0) return html``;
    return html`<section aria-labelledby="connect-heading"><h2 id="connect-heading">Approve backend connections</h2>
<ul>${pending.map((p) => connectionItem(p, view))}</ul></section>`;
  };
}

function connectionItem(pending: PendingConnection, view: DashboardView): SafeHtml {
  const id = `connect-${pending.backend}`;
  return html`<li><article id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">Connect ${pending.backend}?</h3>
<p>You signed in at <strong>${pending.backend}</strong> (${time(pending.obtainedAt)}). Approve to let the agent use this sign-in for every client; Deny discards it.</p>
${pending.scopes.length > 0 ? html`<p>Scopes the service granted: ${pending.scopes.join(', ')}</p>` : ''}
<form method="post" action="/oauth/backends/${encodeURIComponent(pending.backend)}/connection">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></article></li>`;
}

/** Every backend with its status, and Authorize / Sign out where they apply. */
export function backendsSection(state: () => AgentState): DashboardSection {
  return (view) => {
    const backends = state().backends;
    const body = backends.length === 0
      ? html`<p>No backend is configured. Add servers to the config file.</p>`
      : html`<table><caption>Backends</caption>
<thead><tr><th scope="col">Backend</th><th scope="col">Status</th><th scope="col">Tags</th><th scope="col">Tools</th><th scope="col"><span class="note">Action</span></th></tr></thead>
<tbody>${backends.map((b) => backendRow(b, view))}</tbody></table>`;
    return html`<section aria-labelledby="backends-heading"><h2 id="backends-heading">Backends</h2>${body}</section>`;
  };
}

function backendRow(backend: BackendState, view: DashboardView): SafeHtml {
  const label = BACKEND_STATUS_LABELS[backend.status];
  const why = statusDetail(backend);
  const detail = why ? html`<br><span class="note">${why}</span>` : '';
  const since = backend.status === 'connected' && backend.lastConnectedAt !== undefined ? html`<br><span class="note">since ${time(backend.lastConnectedAt)}</span>` : '';
  return html`<tr id="backend-${backend.name}" data-status="${backend.status}">
<th scope="row">${backend.name}</th>
<td><span class="status">${label}</span>${detail}${since}</td>
<td>${backend.tags.length > 0 ? backend.tags.join(', ') : html`<span class="note">none</span>`}</td>
<td>${String(backend.tools.length)}</td>
<td>${backendAction(backend, view)}</td>
</tr>`;
}

function backendAction(backend: BackendState, view: DashboardView): SafeHtml | string {
  const form = (action: string, label: string): SafeHtml => html`<form method="post" action="/oauth/backends/${encodeURIComponent(backend.name)}/${action}">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" aria-label="${`${label} ${backend.name}`}">${label}</button></form>`;
  if (backend.status === 'awaiting_oauth') return form('authorize', 'Authorize');
  if (backend.signedIn) return form('sign-out', 'Sign out');
  return '';
}
