// Where a request came from, who counts as one requester, what Host may say, and how a client's name
// is shown. Pure functions.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { displayText } from '../../src/core/auth/displayText';
import { describeRequestOrigin, requesterOf, samePeer } from '../../src/core/auth/requestOrigin';
import { hostOfHostHeader } from '../../src/core/http/hostGuard';
import { requestOriginOf } from '../../src/core/http/oauth/requestOriginOf';
import { networkOf } from '../../src/core/networkPrefix';

/** The two fields the checks read of a request: the socket's remote address and the headers. */
function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('networkOf', () => {
  it('names the /24 of an IPv4 address, mapped or not', () => {
    assert.equal(networkOf('192.0.2.7'), '192.0.2.0/24');
    assert.equal(networkOf('::ffff:192.0.2.200'), '192.0.2.0/24');
    assert.equal(networkOf('127.0.0.11'), '127.0.0.0/24');
  });

  it('names the /56 of an IPv6 address in any spelling', () => {
    assert.equal(networkOf('2001:db8:1:2ff:aaaa::1'), '2001:db8:1:200::/56');
    assert.equal(networkOf('2001:0db8:0001:02ab:0:0:0:1'), '2001:db8:1:200::/56');
    assert.equal(networkOf('2001:db8:1:300::1'), '2001:db8:1:300::/56');
    assert.equal(networkOf('::1'), '0:0:0:0::/56');
    assert.equal(networkOf('fe80::1%eth0'), 'fe80:0:0:0::/56');
    assert.equal(networkOf('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/56');
  });

  it('keeps anything else as it is', () => {
    assert.equal(networkOf('not an address'), 'not an address');
  });
});

describe('requestOriginOf', () => {
  it('is this machine for a loopback socket without forwarding headers', () => {
    assert.deepEqual(requestOriginOf(request('127.0.0.1')), { kind: 'loopback' });
    assert.deepEqual(requestOriginOf(request('::ffff:127.0.0.5')), { kind: 'loopback' });
  });

  it('is the network, with the socket address, for anything else, whatever the headers say', () => {
    assert.deepEqual(requestOriginOf(request('::ffff:192.0.2.7', { host: '127.0.0.1:3050', 'x-forwarded-for': '127.0.0.1' })), { kind: 'network', address: '192.0.2.7' });
    assert.deepEqual(requestOriginOf(request('2001:db8::7')), { kind: 'network', address: '2001:db8::7' });
  });

  it('is relayed for a proxy on this machine, for the last address it added', () => {
    assert.deepEqual(requestOriginOf(request('127.0.0.1', { 'x-forwarded-for': '10.9.9.9, 203.0.113.9' })), { kind: 'relayed', for: '203.0.113.9' });
    assert.deepEqual(requestOriginOf(request('127.0.0.1', { forwarded: 'for=10.9.9.9, for="[2001:db8:cafe::17]:4711";proto=https' })), { kind: 'relayed', for: '2001:db8:cafe::17' });
    assert.deepEqual(requestOriginOf(request('127.0.0.1', { forwarded: 'for="192.0.2.60:4711"' })), { kind: 'relayed', for: '192.0.2.60' });
    assert.deepEqual(requestOriginOf(request('127.0.0.1', { 'x-real-ip': '198.51.100.3' })), { kind: 'relayed', for: '198.51.100.3' });
    assert.deepEqual(requestOriginOf(request('127.0.0.1', { forwarded: 'for=_hidden' })), { kind: 'relayed' }, 'an obfuscated identifier is no address');
  });

  it('says where, counts a network as one requester, and tells peers apart', () => {
    const from = requestOriginOf(request('192.0.2.7'));
    assert.equal(describeRequestOrigin(from), 'the network (192.0.2.7)');
    assert.equal(describeRequestOrigin({ kind: 'loopback' }), 'this machine');
    assert.equal(requesterOf(from), requesterOf({ kind: 'network', address: '192.0.2.99' }));
    assert.notEqual(requesterOf(from), requesterOf({ kind: 'network', address: '192.0.3.7' }));
    assert.equal(requesterOf({ kind: 'loopback' }), 'loopback');
    assert.ok(samePeer(from, { kind: 'network', address: '192.0.2.7' }));
    assert.ok(!samePeer(from, { kind: 'network', address: '192.0.2.8' }), 'the same network is not the same peer');
    assert.ok(!samePeer(from, { kind: 'loopback' }));
    assert.ok(!samePeer({ kind: 'relayed', for: '203.0.113.9' }, { kind: 'loopback' }));
  });
});

describe('hostOfHostHeader', () => {
  it('takes a host and an optional port', () => {
    assert.equal(hostOfHostHeader('127.0.0.1:3050'), '127.0.0.1');
    assert.equal(hostOfHostHeader('LocalHost'), 'localhost');
    assert.equal(hostOfHostHeader('[::1]:3050'), '[::1]');
    assert.equal(hostOfHostHeader('mcp.example.com'), 'mcp.example.com');
  });

  it('refuses anything more: a path, credentials, a query, a second value, a bad port', () => {
    for (const host of ['127.0.0.1:3050/evil', 'user@127.0.0.1', '127.0.0.1?x', '127.0.0.1, evil.example', '127.0.0.1:99999', '127.0.0.1:', '::1', '', undefined]) {
      assert.equal(hostOfHostHeader(host), undefined, String(host));
    }
  });
});

describe('displayText', () => {
  it('removes what reorders or hides text, and turns control characters into spaces', () => {
    assert.equal(displayText('Claude\u202E edoC'), 'Claude edoC');
    assert.equal(displayText('\u2066Claude\u2069 \u200BCode\u200D\uFEFF'), 'Claude Code');
    assert.equal(displayText('Evil\n2030-01-01 INFO forged\u001b[31m'), 'Evil 2030-01-01 INFO forged [31m');
    assert.equal(displayText('a\u2028b\u00A0\u00A0c'), 'a b c');
    assert.equal(displayText('\u200E\u200F'), '');
    assert.equal(displayText('Café ✓ 日本'), 'Café ✓ 日本', 'ordinary text stays');
  });
});
