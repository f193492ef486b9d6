import { Router } from 'express';
import { registrationResponse } from '../../auth/clientRegistration';
import { oauthBodyErrors, registrationBody } from './oauthBody';
import type { OAuthContext } from './oauthContext';
import { rateLimit } from './rateLimit';

/**
 * `POST /register`: dynamic client registration (RFC 7591 §3). Registering grants nothing: every
 * authorization request still waits for the user's approval. Limited per address, per network and in
 * all, since each registration takes room in the store.
 */
export function registerRoute(auth: OAuthContext): Router {
  const router = Router();
  const { registrationsPerNetwork: perNetwork, registrationsOverall: overall } = auth.rateLimit;
  router.post('/register', rateLimit(auth.rateLimit, auth.clock, { perNetwork, overall }), registrationBody(), (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const client = auth.server.registerClient(req.body);
    res.status(201).json(registrationResponse(client));
  });
  router.use('/register', oauthBodyErrors());
  return router;
}
