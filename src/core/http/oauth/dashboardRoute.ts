import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import * as z from 'zod';
import { newSecret, safeEqual } from '../../auth/tokenCrypto';
import { HttpError } from '../../httpError';
import type { HttpContext } from '../httpContext';
import { directLoopbackOnly } from '../peer';
import { backendsSection, pendingConnectionsSection } from './backendSections';
import { authDisabledSection, clientsSection, pendingApprovalsSection, type DashboardSection } from './dashboardSections';
import { html } from './html';
import { pageError, sendPage } from './htmlPage';

const csrfSchema = z.object({ csrf: z.string() });
const decisionSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  tag: z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * `GET /oauth`: the headless dashboard, a page of {@link DashboardSection}s (pending approvals and
 * clients; later issues add their own). Its actions are form POSTs that must carry the page's CSRF
 * token and come from this origin (the Host/Origin guard, `Sec-Fetch-Site`). The page and every action
 * answer only to a direct loopback peer ({@link directLoopbackOnly}): what it shows and decides is the
 * user's, and neither a neighbour on the network nor a request relayed by a proxy is the user.
 */
export function dashboardRoute(context: HttpContext): Router {
  const csrf = newSecret();
  const auth = context.auth?.server;
  const logins = context.backendLogins;
  const sections: DashboardSection[] = [
    pendingConnectionsSection(context.state),
    backendsSection(context.state),
    ...(auth ? [pendingApprovalsSection(auth), clientsSection(auth)] : [authDisabledSection()]),
  ];
  const router = Router();
  const local = directLoopbackOnly(sendActionError);

  router.get('/oauth', local, (_req, res) => {
    const state = context.state();
    // Refresh the status by itself, except while something awaits a decision: a reload would reset the form.
    const deciding = state.pendingConnections.length > 0 || (auth?.pendingApprovals().length ?? 0) > 0;
    sendPage(res, {
      title: '1MCP authorization',
      body: html`${sections.map((render) => render({ csrf }))}<p><a href="/oauth">Reload</a></p>`,
      ...(!deciding && { refresh: { seconds: 5, url: '/oauth' } }),
    });
  });

  /** A dashboard form POST: loopback only, CSRF-checked; an action refused or failed gets a page saying why. */
  const guarded = (handle: (req: Request, res: Response) => Promise<void>): RequestHandler[] => [
    local,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }),
    async (req, res) => {
      try {
        checkCsrf(req, csrf);
        await handle(req, res);
      } catch (error) {
        sendActionError(res, pageError(error, context.logger, `${req.method} ${req.path}`));
      }
    },
  ];
  /** An action that returns to the dashboard when done. */
  const action = (handle: (req: Request) => Promise<void> | void): RequestHandler[] =>
    guarded(async (req, res) => {
      await handle(req);
      res.redirect(303, '/oauth');
    });
  const requireAuth = () => {
    if (!auth) throw new HttpError(404, 'not_found', 'Client authorization is off');
    return auth;
  };
  const decision = (req: Request) => {
    const form = decisionSchema.safeParse(req.body);
    if (!form.success) throw new HttpError(400, 'invalid_request', 'Choose Approve or Deny');
    return { approve: form.data.decision === 'approve', tags: form.data.tag === undefined ? [] : [form.data.tag].flat() };
  };

  router.post('/oauth/approvals/:id', ...action((req) => {
    const { approve, tags } = decision(req);
    requireAuth().decideApproval(String(req.params.id), approve ? { approve: true, tags } : { approve: false });
  }));

  router.post('/oauth/clients/:id/revoke', ...action(async (req) => {
    if (!(await requireAuth().revokeClient(String(req.params.id)))) throw new HttpError(404, 'not_found', 'No such client');
  }));

  // Authorize sends the browser on to the service's own sign-in page. It goes through a page rather
  // than a redirect because the dashboard's CSP (form-action 'self') forbids a form leading off-site.
  router.post('/oauth/backends/:name/authorize', ...guarded(async (req, res) => {
    const name = String(req.params.name);
    const url = await logins.authorize(name);
    if (url === undefined) {
      res.redirect(303, '/oauth');
      return;
    }
    sendPage(res, {
      title: `Sign in to ${name}`,
      body: html`<p>Continuing to the sign-in page of <strong>${name}</strong>&hellip;</p><p><a id="continue" href="${url}">Continue to ${new URL(url).host}</a></p>`,
      refresh: { seconds: 0, url },
    });
  }));
  router.post('/oauth/backends/:name/connection', ...action((req) => logins.decide(String(req.params.name), decision(req).approve)));
  router.post('/oauth/backends/:name/sign-out', ...action((req) => logins.signOut(String(req.params.name))));

  return router;
}

function checkCsrf(req: Request, expected: string): void {
  const site = req.headers['sec-fetch-site'];
  const form = csrfSchema.safeParse(req.body);
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !form.success || !safeEqual(form.data.csrf, expected)) {
    throw new HttpError(403, 'forbidden', 'This form is stale or did not come from the dashboard; reload the dashboard and try again');
  }
}

function sendActionError(res: Response, error: HttpError): void {
  sendPage(res, {
    status: error.status,
    title: 'Not done',
    body: html`<p role="alert">${error.message}</p><p><a href="/oauth">Back to the dashboard</a></p>`,
  });
}
