import { Router } from 'express';
import * as z from 'zod';
import { HttpError } from '../../httpError';
import { formBody, oauthBodyErrors, oauthParams } from './oauthBody';
import type { OAuthContext } from './oauthContext';
import { rateLimit } from './rateLimit';

const param = z.string().min(1).max(4096);
const revokeSchema = z.object({ token: param, token_type_hint: z.string().max(100).optional(), client_id: param });

/**
 * `POST /revoke` (RFC 7009): revokes an access token, or a refresh token with its whole grant. Answers
 * 200 for tokens it does not know or that belong to another client, as §2.2 asks.
 */
export function revokeRoute(auth: OAuthContext): Router {
  const router = Router();
  router.post('/revoke', rateLimit(auth.rateLimit, auth.clock), formBody(), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const params = oauthParams(revokeSchema, req.body);
    if (!auth.server.client(params.client_id)) throw new HttpError(400, 'invalid_client', 'Unknown client_id');
    await auth.server.revoke(params.client_id, params.token);
    res.status(200).end();
  });
  router.use('/revoke', oauthBodyErrors());
  return router;
}
