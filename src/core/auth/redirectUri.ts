import { isLoopbackAddress } from '../listenAddress';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** Schemes that would run code or read local data instead of handing the code to an app. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:']);

/**
 * Why `uri` cannot be a registered redirect URI, or undefined when it can: https anywhere, http only on
 * loopback (RFC 8252 §7.3, §8.3), or an app's private-use scheme (RFC 8252 §7.1); never a fragment
 * (RFC 6749 §3.1.2) or credentials; written in printable ASCII (RFC 3986 §2: anything else is
 * percent-encoded), so that the URI the user is shown reads as the one the browser goes to.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return 'is not an absolute URL';
  if (!/^[\x21-\x7e]+$/.test(uri)) return 'must be printable ASCII (percent-encode other characters)';
  const url = new URL(uri);
  if (uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopback(url) ? undefined : 'may use http only on a loopback address';
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `may not use the ${url.protocol} scheme`;
  return undefined;
}

/**
 * Whether a redirect URI sent with an authorization request matches a registered one. Loopback http
 * URIs match on any port, since native apps listen on an ephemeral one (RFC 8252 §7.3); scheme, host,
 * path and query must still be equal. Everything else matches only exactly (OAuth 2.1 §2.3.1).
 */
export function redirectUriMatches(requested: string, registered: string): boolean {
  if (requested === registered) return true;
  if (!URL.canParse(requested) || !URL.canParse(registered)) return false;
  const req = new URL(requested);
  const reg = new URL(registered);
  if (req.protocol !== 'http:' || reg.protocol !== 'http:' || !isLoopback(req) || !isLoopback(reg)) return false;
  if (requested.includes('#') || req.username || req.password) return false;
  return req.hostname === reg.hostname && req.pathname === reg.pathname && req.search === reg.search;
}

/**
 * Whether a redirect URI sends the browser back to the machine the browser runs on: http or https to
 * `localhost` (and its subdomains, RFC 6761 §6.3), 127/8 or `[::1]`.
 */
export function isLoopbackRedirect(uri: string): boolean {
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  const host = url.hostname.toLowerCase();
  const named = host === 'localhost' || host.endsWith('.localhost');
  return (url.protocol === 'http:' || url.protocol === 'https:') && (named || isLoopbackAddress(host.replace(/^\[(.*)\]$/, '$1')));
}

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}
