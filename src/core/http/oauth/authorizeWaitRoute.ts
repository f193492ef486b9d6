import { Router } from 'express';
import { sendAuthorizeError, sendWaitingPage } from './authorizePages';
import type { OAuthContext } from './oauthContext';
import { requestOriginOf } from './requestOriginOf';

/**
 * `GET /authorize/wait?request=<handle>`: where the waiting page reloads. While the user decides it
 * shows the page again; then it redirects, once, to the client with the code or `access_denied`.
 * The handle is a one-time secret only that browser holds, and it answers only the peer (the address,
 * or this machine) that began the request: a handle seen elsewhere collects nothing.
 */
export function authorizeWaitRoute(auth: OAuthContext): Router {
  const router = Router();
  router.get('/authorize/wait', async (req, res) => {
    const handle = typeof req.query.request === 'string' ? req.query.request : '';
    const progress = handle ? await auth.server.collectAuthorization(handle, requestOriginOf(req)) : undefined;
    if (!progress) {
      sendAuthorizeError(res, 404, 'This authorization request is unknown or already finished.');
    } else if (progress.status === 'elsewhere') {
      sendAuthorizeError(res, 403, 'This authorization request was started from another address; only the browser that started it can continue it.');
    } else if (progress.status === 'pending') {
      sendWaitingPage(res, progress.request, handle);
    } else {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(302, progress.redirect);
    }
  });
  return router;
}
