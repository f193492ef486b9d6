import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseClientRegistration, REGISTRATION_LIMITS, registrationResponse } from '../../src/core/auth/clientRegistration';
import { HttpError } from '../../src/core/httpError';

const code = (expected: string) => (e: unknown) => e instanceof HttpError && e.status === 400 && e.code === expected;

void it('registers every client as public, keeping only the grant types it supports', () => {
  const client = parseClientRegistration(
    { redirect_uris: ['http://127.0.0.1/'], grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'], token_endpoint_auth_method: 'client_secret_basic', logo_uri: 'https://x/' },
    Date.UTC(2030, 0, 1),
  );
  const response = registrationResponse(client);
  assert.equal(response.token_endpoint_auth_method, 'none');
  assert.equal(response.client_secret, undefined);
  assert.deepEqual(response.grant_types, ['authorization_code']);
  assert.equal(response.client_id_issued_at, Date.UTC(2030, 0, 1) / 1000);
  assert.equal(client.applicationType, 'native');
});

void it('refuses metadata it cannot honour (RFC 7591 §3.2.2)', () => {
  assert.throws(() => parseClientRegistration({}, 0), code('invalid_client_metadata'));
  assert.throws(() => parseClientRegistration({ redirect_uris: [] }, 0), code('invalid_client_metadata'));
  assert.throws(() => parseClientRegistration({ redirect_uris: ['http://127.0.0.1/'], grant_types: ['client_credentials'] }, 0), code('invalid_client_metadata'));
  assert.throws(() => parseClientRegistration({ redirect_uris: ['http://127.0.0.1/'], response_types: ['token'] }, 0), code('invalid_client_metadata'));
  assert.throws(() => parseClientRegistration({ redirect_uris: ['http://evil.example/'] }, 0), code('invalid_redirect_uri'));
});

void it('keeps control characters out of client names (they reach the log)', () => {
  const client = parseClientRegistration({ redirect_uris: ['http://127.0.0.1/'], client_name: 'Evil\n2030-01-01 INFO forged\u001b[31m' }, 0);
  assert.equal(client.clientName, 'Evil 2030-01-01 INFO forged [31m');
});

void it('strips what reorders or hides text from client names, and refuses a name with nothing left', () => {
  const client = parseClientRegistration({ redirect_uris: ['http://127.0.0.1/'], client_name: '\u202EClaude\u200B Code\u2066' }, 0);
  assert.equal(client.clientName, 'Claude Code');
  assert.throws(() => parseClientRegistration({ redirect_uris: ['http://127.0.0.1/'], client_name: '\u200B\u202E' }, 0), code('invalid_client_metadata'));
});

void it('bounds what one registration holds, and says which limit it passed', () => {
  const L = REGISTRATION_LIMITS;
  const uri = (n: number) => `http://127.0.0.1/${'p'.repeat(n - 'http://127.0.0.1/'.length)}`;
  const fine = {
    redirect_uris: Array.from({ length: L.redirectUris }, (_, i) => `${uri(L.redirectUriLength - 4)}${String(i).padStart(4, '0')}`),
    client_name: 'n'.repeat(L.clientNameLength),
    scope: 's'.repeat(L.scopeLength),
    software_id: 'i'.repeat(L.wordLength),
  };
  const client = parseClientRegistration(fine, 0);
  assert.equal(client.redirectUris.length, L.redirectUris);
  assert.ok(JSON.stringify(client).length < 8 * 1024, 'a registration at every limit stays under 8 KB');
  const over: [object, RegExp][] = [
    [{ redirect_uris: [...fine.redirect_uris, uri(30)] }, /^redirect_uris: at most 10 redirect URIs$/],
    [{ redirect_uris: [uri(L.redirectUriLength + 1)] }, /^redirect_uris\.0: at most 512 characters per redirect URI$/],
    [{ ...fine, client_name: 'n'.repeat(L.clientNameLength + 1) }, /^client_name: at most 100 characters$/],
    [{ ...fine, scope: 's'.repeat(L.scopeLength + 1) }, /^scope: at most 1024 characters$/],
    [{ ...fine, grant_types: Array.from({ length: L.words + 1 }, () => 'authorization_code') }, /^grant_types: at most 10 entries$/],
    [{ ...fine, software_version: 'v'.repeat(L.wordLength + 1) }, /^software_version: at most 100 characters$/],
  ];
  for (const [body, message] of over) {
    assert.throws(() => parseClientRegistration(body, 0), (e: unknown) => code('invalid_client_metadata')(e) && message.test((e as Error).message), String(message));
  }
  const kept = parseClientRegistration({ ...fine, logo_uri: 'https://x/'.repeat(1000), contacts: ['a@b'], jwks: { keys: [] } }, 0);
  assert.deepEqual(Object.keys(kept).sort(), ['applicationType', 'clientId', 'clientName', 'clientUri', 'grantTypes', 'redirectUris', 'registeredAt', 'scope', 'softwareId', 'softwareVersion']);
});
