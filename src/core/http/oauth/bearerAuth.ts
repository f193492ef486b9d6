import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { AccessGrant } from '../../auth/tokenService';
import { mcpResourceUrl, type OAuthContext } from './oauthContext';
import { unauthorized } from './wwwAuthenticate';

/** RFC 6750 §2.1: `Bearer` and a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Guards `/mcp`, `/sse` and `/messages`: the request must carry a live access token bound to this
 * `/mcp` resource (RFC 8707), else 401 with a challenge (RFC 6750 §3; never a 500). The grant is
 * kept on the response for {@link grantOwner} and the scope check.
 */
export function bearerAuth(auth: OAuthContext): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const tags = scopeHint(req, auth);
    if (!header || !/^Bearer\b/i.test(header)) throw unauthorized(req, auth, { tags });
    const grant = liveGrant(req, auth);
    if (!grant) throw unauthorized(req, auth, { error: 'invalid_token', description: 'The access token is invalid or has expired', tags });
    if (grant.resource !== mcpResourceUrl(req, auth.externalUrl)) {
      throw unauthorized(req, auth, { error: 'invalid_token', description: 'The access token was issued for another resource', tags });
    }
    res.locals.oauthGrant = grant;
    next();
  };
}

/** The grant of the request's bearer token if it is live; whether it is for this resource is the caller's check. */
function liveGrant(req: IncomingMessage, auth: OAuthContext): AccessGrant | undefined {
  const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
  return token === undefined ? undefined : auth.server.verifyAccessToken(token);
}

/** The grant {@link bearerAuth} would accept for this request, or undefined where it would refuse it. */
export function acceptedGrant(req: IncomingMessage, auth: OAuthContext): AccessGrant | undefined {
  const grant = liveGrant(req, auth);
  return grant && grant.resource === mcpResourceUrl(req, auth.externalUrl) ? grant : undefined;
}

/** The grant of the request's bearer token, once {@link bearerAuth} has accepted it. */
export function grantOf(res: Response): AccessGrant | undefined {
  return res.locals.oauthGrant as AccessGrant | undefined;
}

/**
 * Who owns a session: the client and the grant its token belongs to. A session opened under one grant
 * is not usable with another client's token, nor with a later, narrower grant of the same client.
 */
export function grantOwner(res: Response): string | undefined {
  const grant = grantOf(res);
  return grant && sessionOwner(grant);
}

/** The session owner string for a client's grant. */
export function sessionOwner(grant: { readonly clientId: string; readonly grantId: string }): string {
  return `${grant.clientId}/${grant.grantId}`;
}

/**
 * The tags to name in a challenge: those the request selects, else every configured tag. A selector
 * that selects nothing valid (an unknown preset, a malformed expression) is the 400 it is, token or not.
 */
function scopeHint(req: Request, auth: OAuthContext): readonly string[] {
  const referenced = auth.requestedSelector(req).referencedTags;
  return referenced.length > 0 ? referenced : auth.server.availableTags();
}
