import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { newSecret, safeEqual } from '../../auth/tokenCrypto';
import { HttpError } from '../httpError';
import type { HttpContext } from '../httpContext';
import { authDisabledSection, clientsSection, pendingApprovalsSection, type DashboardSection } from './dashboardSections';
import { html } from './html';
import { sendPage } from './htmlPage';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

const csrfSchema = z.object({ csrf: z.string() });
const decisionSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  tag: z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * `GET /oauth`: the headless dashboard, a page of {@link DashboardSection}s (pending approvals and
 * clients; later issues add their own). Its actions are form POSTs that must carry the page's CSRF
 * token, come from this origin (the Host/Origin guard, `Sec-Fetch-Site`) and reach the agent directly
 * on loopback: a request relayed by a reverse proxy could come from anyone, and approving is the user's.
 */
export function dashboardRoute(context: HttpContext): Router {
  const csrf = newSecret();
  const auth = context.auth?.server;
  const sections: DashboardSection[] = auth ? [pendingApprovalsSection(auth), clientsSection(auth)] : [authDisabledSection()];
  const router = Router();
  const local = directLoopbackOnly();

  router.get('/oauth', local, (_req, res) => {
    sendPage(res, { title: '1MCP authorization', body: html`${sections.map((render) => render({ csrf }))}<p><a href="/oauth">Reload</a></p>` });
  });

  const action = (handle: (req: Request) => Promise<void> | void): RequestHandler[] => [
    local,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }),
    async (req, res) => {
      try {
        checkCsrf(req, csrf);
        if (!auth) throw new HttpError(404, 'not_found', 'Client authorization is off');
        await handle(req);
        res.redirect(303, '/oauth');
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) throw error;
        sendActionError(res, error);
      }
    },
  ];

  router.post('/oauth/approvals/:id', ...action((req) => {
    const form = decisionSchema.safeParse(req.body);
    if (!form.success) throw new HttpError(400, 'invalid_request', 'Choose Approve or Deny');
    const tags = form.data.tag === undefined ? [] : [form.data.tag].flat();
    auth?.decideApproval(String(req.params.id), form.data.decision === 'approve' ? { approve: true, tags } : { approve: false });
  }));

  router.post('/oauth/clients/:id/revoke', ...action(async (req) => {
    if (!(await auth?.revokeClient(String(req.params.id)))) throw new HttpError(404, 'not_found', 'No such client');
  }));

  return router;
}

function checkCsrf(req: Request, expected: string): void {
  const site = req.headers['sec-fetch-site'];
  const form = csrfSchema.safeParse(req.body);
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !form.success || !safeEqual(form.data.csrf, expected)) {
    throw new HttpError(403, 'forbidden', 'This form is stale or did not come from the dashboard; reload the dashboard and try again');
  }
}

function directLoopbackOnly(): RequestHandler {
  return (req, res, next) => {
    const hostname = URL.canParse(`http://${req.headers.host ?? ''}`) ? new URL(`http://${req.headers.host ?? ''}`).hostname : '';
    if (!LOOPBACK_HOSTS.has(hostname) || FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) {
      sendActionError(res, new HttpError(403, 'forbidden', 'The dashboard answers only on this machine (a loopback address, without a proxy)'));
      return;
    }
    next();
  };
}

function sendActionError(res: Response, error: HttpError): void {
  sendPage(res, {
    status: error.status,
    title: 'Not done',
    body: html`<p role="alert">${error.message}</p><p><a href="/oauth">Back to the dashboard</a></p>`,
  });
}
