import { Router } from 'express';
import type { HttpContext } from '../httpContext';
import { authorizeRoute } from './authorizeRoute';
import { authorizeWaitRoute } from './authorizeWaitRoute';
import { authServerMetadataRoute } from './authServerMetadataRoute';
import { backendCallbackRoute } from './backendCallbackRoute';
import { dashboardRoute } from './dashboardRoute';
import { protectedResourceMetadataRoute } from './protectedResourceMetadataRoute';
import { registerRoute } from './registerRoute';
import { revokeRoute } from './revokeRoute';
import { tokenRoute } from './tokenRoute';

/**
 * The `/oauth` dashboard and backend sign-in callback, and, when auth is on, the authorization server's
 * endpoints. (The bearer check in front of the MCP routes is mounted by createApp.)
 */
export function oauthRoutes(context: HttpContext): Router {
  const router = Router();
  const auth = context.auth;
  if (auth) {
    router.use(
      authServerMetadataRoute(auth),
      protectedResourceMetadataRoute(auth),
      registerRoute(auth),
      authorizeRoute(auth),
      authorizeWaitRoute(auth),
      tokenRoute(auth),
      revokeRoute(auth),
    );
  }
  router.use(dashboardRoute(context), backendCallbackRoute(context));
  return router;
}
