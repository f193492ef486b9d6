import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new opaque secret (token, code, handle): 256 random bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The form in which a token, code or refresh token is stored: SHA-256, base64url. The secrets are 256
 * random bits, so a fast unsalted hash is enough; lookups by hash reveal nothing useful through timing,
 * since a caller cannot steer the hash of what they send.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Compares two strings in time independent of where they differ (the lengths may leak). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Checks a PKCE `code_verifier` against its S256 `code_challenge` (RFC 7636 §4.6), in constant time. */
export function verifyPkceS256(verifier: string, challenge: string): boolean {
  if (!VERIFIER_PATTERN.test(verifier)) return false;
  return safeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
