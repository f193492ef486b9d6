import { randomUUID } from 'node:crypto';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import * as z from 'zod';
import { HttpError } from '../httpError';
import { displayText } from './displayText';
import { redirectUriProblem } from './redirectUri';

/** Grant types this server issues; others a client asks for (VS Code asks for device_code) are dropped. */
export const SUPPORTED_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

/** A client registered through RFC 7591. Every client is public: it proves itself with PKCE, not a secret. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly clientName?: string;
  readonly clientUri?: string;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly string[];
  readonly applicationType: 'native' | 'web';
  /** The scope it asked for when registering (informational). */
  readonly scope?: string;
  readonly softwareId?: string;
  readonly softwareVersion?: string;
  /** Epoch milliseconds. */
  readonly registeredAt: number;
}

/**
 * What one registration may hold, so that no client takes more than a few kilobytes of the store: of the
 * RFC 7591 §2 metadata only these fields are kept, each bounded; anything else a client sends is ignored.
 */
export const REGISTRATION_LIMITS = {
  redirectUris: 10,
  redirectUriLength: 512,
  clientNameLength: 100,
  clientUriLength: 512,
  scopeLength: 1024,
  /** `software_id`, `software_version`, and each entry of `grant_types` and `response_types`. */
  wordLength: 100,
  /** Entries of `grant_types` and `response_types`. */
  words: 10,
} as const;

const L = REGISTRATION_LIMITS;
const at = (max: number, what: string) => z.string().max(max, `at most ${max} ${what}`);
const word = at(L.wordLength, 'characters');
const words = z.array(word).max(L.words, `at most ${L.words} entries`);

/** RFC 7591 §2 client metadata; unknown fields are ignored, as §2 asks. */
const registrationSchema = z.object({
  redirect_uris: z.array(at(L.redirectUriLength, 'characters per redirect URI')).min(1).max(L.redirectUris, `at most ${L.redirectUris} redirect URIs`),
  // Shown to the user and written to the log: nothing that hides or reorders text, no control characters.
  client_name: z.string().max(4 * L.clientNameLength).transform(displayText).pipe(z.string().min(1).max(L.clientNameLength, `at most ${L.clientNameLength} characters`)).optional(),
  client_uri: at(L.clientUriLength, 'characters').optional(),
  grant_types: words.optional(),
  response_types: words.optional(),
  token_endpoint_auth_method: word.optional(),
  application_type: word.optional(),
  scope: at(L.scopeLength, 'characters').optional(),
  software_id: word.transform(displayText).optional(),
  software_version: word.transform(displayText).optional(),
});

/**
 * Validates a registration request body (RFC 7591 §3.1) into a client record; failures are
 * `invalid_redirect_uri` or `invalid_client_metadata` (§3.2.2). Grant types are narrowed to the ones
 * supported and the client is registered as public (`token_endpoint_auth_method: none`), as §3.2.1 allows.
 */
export function parseClientRegistration(body: unknown, now: number): RegisteredClient {
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'invalid_client_metadata', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const meta = parsed.data;
  for (const uri of meta.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new HttpError(400, 'invalid_redirect_uri', `Redirect URI ${uri} ${problem}`);
  }
  const grantTypes = SUPPORTED_GRANT_TYPES.filter((g) => meta.grant_types?.includes(g) ?? true);
  if (!grantTypes.includes('authorization_code')) throw new HttpError(400, 'invalid_client_metadata', 'grant_types must include authorization_code');
  if (meta.response_types && !meta.response_types.includes('code')) throw new HttpError(400, 'invalid_client_metadata', 'response_types must include code');
  return {
    clientId: randomUUID(),
    clientName: meta.client_name,
    clientUri: meta.client_uri && /^https:\/\//.test(meta.client_uri) && URL.canParse(meta.client_uri) ? meta.client_uri : undefined,
    redirectUris: [...new Set(meta.redirect_uris)],
    grantTypes,
    applicationType: meta.application_type === 'web' ? 'web' : 'native',
    scope: meta.scope,
    softwareId: meta.software_id,
    softwareVersion: meta.software_version,
    registeredAt: now,
  };
}

/** The RFC 7591 §3.2.1 response: the metadata as registered. */
export function registrationResponse(client: RegisteredClient): OAuthClientInformationFull & { application_type: string } {
  return {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.registeredAt / 1000),
    redirect_uris: [...client.redirectUris],
    client_name: client.clientName,
    client_uri: client.clientUri,
    grant_types: [...client.grantTypes],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: client.applicationType,
    scope: client.scope,
    software_id: client.softwareId,
    software_version: client.softwareVersion,
  };
}
