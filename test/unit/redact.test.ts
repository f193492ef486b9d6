import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../src/core/redact';

describe('cutting secrets out of what backends write', () => {
  it('cuts values named like secrets, keeping names, quotes and authorization schemes', () => {
    const cases: [string, string][] = [
      ['Error: OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwx is invalid', 'Error: OPENAI_API_KEY=[redacted] is invalid'],
      ['password=hunter2 user=bob', 'password=[redacted] user=bob'],
      ['{"password": "hunter2", "user": "bob"}', '{"password": "[redacted]", "user": "bob"}'],
      ['boom: missing API key (API_KEY=abc123)', 'boom: missing API key (API_KEY=[redacted])'],
      ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
      ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
      ['sent header x-api-key: 12345', 'sent header x-api-key: [redacted]'],
      ['run with --api-key abc123 --verbose', 'run with --api-key [redacted] --verbose'],
      ['https://api.example.com/v1?api_key=abcd1234&x=1', 'https://api.example.com/v1?api_key=[redacted]&x=1'],
      ['GITHUB_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'GITHUB_TOKEN: [redacted]'],
    ];
    for (const [text, expected] of cases) assert.equal(redactSecrets(text), expected, text);
  });

  it('cuts bearer values, URL passwords, well-known key shapes and long hex or base64 runs anywhere', () => {
    const cases: [string, string][] = [
      ['retrying with Bearer eyJhbGciOiJIUzI1NiJ9', 'retrying with Bearer [redacted]'],
      ['connecting to postgres://admin:s3cret@db.local:5432/app', 'connecting to postgres://admin:[redacted]@db.local:5432/app'],
      ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig ok', 'jwt [redacted] ok'],
      ['using key sk-proj-abcdefghijklmnop1234', 'using key [redacted]'],
      ['aws AKIAABCDEFGHIJKLMNOP here', 'aws [redacted] here'],
      ['key 0123456789abcdef0123456789abcdef01 rejected', 'key [redacted] rejected'],
      ['blob QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODk= ok', 'blob [redacted] ok'],
    ];
    for (const [text, expected] of cases) assert.equal(redactSecrets(text), expected, text);
  });

  it('leaves ordinary messages, paths, ids and auth-params alone', () => {
    for (const text of [
      'boom: missing API key',
      'token expired',
      'author: Ada',
      'Basic auth failed',
      'WWW-Authenticate: Bearer realm="x", error="invalid_token"',
      'at /home/user/projects/some-long-directory-name/dist/index.js:12',
      'session 123e4567-e89b-12d3-a456-426614174000 closed',
      "Error: Cannot find module '/nonexistent/server.js'",
    ]) {
      assert.equal(redactSecrets(text), text);
    }
  });
});
