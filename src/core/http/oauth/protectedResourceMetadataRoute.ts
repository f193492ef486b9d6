import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { Router } from 'express';
import { tagScopes } from '../../auth/scopes';
import { AGENT_NAME } from '../../version';
import { mcpResourceUrl, publicBaseUrl, type OAuthContext } from './oauthContext';

/**
 * `GET /.well-known/oauth-protected-resource/mcp`: RFC 9728 metadata for the `/mcp` endpoint. Its
 * `resource` is exactly the `/mcp` URL the client used (§3.3; VS Code refuses anything else).
 */
export function protectedResourceMetadataRoute(auth: OAuthContext): Router {
  const router = Router();
  router.get('/.well-known/oauth-protected-resource/mcp', (req, res) => {
    const metadata: OAuthProtectedResourceMetadata = {
      resource: mcpResourceUrl(req, auth.externalUrl),
      authorization_servers: [publicBaseUrl(req, auth.externalUrl)],
      scopes_supported: tagScopes(auth.server.availableTags()),
      bearer_methods_supported: ['header'],
      resource_name: AGENT_NAME,
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(metadata);
  });
  return router;
}
