// Who counts as "this machine", and how the agent describes where it listens. Pure functions.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { allowedHostnames } from '../../src/core/http/hostGuard';
import { isDirectLoopback, isForwarded, isLoopbackPeer } from '../../src/core/http/peer';
import { describeListenAddress, isLoopbackAddress, urlHost } from '../../src/core/listenAddress';

/** The two fields the checks read of a request: the socket's remote address and the headers. */
function request(remoteAddress: string | undefined, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('isLoopbackAddress', () => {
  it('accepts 127/8, ::1 in any spelling and IPv4-mapped loopback', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3', '::ffff:7f00:1']) {
      assert.equal(isLoopbackAddress(address), true, address);
    }
  });

  it('refuses every other address, wildcards, names and nothing at all', () => {
    for (const address of ['192.0.2.2', '10.0.0.1', '128.0.0.1', '::ffff:192.0.2.2', 'fd00::2', 'fe80::1', '::', '0.0.0.0', 'localhost', '127.0.0.1.example', '', undefined]) {
      assert.equal(isLoopbackAddress(address), false, String(address));
    }
  });
});

describe('peer checks', () => {
  it('sees a relay in any forwarding header, whatever its value', () => {
    for (const name of ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip']) {
      assert.equal(isForwarded(request('127.0.0.1', { [name]: '' })), true, name);
    }
    assert.equal(isForwarded(request('127.0.0.1', { 'x-request-id': '1', forwardedness: 'x' })), false);
  });

  it('decides a loopback peer by the socket and forwarding headers, never by Host or Origin', () => {
    assert.equal(isLoopbackPeer(request('127.0.0.1', { host: 'evil.example' })), true);
    assert.equal(isLoopbackPeer(request('::ffff:127.0.0.1')), true);
    assert.equal(isLoopbackPeer(request('192.0.2.2', { host: '127.0.0.1:3050', origin: 'http://127.0.0.1:3050' })), false);
    assert.equal(isLoopbackPeer(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })), false);
    assert.equal(isLoopbackPeer(request(undefined)), false, 'a socket already gone');
  });

  it('wants all three for direct loopback: socket, loopback Host, no forwarding header', () => {
    for (const host of ['127.0.0.1:3050', 'localhost:3050', 'LOCALHOST', '[::1]:3050', '127.0.0.2']) {
      assert.equal(isDirectLoopback(request('127.0.0.1', { host })), true, host);
    }
    assert.equal(isDirectLoopback(request('192.0.2.2', { host: '127.0.0.1:3050' })), false, 'a neighbour naming loopback');
    assert.equal(isDirectLoopback(request('127.0.0.1', { host: 'mcp.example.com' })), false, 'a proxy keeping the public Host');
    assert.equal(isDirectLoopback(request('127.0.0.1', { host: '127.0.0.1:3050', forwarded: 'for=203.0.113.9' })), false, 'a proxy saying it relays');
    assert.equal(isDirectLoopback(request('127.0.0.1', { host: '192.0.2.2:3050' })), false);
    assert.equal(isDirectLoopback(request('127.0.0.1')), false, 'no Host at all');
  });
});

describe('where the agent listens', () => {
  const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' && { scopeid: 0 }) }) as NetworkInterfaceInfo;
  const interfaces = {
    eth0: [nic('192.0.2.2', 'IPv4'), nic('fd00::2', 'IPv6'), nic('fe80::fc:ff:fe00:1', 'IPv6')],
    lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  };

  it('lists every IPv4 address of the machine for 0.0.0.0, loopback first', () => {
    assert.deepEqual(describeListenAddress('0.0.0.0', 3050, interfaces), {
      description: 'all interfaces (0.0.0.0:3050)',
      endpoints: ['http://127.0.0.1:3050/mcp', 'http://192.0.2.2:3050/mcp'],
      loopbackOnly: false,
    });
  });

  it('adds IPv6 addresses for ::, but no link-local one (its URL would need a zone)', () => {
    const listening = describeListenAddress('::', 3050, interfaces);
    assert.equal(listening.description, 'all interfaces ([::]:3050)');
    assert.deepEqual(listening.endpoints, ['http://127.0.0.1:3050/mcp', 'http://[::1]:3050/mcp', 'http://192.0.2.2:3050/mcp', 'http://[fd00::2]:3050/mcp']);
  });

  it('names one address for a specific bind, and says whether only this machine reaches it', () => {
    assert.deepEqual(describeListenAddress('127.0.0.1', 3050, interfaces), { description: '127.0.0.1:3050', endpoints: ['http://127.0.0.1:3050/mcp'], loopbackOnly: true });
    assert.deepEqual(describeListenAddress('::1', 3050, interfaces), { description: '[::1]:3050', endpoints: ['http://[::1]:3050/mcp'], loopbackOnly: true });
    assert.equal(describeListenAddress('192.0.2.2', 3050, interfaces).loopbackOnly, false);
  });

  it('reaches a wildcard bind at 127.0.0.1 from this machine', () => {
    assert.equal(urlHost('0.0.0.0'), '127.0.0.1');
    assert.equal(urlHost('::'), '127.0.0.1');
    assert.equal(urlHost('fd00::2'), '[fd00::2]');
    assert.equal(urlHost('localhost'), 'localhost');
  });

  it('accepts the bind address in Host, bracketed for IPv6, and every own address for a wildcard', () => {
    assert.ok(allowedHostnames('fd00::2').has('[fd00::2]'));
    assert.ok(allowedHostnames('192.0.2.2').has('192.0.2.2'));
    const wildcard = allowedHostnames('0.0.0.0');
    assert.ok(wildcard.has('127.0.0.1') && wildcard.has('localhost') && wildcard.has('[::1]'));
    assert.ok(!wildcard.has('0.0.0.0'), 'a wildcard is not an address to name');
    assert.ok(!wildcard.has('evil.example'));
    for (const info of Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((i) => i.family === 'IPv4')) {
      assert.ok(wildcard.has(info.address), info.address);
    }
  });
});
