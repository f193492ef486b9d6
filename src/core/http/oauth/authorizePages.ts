import type { Response } from 'express';
import type { AuthorizationRequest } from '../../auth/authorizationServer';
import { displayName } from '../../auth/clientSummary';
import { describeRequestOrigin } from '../../auth/requestOrigin';
import { html } from './html';
import { sendPage } from './htmlPage';

/** Seconds between the waiting page's reloads. */
const POLL_SECONDS = 2;

/**
 * The page the browser shows while the user decides: it names the client, where the request came from,
 * where it will be sent and what it asks for, and reloads itself until the decision sends it back to the client.
 */
export function sendWaitingPage(res: Response, request: AuthorizationRequest, handle: string): void {
  const tags = request.requestedTags.length > 0 ? request.requestedTags.join(', ') : 'no particular tags';
  sendPage(res, {
    title: 'Waiting for your approval',
    refresh: { seconds: POLL_SECONDS, url: `/authorize/wait?request=${encodeURIComponent(handle)}` },
    body: html`
<p><strong>${displayName(request.client)}</strong> asks to use your MCP servers through 1MCP
(${tags}).</p>
<dl>
<dt>Client ID</dt><dd><code>${request.client.clientId}</code></dd>
<dt>From</dt><dd>${describeRequestOrigin(request.origin)}</dd>
<dt>Returns to</dt><dd><code>${request.redirectUri}</code></dd>
</dl>
<p>Approve or deny this request in VS Code (1MCP), or on the <a href="/oauth" target="_blank" rel="noopener">1MCP dashboard</a>.
This page continues by itself once you have decided.</p>
<p class="note" role="status">Waiting&hellip;</p>`,
  });
}

/** An authorization request that cannot be answered by redirect (unknown client or redirect URI). */
export function sendAuthorizeError(res: Response, status: number, message: string): void {
  sendPage(res, {
    status,
    title: 'Authorization request refused',
    body: html`<p role="alert">${message}</p><p>Start again from the application that sent you here.</p>`,
  });
}
