import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { bracketed, isWildcardAddress, wildcardAddresses } from '../listenAddress';

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Hostnames a request may name: loopback, the host of the configured external URL, and the bind
 * address, or for a wildcard bind every address of this machine (an address is no rebinding vector:
 * a rebound page names the attacker's domain).
 */
export function allowedHostnames(bindHost: string, externalUrl?: string): Set<string> {
  const names = new Set(LOOPBACK_HOSTNAMES);
  const bound = isWildcardAddress(bindHost) ? wildcardAddresses(bindHost) : [bindHost];
  for (const address of bound) names.add(bracketed(address).toLowerCase());
  if (externalUrl) names.add(new URL(externalUrl).hostname.toLowerCase());
  return names;
}

/**
 * `Host` as RFC 9110 §7.2 has it: a host (a name, an IPv4 address, or an IPv6 address in brackets) and
 * an optional port, nothing more: no path, user, query or second value.
 */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/** The host named by a `Host` header, lowercased (`[::1]` keeps its brackets); undefined if it is not host[:port]. */
export function hostOfHostHeader(host: string | undefined): string | undefined {
  const match = HOST_HEADER.exec(host ?? '');
  if (!match?.[1] || Number(match[2] ?? 0) > 65_535) return undefined;
  return match[1].toLowerCase();
}

/** Why a request is refused for its Host or Origin, with the status to answer. */
export interface HostRefusal {
  readonly status: 400 | 403;
  readonly error: string;
  readonly message: string;
}

/**
 * Refuses any request whose `Host` is not host[:port] (400), or whose `Host` or `Origin` names a host
 * we do not serve (403): the defence against DNS rebinding, where a web page in the user's browser
 * talks to localhost under its own name.
 */
export function hostGuard(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const refusal = hostRefusal(req, allowed);
    if (refusal) {
      res.status(refusal.status).json({ error: refusal.error, error_description: refusal.message });
      return;
    }
    next();
  };
}

/** Why {@link hostGuard} refuses a request, or undefined when its Host and Origin are ours. */
export function hostRefusal(req: IncomingMessage, allowed: ReadonlySet<string>): HostRefusal | undefined {
  const host = hostOfHostHeader(req.headers.host);
  const origin = req.headers.origin;
  if (host === undefined) return { status: 400, error: 'invalid_request', message: 'The Host header must be a host and an optional port (host[:port])' };
  if (!allowed.has(host)) return { status: 403, error: 'forbidden', message: 'Host header is not allowed' };
  if (origin !== undefined && !allowed.has(hostnameOf(origin))) return { status: 403, error: 'forbidden', message: 'Origin is not allowed' };
  return undefined;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
