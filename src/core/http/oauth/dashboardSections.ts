import type { AuthorizationServer } from '../../auth/authorizationServer';
import { grantableTags, type PendingApproval } from '../../auth/approvalBroker';
import type { AuthClientSummary } from '../../auth/clientSummary';
import { describeRequestOrigin, originWarning } from '../../auth/requestOrigin';
import { html, type SafeHtml } from './html';

/** What every dashboard section may use to render. */
export interface DashboardView {
  /** Goes into every form as `csrf`; the dashboard refuses a POST without it. */
  readonly csrf: string;
}

/** One section of the `/oauth` page; the page is the concatenation of its sections. */
export type DashboardSection = (view: DashboardView) => SafeHtml;

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** Says that client authorization is off, when it is. */
export function authDisabledSection(): DashboardSection {
  return () => html`<section aria-labelledby="auth-off"><h2 id="auth-off">Client authorization</h2>
<p>Client authorization is off: any local client may use the endpoint. Start the agent with <code>--enable-auth</code> to require approval.</p></section>`;
}

/** Authorization requests waiting for a decision, each with tag checkboxes and Approve / Deny. */
export function pendingApprovalsSection(server: AuthorizationServer): DashboardSection {
  return (view) => {
    const pending = server.pendingApprovals();
    const list = pending.length === 0 ? html`<p>No request is waiting.</p>` : html`<ul>${pending.map((p) => approvalItem(p, view))}</ul>`;
    const scopeNote = server.scopeValidation
      ? html`<p>An approved client reaches only the backends carrying a tag you grant.</p>`
      : html`<p class="note">Scope validation is off: an approved client reaches every backend, whatever tags you grant.</p>`;
    return html`<section aria-labelledby="pending-heading"><h2 id="pending-heading">Waiting for your approval</h2>${scopeNote}${list}</section>`;
  };
}

function approvalItem(approval: PendingApproval, view: DashboardView): SafeHtml {
  const headingId = `request-${approval.id}`;
  const tags = grantableTags(approval);
  const boxes = tags.length === 0
    ? html`<p>No backend has tags yet.</p>`
    : tags.map((tag) => html`<label><input type="checkbox" name="tag" value="${tag}"${approval.requestedTags.includes(tag) ? html` checked` : ''}> ${tag}</label> `);
  return html`<li><article aria-labelledby="${headingId}">
<h3 id="${headingId}">${approval.clientName}</h3>
<dl>
<dt>Client ID</dt><dd><code>${approval.clientId}</code></dd>
<dt>From</dt><dd class="origin" data-origin="${approval.origin.kind}">${fromText(approval)}</dd>
<dt>Returns to</dt><dd>${approval.redirectUri ? html`<code>${approval.redirectUri}</code>` : 'this machine (in-process client)'}</dd>
<dt>Asks for</dt><dd>${approval.requestedTags.length > 0 ? approval.requestedTags.join(', ') : 'no particular tags'}</dd>
<dt>Expires</dt><dd>${time(approval.expiresAt)}</dd>
</dl>
<form method="post" action="/oauth/approvals/${encodeURIComponent(approval.id)}">
<input type="hidden" name="csrf" value="${view.csrf}">
<fieldset><legend>Tags to grant</legend>${boxes}</fieldset>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</article></li>`;
}

/** Where a request came from; from the network, with what approving it means. */
function fromText(approval: PendingApproval): SafeHtml {
  const where = describeRequestOrigin(approval.origin);
  const warning = originWarning(approval.origin);
  return warning ? html`<strong>${where}</strong>. ${warning}` : html`${where}`;
}

/** Registered clients with their grants and last use, each with a Revoke button. */
export function clientsSection(server: AuthorizationServer): DashboardSection {
  return (view) => {
    const clients = server.clients();
    const body = clients.length === 0
      ? html`<p>No client has registered.</p>`
      : html`<table><caption>Registered clients</caption>
<thead><tr><th scope="col">Client</th><th scope="col">Granted tags</th><th scope="col">Last used</th><th scope="col">Registered</th><th scope="col"><span class="note">Action</span></th></tr></thead>
<tbody>${clients.map((c) => clientRow(c, view))}</tbody></table>`;
    return html`<section aria-labelledby="clients-heading"><h2 id="clients-heading">Clients</h2>${body}</section>`;
  };
}

function clientRow(client: AuthClientSummary, view: DashboardView): SafeHtml {
  const granted = client.authorized ? (client.grantedTags.length > 0 ? client.grantedTags.join(', ') : 'no tags') : 'not authorized';
  return html`<tr>
<th scope="row">${client.clientName}<br><code>${client.clientId}</code></th>
<td>${granted}</td>
<td>${client.lastUsedAt === undefined ? 'never' : time(client.lastUsedAt)}</td>
<td>${time(client.registeredAt)}</td>
<td><form method="post" action="/oauth/clients/${encodeURIComponent(client.clientId)}/revoke">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" aria-label="${`Revoke ${client.clientName}`}">Revoke</button>
</form></td>
</tr>`;
}
