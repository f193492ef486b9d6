import type { RequestHandler } from 'express';
import type { HttpContext } from './httpContext';
import type { SessionCap } from './sessionCap';

/**
 * The routes a start does not need, each built, and its module loaded, on the first request for it:
 * the legacy SSE transport, the activity record, the windows' control channel, the terminal's tool
 * reviews, and the OAuth endpoints with the `/oauth` dashboard. Until then the agent neither evaluates
 * their code nor compiles their paths, so it listens sooner and idles lighter. Each `import()` here is
 * the boundary: a module imported only through it stays out of the start (esbuild keeps it unevaluated
 * in the bundle until it is asked for); importing one of these modules, or what only they use, from
 * anything a start runs puts it back.
 */
export function lazyRoutes(context: HttpContext, sessions: SessionCap): RequestHandler[] {
  const { control } = context;
  return [
    lazyRoute(['/sse', '/messages'], async () => (await import('./sseRoute')).sseRoute(context, sessions)),
    // Answers only direct loopback peers (it checks that itself, whatever the request).
    lazyRoute(['/activity'], async () => (await import('./activityRoute')).activityRoute(context)),
    ...(control ? [lazyRoute(['/control'], async () => (await import('./control/controlRoute')).controlRoute(control.target, control.options, context.logger))] : []),
    lazyRoute(['/tool-reviews'], async () => (await import('./control/terminalRoute')).terminalRoute(context)),
    // Last, for every other path: the OAuth metadata and endpoints, the dashboard, the sign-in callbacks.
    lazyRoute('*', async () => (await import('./oauth/oauthRoutes')).oauthRoutes(context)),
  ];
}

/** A handler for requests under `paths` (`'*'`: every request that gets this far), built by `load` when the first one arrives. */
function lazyRoute(paths: readonly string[] | '*', load: () => Promise<RequestHandler>): RequestHandler {
  let built: Promise<RequestHandler> | undefined;
  const applies = (path: string): boolean => paths === '*' || paths.some((p) => path === p || path.startsWith(`${p}/`));
  return (req, res, next) => {
    if (!applies(req.path)) return next();
    built ??= load();
    built.then((handler) => handler(req, res, next), next);
  };
}
