import type { RequestListener } from 'node:http';
import { sendError } from './errorHandler';
import type { HttpContext } from './httpContext';
import { withMcpFastPath } from './mcpFastPath';
import { mcpRoute } from './mcpRoute';
import { SessionCap } from './sessionCap';

/**
 * Builds the agent's request listener without listening, so tests and hosts choose the socket. The
 * POSTs to `/mcp` that open sessions and carry every proxied call are served beside Express
 * (mcpFastPath.ts); the Express app that answers everything else (expressApp.ts) is loaded and built
 * with the first request that needs it. A start, and clients that only open sessions and call tools,
 * never evaluate Express: the `import()` here is its boundary.
 */
export function createApp(context: HttpContext): RequestListener {
  const sessions = new SessionCap(context.limits);
  const mcp = mcpRoute(context, sessions);
  let app: Promise<RequestListener> | undefined;
  const rest: RequestListener = (req, res) => {
    app ??= import('./expressApp').then(({ expressApp }) => expressApp(context, sessions, mcp));
    app.then(
      (listener) => listener(req, res),
      (error: unknown) => sendError(error, req.method, req.url ?? '', res, context.logger),
    );
  };
  return withMcpFastPath(rest, context, mcp);
}
