import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import type { RateLimitOptions } from '../../auth/authOptions';
import type { AuthorizationServer } from '../../auth/authorizationServer';
import type { Clock } from '../../clock';
import type { BackendSelector } from '../../filter/selector';
import { hostOfHostHeader } from '../hostGuard';

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
 * The agent's public base URL: the external URL when configured, else this agent's own address as the
 * caller named it: the host of its `Host` (the Host guard has checked that it is one of ours) and the
 * port the connection came in on. The port is never the caller's word, so a token minted by another
 * agent of this machine names another resource (RFC 8707), whatever `Host` says. Clients compare the
 * advertised `/mcp` resource with the URL they used, so the host must be theirs (RFC 9728 §3.3).
 */
export function publicBaseUrl(req: IncomingMessage, externalUrl?: string): string {
  if (externalUrl) return externalUrl.replace(/\/+$/, '');
  return `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${hostOfHostHeader(req.headers.host) ?? ''}:${req.socket.localPort ?? ''}`;
}

/** The `/mcp` URL: the protected resource, and the audience every token is bound to (RFC 8707). */
export function mcpResourceUrl(req: IncomingMessage, externalUrl?: string): string {
  return `${publicBaseUrl(req, externalUrl)}/mcp`;
}

/** Where the protected resource metadata for `/mcp` is (RFC 9728 §3.1). */
export function resourceMetadataUrl(req: IncomingMessage, externalUrl?: string): string {
  return `${publicBaseUrl(req, externalUrl)}/.well-known/oauth-protected-resource/mcp`;
}
