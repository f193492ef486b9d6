import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import type { RateLimitOptions } from '../../auth/authOptions';
import type { AuthorizationServer } from '../../auth/authorizationServer';
import type { Clock } from '../../clock';
import type { BackendSelector } from '../../filter/selector';

/** What the OAuth routes and the bearer middleware need; present in HttpContext only when auth is on. */
export interface OAuthContext {
  readonly server: AuthorizationServer;
  /** `--external-url`: when set, every URL the agent advertises starts with it. */
  readonly externalUrl?: string;
  readonly rateLimit: RateLimitOptions;
  readonly clock: Clock;
  /** The backend selection a request asks for by its query string, before any grant applies. */
  requestedSelector(req: Request): BackendSelector;
}

/**
 * The agent's public base URL as this caller sees it: the external URL when configured, else the
 * scheme and Host the request came in on (the Host guard has already vetted it). Clients compare
 * the advertised `/mcp` resource with the URL they used, so it must be theirs (RFC 9728 §3.3).
 */
export function publicBaseUrl(req: IncomingMessage, externalUrl?: string): string {
  if (externalUrl) return externalUrl.replace(/\/+$/, '');
  return `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}

/** The `/mcp` URL: the protected resource, and the audience every token is bound to (RFC 8707). */
export function mcpResourceUrl(req: IncomingMessage, externalUrl?: string): string {
  return `${publicBaseUrl(req, externalUrl)}/mcp`;
}

/** Where the protected resource metadata for `/mcp` is (RFC 9728 §3.1). */
export function resourceMetadataUrl(req: IncomingMessage, externalUrl?: string): string {
  return `${publicBaseUrl(req, externalUrl)}/.well-known/oauth-protected-resource/mcp`;
}
