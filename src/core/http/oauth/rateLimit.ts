import type { RequestHandler } from 'express';
import type { Clock } from '../../clock';
import { HttpError } from '../../httpError';
import type { RateLimitOptions } from '../../auth/authOptions';

/** Addresses remembered at most; past this, finished windows are dropped. */
const MAX_TRACKED = 10_000;

/**
 * A fixed-window limit per client address (429 with `Retry-After`, RFC 6585 §4). One instance per
 * endpoint, so a burst on one does not block another.
 */
export function rateLimit(options: RateLimitOptions, clock: Clock): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const now = clock.now();
    if (windows.size > MAX_TRACKED) {
      for (const [key, w] of windows) if (now - w.start >= options.windowMs) windows.delete(key);
    }
    const key = req.ip ?? req.socket.remoteAddress ?? '';
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > options.max) {
      res.setHeader('Retry-After', String(Math.ceil((window.start + options.windowMs - now) / 1000)));
      next(new HttpError(429, 'too_many_requests', 'Too many requests; try again later'));
      return;
    }
    next();
  };
}
