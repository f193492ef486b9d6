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
 * Rejects with 403 any request whose `Host` or `Origin` names a host we do not serve: the defence
 * against DNS rebinding, where a web page in the user's browser talks to localhost under its own name.
 */
export function hostGuard(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const refusal = hostRefusal(req, allowed);
    if (refusal) {
      res.status(403).json({ error: 'forbidden', error_description: refusal });
      return;
    }
    next();
  };
}

/** Why {@link hostGuard} refuses a request, or undefined when its Host and Origin are ours. */
export function hostRefusal(req: IncomingMessage, allowed: ReadonlySet<string>): string | undefined {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (!host || !allowed.has(hostnameOf(`http://${host}`))) return 'Host header is not allowed';
  if (origin !== undefined && !allowed.has(hostnameOf(origin))) return 'Origin is not allowed';
  return undefined;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
