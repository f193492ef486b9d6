import { Router, type Request } from 'express';
import * as z from 'zod';
import { scopeOfTags, tagsOfScope } from '../../auth/scopes';
import type { TokenSet } from '../../auth/tokenService';
import { HttpError } from '../../httpError';
import { formBody, oauthBodyErrors, oauthParams } from './oauthBody';
import { mcpResourceUrl, type OAuthContext } from './oauthContext';
import { rateLimit } from './rateLimit';

const param = z.string().min(1).max(4096);
const baseSchema = z.object({ grant_type: param, client_id: param });
const codeSchema = z.object({ code: param, code_verifier: param, redirect_uri: param.optional(), resource: param.optional() });
const refreshSchema = z.object({ refresh_token: param, scope: z.string().max(4096).optional(), resource: param.optional() });

/**
 * `POST /token` (OAuth 2.1 §3.2): the `authorization_code` and `refresh_token` grants for public
 * clients, which identify themselves by `client_id` and prove possession with PKCE. Every response,
 * errors included, is `no-store` (RFC 6749 §5.1).
 */
export function tokenRoute(auth: OAuthContext): Router {
  const router = Router();
  router.post('/token', rateLimit(auth.rateLimit, auth.clock), (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  }, formBody(), async (req, res) => {
    const { grant_type: grantType, client_id: clientId } = oauthParams(baseSchema, req.body);
    if (!auth.server.client(clientId)) throw new HttpError(400, 'invalid_client', 'Unknown client_id');
    let tokens: TokenSet;
    if (grantType === 'authorization_code') {
      const params = oauthParams(codeSchema, req.body);
      checkResource(req, auth, params.resource);
      tokens = await auth.server.exchangeCode({ clientId, code: params.code, verifier: params.code_verifier, redirectUri: params.redirect_uri, resource: params.resource });
    } else if (grantType === 'refresh_token') {
      const params = oauthParams(refreshSchema, req.body);
      checkResource(req, auth, params.resource);
      // A scope naming tags narrows the new access token (RFC 6749 §6); one naming none changes nothing.
      const tags = tagsOfScope(params.scope);
      tokens = await auth.server.refresh(clientId, params.refresh_token, { resource: params.resource, tags: tags.length > 0 ? tags : undefined });
    } else {
      throw new HttpError(400, 'unsupported_grant_type', 'Only authorization_code and refresh_token are supported');
    }
    res.json({
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      refresh_token: tokens.refreshToken,
      scope: scopeOfTags(tokens.tags),
    });
  });
  router.use('/token', oauthBodyErrors());
  return router;
}

/** RFC 8707 §2: the only resource this server issues tokens for is its own `/mcp` endpoint. */
function checkResource(req: Request, auth: OAuthContext, resource: string | undefined): void {
  if (resource !== undefined && resource !== mcpResourceUrl(req, auth.externalUrl)) {
    throw new HttpError(400, 'invalid_target', `This server issues tokens only for its /mcp endpoint`);
  }
}
