import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { HttpError } from '../httpError';
import type { AuthStore, CodeRecord, GrantRecord } from './authStore';
import { hashSecret, newSecret, verifyPkceS256 } from './tokenCrypto';

/** Lifetimes, in seconds. */
export interface TokenLifetimes {
  /** Authorization codes (default 60; RFC 6749 §4.1.2 recommends at most 600). */
  readonly code: number;
  /** Access tokens (default 3600). */
  readonly access: number;
  /** Refresh tokens, renewed on each rotation (default 30 days). */
  readonly refresh: number;
}

export const DEFAULT_LIFETIMES: TokenLifetimes = { code: 60, access: 3600, refresh: 30 * 24 * 3600 };

/** What a successful token request returns. */
export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly tags: readonly string[];
}

/** What a valid access token stands for. */
export interface AccessGrant {
  readonly clientId: string;
  readonly grantId: string;
  readonly tags: readonly string[];
  readonly resource: string;
  readonly expiresAt: number;
}

/** What an approved authorization request turns into a code. */
export type CodeRequest = Omit<CodeRecord, 'expiresAt' | 'used' | 'grantId'>;

export interface CodeExchange {
  readonly clientId: string;
  readonly code: string;
  readonly verifier: string;
  readonly redirectUri?: string;
  readonly resource?: string;
}

/** How long after a rotation the previous refresh token may be presented again by a concurrent request. */
export const REFRESH_GRACE_MS = 30_000;

/** Rotated-out refresh tokens remembered per grant for reuse detection. */
const MAX_USED_REFRESH_HASHES = 100;

const invalidGrant = (message: string): HttpError => new HttpError(400, 'invalid_grant', message);

/**
 * Codes, tokens and refresh rotation over the {@link AuthStore}. Secrets leave here once, in the
 * response, and are kept only as hashes. Callers persist the store after each change.
 */
export class TokenService {
  private readonly rotationKey = randomBytes(32);

  constructor(private readonly store: AuthStore, private readonly clock: Clock, private readonly lifetimes: TokenLifetimes) {}

  /** Mints a single-use authorization code for an approved request. */
  issueCode(request: CodeRequest): string {
    const code = newSecret();
    this.store.codes.set(hashSecret(code), { ...request, expiresAt: this.clock.now() + this.lifetimes.code * 1000, used: false });
    return code;
  }

  /**
   * Exchanges a code (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3): single use, unexpired, same client and redirect
   * URI, PKCE verified (RFC 7636 §4.6), same resource (RFC 8707 §2.2). A code presented twice also
   * revokes what it was exchanged for (RFC 6749 §4.1.2).
   */
  exchangeCode(request: CodeExchange): TokenSet {
    const code = this.store.codes.get(hashSecret(request.code));
    if (!code) throw invalidGrant('The authorization code is not valid');
    if (code.used) {
      if (code.grantId) this.store.deleteGrant(code.grantId);
      throw invalidGrant('The authorization code was already used; the tokens issued for it are revoked');
    }
    code.used = true;
    if (code.expiresAt <= this.clock.now()) throw invalidGrant('The authorization code has expired');
    if (code.clientId !== request.clientId) throw invalidGrant('The authorization code was issued to another client');
    if (request.redirectUri !== undefined ? request.redirectUri !== code.redirectUri : code.redirectUriSent) {
      throw invalidGrant('redirect_uri does not match the authorization request');
    }
    if (request.resource !== undefined && request.resource !== code.resource) throw invalidGrant('resource does not match the authorization request');
    if (!verifyPkceS256(request.verifier, code.challenge)) throw invalidGrant('code_verifier does not match the code_challenge');
    if (!this.store.clients.has(code.clientId)) throw invalidGrant('The client is no longer registered');
    const { tokens, grant } = this.issueGrant(code.clientId, code.tags, code.resource);
    code.grantId = grant.id;
    return tokens;
  }

  /** Starts a new grant (refresh token family) with its first tokens. */
  issueGrant(clientId: string, tags: readonly string[], resource: string): { tokens: TokenSet; grant: GrantRecord } {
    const now = this.clock.now();
    const refreshToken = newSecret();
    const grant: GrantRecord = {
      id: randomUUID(),
      clientId,
      tags: [...tags],
      resource,
      createdAt: now,
      lastUsedAt: now,
      refreshHash: hashSecret(refreshToken),
      refreshExpiresAt: now + this.lifetimes.refresh * 1000,
      usedRefreshHashes: [],
    };
    this.store.addGrant(grant);
    return { tokens: { ...this.issueAccessToken(grant, grant.tags), refreshToken }, grant };
  }

