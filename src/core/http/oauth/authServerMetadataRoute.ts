import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { Router } from 'express';
import { SUPPORTED_GRANT_TYPES } from '../../auth/clientRegistration';
import { tagScopes } from '../../auth/scopes';
import { publicBaseUrl, type OAuthContext } from './oauthContext';

/**
 * `GET /.well-known/oauth-authorization-server`: RFC 8414 metadata. `scopes_supported` lists the
 * `tag:` scopes of the current config, so it follows config reloads.
 */
export function authServerMetadataRoute(auth: OAuthContext): Router {
  const router = Router();
  router.get('/.well-known/oauth-authorization-server', (req, res) => {
    const issuer = publicBaseUrl(req, auth.externalUrl);
    const metadata: OAuthMetadata & { authorization_response_iss_parameter_supported: boolean } = {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`,
      revocation_endpoint: `${issuer}/revoke`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: [...SUPPORTED_GRANT_TYPES],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: tagScopes(auth.server.availableTags()),
      // RFC 9207 §3: the authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(metadata);
  });
  return router;
}
