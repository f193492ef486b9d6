import type { RequestHandler } from 'express';
import type { RateLimitOptions } from '../../auth/authOptions';
import type { Clock } from '../../clock';
import { HttpError } from '../../httpError';
import { networkOf } from '../../networkPrefix';

/**
 * Keys remembered at most per limit; past this, finished windows are dropped, then the oldest, down to
 * nine tenths (so the sweep runs once per thousand new keys, not on every request).
 */
const MAX_TRACKED = 10_000;

interface Window {
  start: number;
  count: number;
}

/** One limit: `max` requests per key per window. */
interface Limit {
  readonly max: number;
  /** The key a request counts under, from its address; `who` says whose requests were too many. */
  readonly key: (address: string) => string;
  readonly who: string;
  readonly windows: Map<string, Window>;
}

/**
 * A fixed-window limit per client address (429 with `Retry-After`, RFC 6585 §4), and, where `across` says,
 * per network (/24 for IPv4, /56 for IPv6: one host with many addresses counts once) and for every address
 * together. A request passes only if every limit has room, and only a request that passes is counted, so
 * a requester already refused does not use up the others' room. One instance per endpoint, so a burst on
 * one does not block another.
 */
export function rateLimit(options: Pick<RateLimitOptions, 'windowMs' | 'max'>, clock: Clock, across?: { perNetwork: number; overall: number }): RequestHandler {
  const limit = (max: number, who: string, key: (address: string) => string): Limit => ({ max, who, key, windows: new Map() });
  const limits = [
    limit(options.max, 'this address', (address) => address),
    ...(across ? [limit(across.perNetwork, 'this network', networkOf), limit(across.overall, 'all addresses together', () => '')] : []),
  ];
  return (req, res, next) => {
    const now = clock.now();
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    const windows = limits.map((l) => ({ limit: l, window: currentWindow(l.windows, l.key(address), now, options.windowMs) }));
    const full = windows.find(({ limit: l, window }) => window.count >= l.max);
    if (full) {
      res.setHeader('Retry-After', String(Math.ceil((full.window.start + options.windowMs - now) / 1000)));
      next(new HttpError(429, 'too_many_requests', `Too many requests from ${full.limit.who}; try again later`));
      return;
    }
    for (const { window } of windows) window.count += 1;
    next();
  };
}

/** The window `key` counts in now: its current one, or a new one when that has ended. */
function currentWindow(windows: Map<string, Window>, key: string, now: number, windowMs: number): Window {
  if (windows.size > MAX_TRACKED) {
    for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
    for (const k of windows.keys()) {
      if (windows.size <= MAX_TRACKED * 0.9) break;
      windows.delete(k);
    }
  }
  let window = windows.get(key);
  if (!window || now - window.start >= windowMs) {
    window = { start: now, count: 0 };
    windows.set(key, window);
  }
  return window;
}
