import { Router } from 'express';
import type { HttpContext } from './httpContext';

/**
 * `GET /oauth/callback/:server`: where a backend's authorization server sends the browser back after
 * the user signed in (RFC 6749 §4.1.2). The `state` is checked before anything else; then the code is
 * exchanged and the browser goes to the dashboard, where the user approves the connection.
 */
export function backendCallbackRoute(context: HttpContext): Router {
  const router = Router();
  router.get('/oauth/callback/:server', async (req, res) => {
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    const { code, state, error, error_description } = req.query;
    await context.completeBackendLogin(req.params.server, {
      code: text(code),
      state: text(state),
      error: text(error),
      error_description: text(error_description),
    });
    res.redirect(303, `/oauth#backend-${encodeURIComponent(req.params.server)}`);
  });
  return router;
}
