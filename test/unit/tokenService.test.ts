import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { AuthStore } from '../../src/core/auth/authStore';
import { DEFAULT_LIFETIMES, REFRESH_GRACE_MS, TokenService } from '../../src/core/auth/tokenService';
import { ManualClock } from '../../src/core/clock';
import { HttpError } from '../../src/core/httpError';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';

const RESOURCE = 'http://127.0.0.1:3050/mcp';
const invalidGrant = (error: unknown) => error instanceof HttpError && error.code === 'invalid_grant';

function setup(secrets = new MemorySecretStore()) {
  const clock = new ManualClock();
  const store = new AuthStore(secrets);
  store.clients.set('c1', { clientId: 'c1', redirectUris: ['http://127.0.0.1/'], grantTypes: ['authorization_code'], applicationType: 'native', registeredAt: clock.now() });
  const tokens = new TokenService(store, clock, DEFAULT_LIFETIMES);
  const verifier = randomBytes(32).toString('base64url');
  const code = tokens.issueCode({ clientId: 'c1', redirectUri: 'http://127.0.0.1:9/', redirectUriSent: true, challenge: createHash('sha256').update(verifier).digest('base64url'), resource: RESOURCE, tags: ['a', 'b'] });
  const exchange = (overrides: Partial<Parameters<TokenService['exchangeCode']>[0]> = {}) =>
    tokens.exchangeCode({ clientId: 'c1', code, verifier, redirectUri: 'http://127.0.0.1:9/', ...overrides });
  return { clock, store, tokens, exchange };
}

void it('exchanges a code once, for tokens that expire after an hour', () => {
  const { clock, tokens, exchange } = setup();
  const set = exchange();
  assert.deepEqual(set.tags, ['a', 'b']);
  assert.equal(tokens.verifyAccessToken(set.accessToken)?.resource, RESOURCE);
  clock.advance(DEFAULT_LIFETIMES.access * 1000);
  assert.equal(tokens.verifyAccessToken(set.accessToken), undefined);
});

void it('refuses an expired code, a code of another client and a redirect URI that is left out', () => {
  const expired = setup();
  expired.clock.advance(DEFAULT_LIFETIMES.code * 1000);
  assert.throws(() => expired.exchange(), invalidGrant);
  assert.throws(() => setup().exchange({ clientId: 'c2' }), invalidGrant);
  assert.throws(() => setup().exchange({ redirectUri: undefined }), invalidGrant);
});

void it('revokes the tokens of a code presented twice (RFC 6749 §4.1.2)', () => {
  const { tokens, exchange } = setup();
  const set = exchange();
  assert.throws(() => exchange(), invalidGrant);
  assert.equal(tokens.verifyAccessToken(set.accessToken), undefined);
});

void it('rotates refresh tokens, answers a concurrent duplicate alike, and revokes the family on later reuse', () => {
  const { clock, tokens, exchange } = setup();
  const first = exchange();
  const second = tokens.refresh('c1', first.refreshToken);
  assert.notEqual(second.refreshToken, first.refreshToken);
  const duplicate = tokens.refresh('c1', first.refreshToken);
  assert.equal(duplicate.refreshToken, second.refreshToken, 'a concurrent refresh gets the same successor');
  clock.advance(REFRESH_GRACE_MS + 1);
  assert.throws(() => tokens.refresh('c1', first.refreshToken), invalidGrant);
  assert.equal(tokens.verifyAccessToken(second.accessToken), undefined, 'the whole family is revoked');
  assert.throws(() => tokens.refresh('c1', second.refreshToken), invalidGrant);
});

void it('narrows a refreshed access token to the tags asked for, never widens it', () => {
  const { tokens, exchange } = setup();
  const first = exchange();
  const narrow = tokens.refresh('c1', first.refreshToken, { tags: ['a'] });
  assert.deepEqual(tokens.verifyAccessToken(narrow.accessToken)?.tags, ['a']);
  assert.throws(() => tokens.refresh('c1', narrow.refreshToken, { tags: ['c'] }), (e: unknown) => e instanceof HttpError && e.code === 'invalid_scope');
});

void it('revokes an access token alone, or a refresh token with its grant, only for its own client', () => {
  const { tokens, exchange } = setup();
  const set = exchange();
  assert.equal(tokens.revoke('someone-else', set.accessToken), false);
  assert.equal(tokens.revoke('c1', set.accessToken), true);
  assert.equal(tokens.verifyAccessToken(set.accessToken), undefined);
  const again = tokens.refresh('c1', set.refreshToken);
  assert.equal(tokens.revoke('c1', again.refreshToken), true);
  assert.equal(tokens.verifyAccessToken(again.accessToken), undefined);
});

void it('persists only hashes and reloads them', async () => {
  const secrets = new MemorySecretStore();
  const { clock, store, exchange } = setup(secrets);
  const set = exchange();
  await store.save(clock.now());
  const text = (await secrets.get('onemcp.auth.v1')) ?? '';
  assert.ok(!text.includes(set.accessToken) && !text.includes(set.refreshToken));
  const reloaded = new AuthStore(secrets);
  await reloaded.load();
  assert.equal(new TokenService(reloaded, clock, DEFAULT_LIFETIMES).verifyAccessToken(set.accessToken)?.clientId, 'c1');
});
