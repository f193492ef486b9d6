import { Router } from 'express';
import { registrationResponse } from '../../auth/clientRegistration';
import { oauthBodyErrors, registrationBody } from './oauthBody';
import type { OAuthContext } from './oauthContext';
import { rateLimit } from './rateLimit';

/**
 * `POST /register`: dynamic client registration (RFC 7591 §3). Registering grants nothing: every
 * authorization request still waits for the user's approval.
 */
export function registerRoute(auth: OAuthContext): Router {
  const router = Router();
  router.post('/register', rateLimit(auth.rateLimit, auth.clock), registrationBody(), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const client = await auth.server.registerClient(req.body);
    res.status(201).json(registrationResponse(client));
  });
  router.use('/register', oauthBodyErrors());
  return router;
}
