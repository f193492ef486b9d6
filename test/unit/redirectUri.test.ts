import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isLoopbackRedirect, redirectUriMatches, redirectUriProblem } from '../../src/core/auth/redirectUri';

void it('accepts https, loopback http and private-use schemes as redirect URIs', () => {
  for (const uri of ['https://vscode.dev/redirect', 'http://127.0.0.1/', 'http://[::1]:8080/cb', 'http://localhost:33418/', 'cursor://anysphere.cursor-retrieval/oauth/callback']) {
    assert.equal(redirectUriProblem(uri), undefined, uri);
  }
  for (const uri of ['http://example.com/cb', 'javascript:alert(1)', 'data:text/html,x', 'https://a.example/cb#x', 'https://user:pw@a.example/', '/relative']) {
    assert.ok(redirectUriProblem(uri), uri);
  }
});

void it('takes only printable ASCII, so the URI shown is the URI used', () => {
  for (const uri of ['https://app.example/\u202Ebc', 'https://app.example/a\u200Bb', 'com.example.app:/cb\u2066', 'https://app.example/é']) {
    assert.equal(redirectUriProblem(uri), 'must be printable ASCII (percent-encode other characters)', uri);
  }
  assert.equal(redirectUriProblem('https://app.example/%C3%A9'), undefined);
});

void it('tells a redirect back to the browser\'s own machine from one elsewhere', () => {
  for (const uri of ['http://127.0.0.1:33418/callback', 'http://localhost/', 'https://localhost:8443/cb', 'http://[::1]:9/', 'http://127.1.2.3/', 'http://app.localhost/']) {
    assert.equal(isLoopbackRedirect(uri), true, uri);
  }
  for (const uri of ['https://vscode.dev/redirect', 'com.example.app:/callback', 'http://192.0.2.7/cb', 'https://localhost.example/', 'not a url']) {
    assert.equal(isLoopbackRedirect(uri), false, uri);
  }
});

void it('matches loopback redirect URIs on any port and everything else exactly (RFC 8252 §7.3)', () => {
  assert.ok(redirectUriMatches('http://127.0.0.1:51234/', 'http://127.0.0.1/'));
  assert.ok(redirectUriMatches('http://127.0.0.1:51234/', 'http://127.0.0.1:33418/'));
  assert.ok(redirectUriMatches('http://[::1]:9/cb?x=1', 'http://[::1]/cb?x=1'));
  assert.ok(!redirectUriMatches('http://localhost:51234/', 'http://127.0.0.1/'), 'the host must match');
  assert.ok(!redirectUriMatches('http://127.0.0.1:51234/other', 'http://127.0.0.1/'), 'the path must match');
  assert.ok(!redirectUriMatches('http://127.0.0.1:1/?a=2', 'http://127.0.0.1/?a=1'), 'the query must match');
  assert.ok(!redirectUriMatches('https://vscode.dev:444/redirect', 'https://vscode.dev/redirect'), 'no port freedom off loopback');
  assert.ok(!redirectUriMatches('https://vscode.dev/redirect/', 'https://vscode.dev/redirect'));
  assert.ok(redirectUriMatches('https://vscode.dev/redirect', 'https://vscode.dev/redirect'));
});
