import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config/parseConfig';
import { secretValuesOf } from '../../src/core/config/secretValues';
import { createStreamLogger, cuttingLogger } from '../../src/core/logger';
import { redactSecrets, SecretValues } from '../../src/core/redact';

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

  it('leaves what it cut as it is when it redacts again', () => {
    for (const text of ['token=abc123def', 'Authorization: Bearer abc.def-ghi', 'x password="abc" y', '--api-key abc123 --verbose', 'postgres://admin:s3cret@db.local/app', 'Authorization: "Bearer abc"']) {
      const once = redactSecrets(text);
      assert.notEqual(once, text);
      assert.equal(redactSecrets(once), once, text);
    }
  });
});

describe('the secret values of the running config', () => {
  const server = (entry: object) => {
    const found = parseConfig(JSON.stringify({ mcpServers: { s: entry } }), '/x/mcp.json').servers[0];
    assert.ok(found);
    return found;
  };

  it('come from env, headers, URL credentials and token-like query parameters, and the OAuth client secret', () => {
    const values = secretValuesOf(server({
      url: 'https://user:pa%24%24word@api.example.com/mcp?access_token=tok-123456&page=2&code=code-98765',
      headers: { Authorization: 'Bearer abcdef123', 'X-Api-Key': 'key-777777', Accept: 'application/json' },
      env: { GITHUB_TOKEN: 'ghp-like-value', PATH: '/usr/local/bin', SERVER_NAME: 'looper', LOG_LEVEL: 'verbose', DATABASE_URL: 'postgres://db:dbpass99@host/x', API_BASE: 'https://api.example.com' },
      oauth: { clientId: 'id', clientSecret: 'client-secret-1' },
    }));
    for (const expected of ['pa%24%24word', 'pa$$word', 'tok-123456', 'code-98765', 'Bearer abcdef123', 'abcdef123', 'key-777777', 'ghp-like-value', 'dbpass99', 'client-secret-1']) {
      assert.ok(values.includes(expected), `${expected} in ${values.join(', ')}`);
    }
    for (const plain of ['2', 'application/json', '/usr/local/bin', 'looper', 'verbose', 'https://api.example.com', 'postgres://db:dbpass99@host/x']) assert.ok(!values.includes(plain), plain);
  });

  it('are cut out wherever they appear (URL-encoded too), leaving short values and text already cut alone', () => {
    const secrets = new SecretValues();
    secrets.remember('server:a', ['s3cr3t/v+l', 'true', '12345']);
    assert.equal(secrets.cutKnown('got s3cr3t/v+l, s3cr3t%2Fv%2Bl, true and 12345'), 'got [redacted], [redacted], true and 12345');
    assert.equal(secrets.redact('token: s3cr3t/v+l'), 'token: [redacted]', 'once, not [redacted]]');
    secrets.remember('server:a', ['another-one']);
    assert.equal(secrets.cutKnown('s3cr3t/v+l another-one'), 's3cr3t/v+l [redacted]', 'a server\'s values are replaced when its config is resolved again');
  });

  it('are cut out of every log line, whatever the level and however the value is passed', () => {
    const lines: string[] = [];
    const secrets = new SecretValues();
    secrets.remember('input:key', ['hunter2-secret']);
    const logger = cuttingLogger(createStreamLogger('trace', (line) => lines.push(line)), (text) => secrets.cutKnown(text));
    logger.trace('t hunter2-secret');
    logger.debug('d', new Error('e hunter2-secret'));
    logger.error(new Error('stack hunter2-secret'));
    logger.info('i', { nested: 'hunter2-secret' });
    assert.equal(lines.length, 4);
    assert.ok(lines.every((line) => !line.includes('hunter2-secret') && line.includes('[redacted]')), lines.join(''));
  });
});
