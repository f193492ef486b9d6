import type { Request } from 'express';
import { scopeOfTags } from '../../auth/scopes';
import { HttpError } from '../../httpError';
import { resourceMetadataUrl, type OAuthContext } from './oauthContext';

export interface Challenge {
  /** RFC 6750 §3.1 error code; absent when the request carried no credentials at all. */
  readonly error?: 'invalid_token' | 'insufficient_scope';
  readonly description?: string;
  /** Tags whose `tag:` scopes the request needs. */
  readonly tags: readonly string[];
}

const quote = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * The `WWW-Authenticate: Bearer` challenge (RFC 6750 §3) with the protected resource metadata URL
 * (RFC 9728 §5.1) and the scope needed (MCP 2025-11-25 Authorization, scope selection).
 */
export function bearerChallenge(req: Request, auth: OAuthContext, challenge: Challenge): string {
  const params: string[] = [];
  if (challenge.error) params.push(`error=${quote(challenge.error)}`);
  if (challenge.description) params.push(`error_description=${quote(challenge.description)}`);
  params.push(`resource_metadata=${quote(resourceMetadataUrl(req, auth.externalUrl))}`);
  params.push(`scope=${quote(scopeOfTags(challenge.tags))}`);
  return `Bearer ${params.join(', ')}`;
}

/** 401 with its challenge; every 401 the agent sends is built here. */
export function unauthorized(req: Request, auth: OAuthContext, challenge: Challenge): HttpError {
  const message = challenge.description ?? 'Authorization required: send an OAuth bearer token';
  return new HttpError(401, challenge.error ?? 'unauthorized', message, { headers: { 'WWW-Authenticate': bearerChallenge(req, auth, challenge) } });
}
