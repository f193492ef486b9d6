import { BlockList, isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

const LOOPBACK = new BlockList();
// RFC 1122 §3.2.1.3: all of 127/8 is loopback; RFC 4291 §2.5.3: ::1. BlockList also matches the
// IPv4-mapped form (::ffff:127.0.0.1) a dual-stack listener reports for an IPv4 peer.
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Where the agent listens, as the log and the status bar tell it. */
export interface ListenAddress {
  /** `127.0.0.1:3050`, `all interfaces (0.0.0.0:3050)`, `192.0.2.2:3050`. */
  readonly description: string;
  /** The `/mcp` URLs that reach the agent: for a wildcard bind, one per address of this machine, loopback first. */
  readonly endpoints: readonly string[];
  /** Whether only this machine can connect (the socket is bound to a loopback address). */
  readonly loopbackOnly: boolean;
}

/** Whether an IP address (as a socket reports it) is a loopback address; anything else, names included, is not. */
export function isLoopbackAddress(address: string | undefined): boolean {
  // The spellings sockets report, answered without BlockList's allocations (this runs on every request).
  if (address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1') return true;
  const family = address === undefined ? 0 : isIP(address);
  return family !== 0 && LOOPBACK.check(address ?? '', family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether a bind address means every interface. */
export function isWildcardAddress(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * The host part of a URL that reaches a bind address from this machine: a wildcard is reached at
 * 127.0.0.1 (a dual-stack `::` listener takes IPv4 too).
 */
export function urlHost(host: string): string {
  return isWildcardAddress(host) ? '127.0.0.1' : bracketed(host);
}

/** An address as it appears in a URL's host: IPv6 in brackets (RFC 3986 §3.2.2). */
export function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Describes the address a socket is bound to (`server.address().address`, so a name like `localhost`
 * is already resolved); a wildcard lists the machine's addresses from `interfaces`.
 */
export function describeListenAddress(bound: string, port: number, interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>): ListenAddress {
  const endpoint = (address: string): string => `http://${urlHost(address)}:${port}/mcp`;
  if (!isWildcardAddress(bound)) {
    return { description: `${bracketed(bound)}:${port}`, endpoints: [endpoint(bound)], loopbackOnly: isLoopbackAddress(bound) };
  }
  // Asked only here: listing the machine's interfaces costs a start a few milliseconds.
  return { description: `all interfaces (${bracketed(bound)}:${port})`, endpoints: wildcardAddresses(bound, interfaces ?? networkInterfaces()).map(endpoint), loopbackOnly: false };
}

/**
 * The addresses of this machine a wildcard bind answers on, loopback first: IPv4 ones for `0.0.0.0`,
 * all for `::` (dual stack). IPv6 link-local ones are left out, as their URLs would need a zone.
 */
export function wildcardAddresses(bound: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const ipv4Only = bound === '0.0.0.0';
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((info) => (info.family === 'IPv4' || !ipv4Only) && !info.address.toLowerCase().startsWith('fe80:'))
    .sort((a, b) => Number(b.internal) - Number(a.internal))
    .map((info) => info.address);
  return [...new Set(addresses)];
}

/**
 * Client authorization is off and the agent was asked to listen where other machines can reach it:
 * they would use every backend without a token, so it does not start.
 */
export class NetworkWithoutAuthError extends Error {
  readonly code = 'NETWORK_WITHOUT_AUTH';
  constructor(readonly address: ListenAddress) {
    super(
      `Client authorization is off, so the agent does not listen on ${address.description}: anyone who can reach it there ` +
        'would use every backend without a token. Turn client authorization on (--enable-auth; in VS Code the setting ' +
        'onemcp.auth.enabled), or listen on 127.0.0.1.',
    );
    this.name = 'NetworkWithoutAuthError';
  }
}

/** The start-up line: where the agent listens and the URLs that reach it (and the public one, behind a proxy). */
export function listeningText(listening: ListenAddress, externalUrl: string | undefined): string {
  const where = listening.loopbackOnly ? listening.endpoints.join(', ') : `${listening.description}: ${listening.endpoints.join(', ')}`;
  return `listening on ${where}${externalUrl ? `; clients use ${externalUrl.replace(/\/$/, '')}/mcp` : ''}`;
}
