import type { RequestHandler } from 'express';

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Hostnames a request may name: loopback, plus the hosts of the configured external URL or bind address. */
export function allowedHostnames(bindHost: string, externalUrl?: string): Set<string> {
  const names = new Set(LOOPBACK_HOSTNAMES);
  if (!['0.0.0.0', '::', ''].includes(bindHost)) names.add(bindHost.toLowerCase());
  if (externalUrl) names.add(new URL(externalUrl).hostname.toLowerCase());
  return names;
}

/**
 * Rejects with 403 any request whose `Host` or `Origin` names a host we do not serve: the defence
 * against DNS rebinding, where a web page in the user's browser talks to localhost under its own name.
 */
export function hostGuard(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const host = req.headers.host;
    const origin = req.headers.origin;
    if (!host || !allowed.has(hostnameOf(`http://${host}`))) {
      res.status(403).json({ error: 'forbidden', error_description: 'Host header is not allowed' });
      return;
    }
    if (origin !== undefined && !allowed.has(hostnameOf(origin))) {
      res.status(403).json({ error: 'forbidden', error_description: 'Origin is not allowed' });
      return;
    }
    next();
  };
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
