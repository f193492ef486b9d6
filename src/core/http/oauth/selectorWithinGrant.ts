import type { Request, Response } from 'express';
import { restrictToGrant, tagsOutsideGrant } from '../../filter/restrictToGrant';
import type { BackendSelector } from '../../filter/selector';
import { HttpError } from '../../httpError';
import { grantOf } from './bearerAuth';
import type { OAuthContext } from './oauthContext';
import { bearerChallenge, unauthorized } from './wwwAuthenticate';

/**
 * With scope validation, confines the selection a session asks for to the tags its token was granted;
 * a selection naming any other tag is 403 `insufficient_scope` with a challenge naming the scope that
 * would do (RFC 6750 §3.1). Without scope validation a valid token sees what it asks for.
 */
export function selectorWithinGrant(auth: OAuthContext, req: Request, res: Response, requested: BackendSelector): BackendSelector {
  if (!auth.server.scopeValidation) return requested;
  const grant = grantOf(res);
  if (!grant) throw unauthorized(req, auth, { tags: requested.referencedTags });
  const outside = tagsOutsideGrant(requested, grant.tags);
  if (outside.length > 0) {
    const challenge = bearerChallenge(req, auth, {
      error: 'insufficient_scope',
      description: `The token was not granted tag(s): ${outside.join(', ')}`,
      tags: [...new Set([...grant.tags, ...requested.referencedTags])],
    });
    throw new HttpError(403, 'insufficient_scope', `The token was not granted tag(s): ${outside.join(', ')}`, { headers: { 'WWW-Authenticate': challenge } });
  }
  return restrictToGrant(requested, grant.tags);
}
