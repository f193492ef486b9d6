import { Router } from 'express';
import type { HttpContext } from '../httpContext';
import { html } from './html';
import { pageError, sendPage } from './htmlPage';

/**
 * `GET /oauth/callback/:server`: where a backend's authorization server sends the browser back after
 * the user signed in (RFC 6749 §4.1.2). The `state` is checked before anything else; then the code is
 * exchanged and the browser goes to the dashboard, where the user approves the connection. A refused
 * or failed callback changes nothing and says why, on a page.
 */
export function backendCallbackRoute(context: HttpContext): Router {
  const router = Router();
  router.get('/oauth/callback/:server', async (req, res) => {
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    const { code, state, error, error_description } = req.query;
    const server = String(req.params.server);
    try {
      await context.backendLogins.complete(server, { code: text(code), state: text(state), error: text(error), error_description: text(error_description) });
    } catch (error) {
      const failure = pageError(error, context.logger, `The sign-in callback of "${server}"`);
      sendPage(res, {
        status: failure.status,
        title: `Sign-in to ${server} not completed`,
        body: html`<p role="alert">${failure.message}</p><p><a href="/oauth">Back to the dashboard</a></p>`,
      });
      return;
    }
    res.redirect(303, `/oauth#connect-${encodeURIComponent(server)}`);
  });
  return router;
}