  /**
   * The refresh_token grant (OAuth 2.1 §4.3) with rotation: each use returns a new refresh token, and
   * presenting a rotated-out one revokes the whole family (OAuth 2.1 §4.3.1, Security BCP §4.14.2).
   * One exception keeps honest clients working: a client that refreshes twice at once (the SDK does,
   * when a request and its event stream both meet an expired token) presents the same token twice;
   * within {@link REFRESH_GRACE_MS} of its rotation the previous token gets the same successor again.
   * `tags`, when given, narrow the new access token and must lie within the grant (RFC 6749 §6).
   */
  refresh(clientId: string, refreshToken: string, options: { resource?: string; tags?: readonly string[] } = {}): TokenSet & { grant: GrantRecord } {
    const hash = hashSecret(refreshToken);
    const grant = this.store.grants.get(this.store.refreshIndex.get(hash) ?? '');
    if (!grant || grant.clientId !== clientId) throw invalidGrant('The refresh token is not valid');
    const now = this.clock.now();
    const next = this.successorOf(refreshToken);
    const current = grant.refreshHash === hash;
    const concurrent = !current && grant.usedRefreshHashes.at(-1) === hash && grant.refreshHash === hashSecret(next) && now - grant.lastUsedAt <= REFRESH_GRACE_MS;
    if (!current && !concurrent) {
      this.store.deleteGrant(grant.id);
      throw invalidGrant('The refresh token was already used; every token of this grant is revoked');
    }
    if (grant.refreshExpiresAt <= now) {
      this.store.deleteGrant(grant.id);
      throw invalidGrant('The refresh token has expired');
    }
    if (options.resource !== undefined && options.resource !== grant.resource) throw new HttpError(400, 'invalid_target', 'resource does not match the grant');
    const outside = options.tags?.filter((t) => !grant.tags.includes(t)) ?? [];
    if (outside.length > 0) throw new HttpError(400, 'invalid_scope', `The grant does not include tag(s): ${outside.join(', ')}`);
    if (current) {
      const used = [...grant.usedRefreshHashes, hash];
      for (const forgotten of used.splice(0, used.length - MAX_USED_REFRESH_HASHES)) this.store.refreshIndex.delete(forgotten);
      grant.usedRefreshHashes = used;
      grant.refreshHash = hashSecret(next);
      grant.refreshExpiresAt = now + this.lifetimes.refresh * 1000;
      grant.lastUsedAt = now;
      this.store.addGrant(grant);
    }
    return { ...this.issueAccessToken(grant, options.tags ?? grant.tags), refreshToken: next, grant };
  }

  /**
   * The refresh token that replaces `refreshToken`: an HMAC under a key that lives only in this
   * process, so a concurrent duplicate refresh can be answered alike without keeping any token.
   */
  private successorOf(refreshToken: string): string {
    return createHmac('sha256', this.rotationKey).update(refreshToken, 'utf8').digest('base64url');
  }

  /** The grant behind a live access token, or undefined for anything else. */
  verifyAccessToken(token: string): AccessGrant | undefined {
    const record = this.store.accessTokens.get(hashSecret(token));
    if (!record || record.expiresAt <= this.clock.now()) return undefined;
    const grant = this.store.grants.get(record.grantId);
    if (!grant) return undefined;
    return { clientId: grant.clientId, grantId: grant.id, tags: record.tags, resource: grant.resource, expiresAt: record.expiresAt };
  }

  /**
   * RFC 7009 §2.1: revokes an access token, or a refresh token with its whole grant, if it belongs to
   * `clientId`. Unknown tokens are ignored, as §2.2 asks. Returns whether anything was revoked.
   */
  revoke(clientId: string, token: string): boolean {
    const hash = hashSecret(token);
    const access = this.store.accessTokens.get(hash);
    if (access && this.store.grants.get(access.grantId)?.clientId === clientId) return this.store.accessTokens.delete(hash);
    const grantId = this.store.refreshIndex.get(hash);
    if (grantId && this.store.grants.get(grantId)?.clientId === clientId) {
      this.store.deleteGrant(grantId);
      return true;
    }
    return false;
  }

  private issueAccessToken(grant: GrantRecord, tags: readonly string[]): Omit<TokenSet, 'refreshToken'> {
    const accessToken = newSecret();
    this.store.accessTokens.set(hashSecret(accessToken), { grantId: grant.id, tags: [...tags], expiresAt: this.clock.now() + this.lifetimes.access * 1000 });
    return { accessToken, expiresIn: this.lifetimes.access, tags };
  }
}
