import type { RequestListener } from 'node:http';
import express from 'express';
import { authenticated } from './connectionLimits';
import { errorHandler } from './errorHandler';
import { healthRoute } from './healthRoute';
import { hostGuard } from './hostGuard';
import type { HttpContext } from './httpContext';
import { jsonBody, jsonBodyErrors } from './jsonBody';
import { lazyRoutes } from './lazyRoutes';
import { withMcpFastPath } from './mcpFastPath';
import { mcpRoute } from './mcpRoute';
import { bearerAuth } from './oauth/bearerAuth';
import { loopbackPeersOnly } from './peer';
import { SessionCap } from './sessionCap';

/**
 * Builds the agent's request listener without listening, so tests and hosts choose the socket: the
 * Express app, with the hot path of session POSTs to `/mcp` taken beside it (mcpFastPath.ts).
 */
export function createApp(context: HttpContext): RequestListener {
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
  const sessions = new SessionCap(context.limits);
  const mcp = mcpRoute(context, sessions);
  app.post('/mcp', ...bearer, jsonBody(), mcp.post);
  app.get('/mcp', ...bearer, mcp.get);
  app.delete('/mcp', ...bearer, mcp.delete);
  if (auth) app.use(['/sse', '/messages'], ...bearer);
  app.use('/messages', jsonBody());
  app.use(healthRoute(context));
  app.use(...lazyRoutes(context, sessions));
  app.use(jsonBodyErrors());
  app.use(errorHandler(context.logger));
  return withMcpFastPath(app, context, mcp);
}
