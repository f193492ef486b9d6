import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip'];
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an address is this machine's loopback: 127.0.0.0/8, ::1, or IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * A request straight from this machine: the socket's peer is loopback, the Host names loopback, and no
 * proxy header says it was relayed (a reverse proxy on this host connects from loopback for anyone).
 */
export function isDirectLoopback(req: IncomingMessage): boolean {
  const host = req.headers.host ?? '';
  const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : '';
  return isLoopbackAddress(req.socket.remoteAddress) && LOOPBACK_HOSTNAMES.has(hostname) && !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}
