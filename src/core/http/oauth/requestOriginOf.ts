import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { RequestOrigin } from '../../auth/requestOrigin';
import { isLoopbackAddress } from '../../listenAddress';
import { isForwarded } from '../peer';

/**
 * Where a request came from, by its socket: this machine (loopback, not relayed), another machine (its
 * address), or a proxy on this machine (which may say for whom, in the last entry it added to
 * `Forwarded`, `X-Forwarded-For` or `X-Real-IP`; only shown, never trusted for access).
 */
export function requestOriginOf(req: IncomingMessage): RequestOrigin {
  const address = plainAddress(req.socket.remoteAddress ?? '');
  if (!isLoopbackAddress(address)) return { kind: 'network', address };
  if (!isForwarded(req)) return { kind: 'loopback' };
  const relayedFor = [forwardedFor(req.headers.forwarded), lastEntry(req.headers['x-forwarded-for']), lastEntry(req.headers['x-real-ip'])].find((a) => a !== undefined);
  return relayedFor === undefined ? { kind: 'relayed' } : { kind: 'relayed', for: relayedFor };
}

/** `::ffff:192.0.2.7` (an IPv4 peer of a dual-stack listener) as `192.0.2.7`. */
function plainAddress(address: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}

/** The address in the last element of an RFC 7239 `Forwarded` header (`for=192.0.2.7`, `for="[2001:db8::1]:4711"`). */
function forwardedFor(header: string | undefined): string | undefined {
  const last = header?.split(',').at(-1) ?? '';
  const value = /(?:^|;)\s*for=("?)([^";,]+)\1/i.exec(last)?.[2];
  return value === undefined ? undefined : ipOnly(value.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1'));
}

/** The last address of a comma-separated list (the one the proxy itself added). */
function lastEntry(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  return text === undefined ? undefined : ipOnly(text.split(',').at(-1)?.trim() ?? '');
}

function ipOnly(value: string): string | undefined {
  return isIP(value) !== 0 ? plainAddress(value) : undefined;
}
