import { Router } from 'express';
import type { HttpContext } from './httpContext';

/** `GET /health`: liveness and a per-backend summary, with no commands, URLs, reasons or secrets. */
export function healthRoute(context: HttpContext): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(context.health());
  });
  return router;
}
