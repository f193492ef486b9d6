import { Router } from 'express';
import type { HttpContext } from './httpContext';
import { isDirectLoopback } from './peer';

/** `GET /health`: the health report (state/healthReport.ts), with why backends fail for a direct request from this machine. */
export function healthRoute(context: HttpContext): Router {
  const router = Router();
  router.get('/health', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(context.health(isDirectLoopback(req)));
  });
  return router;
}
