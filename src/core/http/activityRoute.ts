import { Router, type Request } from 'express';
import { matchesFilter, type ActivityFilter } from '../activity/activityRecord';
import { ACTIVITY_MEMORY, NO_ACTIVITY } from '../activity/activityRing';
import { HttpError } from '../httpError';
import type { HttpContext } from './httpContext';
import { directLoopbackOnly } from './peer';

/** Records `GET /activity` answers when the query names no `limit`. */
const DEFAULT_LIMIT = 100;
const HEARTBEAT_MS = 15_000;

/** What a query asks for: `?limit=` (1 to 1,000), `?client=`, `?server=`. */
function readQuery(req: Request, defaultLimit: number): { filter: ActivityFilter; limit: number } {
  const text = (name: string): string | undefined => {
    const value = req.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new HttpError(400, 'invalid_request', `?${name}= must be given once, not empty`);
    return value;
  };
  const limitText = text('limit');
  const limit = limitText === undefined ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0 || limit > ACTIVITY_MEMORY) throw new HttpError(400, 'invalid_request', `?limit= must be a whole number from 0 to ${ACTIVITY_MEMORY}`);
  return { filter: { client: text('client'), server: text('server') }, limit };
}

/**
 * `GET /activity`: the latest calls, oldest first (`{ records }`), and `GET /activity/events`: an event
 * stream of each call as it is recorded (`data: <record>`), after the latest `?limit=` (none by default).
 * Only for a direct request from this machine, as `/health` details are: what clients do is the user's
 * business, never the network's, whatever token a caller holds.
 */
export function activityRoute(context: HttpContext): Router {
  const router = Router();
  const recorder = context.hub.activity;
  const reader = recorder?.reader ?? NO_ACTIVITY;
  router.use('/activity', directLoopbackOnly());

  router.get('/activity', (req, res) => {
    const { filter, limit } = readQuery(req, DEFAULT_LIMIT);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ records: limit === 0 ? [] : reader.list(filter, limit) });
  });

  router.get('/activity/events', (req, res) => {
    const { filter, limit } = readQuery(req, 0);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    const send = (record: object): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(record)}\n\n`);
    };
    if (limit > 0) for (const record of reader.list(filter, limit)) send(record);
    const subscription = recorder?.onDidChange((change) => {
      if (change.kind === 'recorded' && matchesFilter(change.record, filter)) send(change.record);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      subscription?.dispose();
    });
  });

  return router;
}
