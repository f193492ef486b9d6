import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseClientRegistration, registrationResponse } from '../../src/core/auth/clientRegistration';
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
