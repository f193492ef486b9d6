import type { RequestListener } from 'node:http';
import express from 'express';
import { authenticated } from './connectionLimits';
import { errorHandler } from './errorHandler';
import { healthRoute } from './healthRoute';
import { hostGuard } from './hostGuard';
import type { HttpContext } from './httpContext';
import { jsonBody, jsonBodyErrors } from './jsonBody';
import { lazyRoutes } from './lazyRoutes';
import type { McpRoute } from './mcpRoute';
import { bearerAuth } from './oauth/bearerAuth';
import { loopbackPeersOnly } from './peer';
import type { SessionCap } from './sessionCap';

/**
 * The Express app: every route, the MCP ones included, for whatever the fast path beside it
 * (mcpFastPath.ts) does not take. Built by createApp on the first request that needs it.
 */
export function expressApp(context: HttpContext, sessions: SessionCap, mcp: McpRoute): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.use(hostGuard(context.allowedHosts));
  const auth = context.auth;
  // Without client authorization nothing here asks for a token, so nothing is for the network: every
  // path, MCP and any added later, answers only to this machine (by socket address, not by Host).
  if (!auth) app.use(loopbackPeersOnly());
  if (auth) app.use((_req, _res, next) => void auth.server.ready.then(() => next(), next));
  // The MCP routes come first and are mounted flat: every proxied call takes them, so they pass the
  // fewest router layers.
  const bearer = auth ? [bearerAuth(auth), authenticated] : [];
  app.post('/mcp', ...bearer, jsonBody(), mcp.post);
  app.get('/mcp', ...bearer, mcp.get);
  app.delete('/mcp', ...bearer, mcp.delete);
  if (auth) app.use(['/sse', '/messages'], ...bearer);
  app.use('/messages', jsonBody());
  app.use(healthRoute(context));
  app.use(...lazyRoutes(context, sessions));
  app.use(jsonBodyErrors());
  app.use(errorHandler(context.logger));
  return app;
}
