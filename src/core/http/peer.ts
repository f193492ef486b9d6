import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { HttpError } from '../httpError';
import { isLoopbackAddress } from '../listenAddress';

/** Headers a proxy adds when it relays a request (RFC 7239 `Forwarded`, and the de-facto `X-Forwarded-*`, `X-Real-IP`). */
const FORWARDING_HEADER = /^(forwarded|x-forwarded-.+|x-real-ip)$/i;

/** Whether a proxy says it relayed the request (any forwarding header, whatever its value). */
export function isForwarded(req: IncomingMessage): boolean {
  for (const name in req.headers) if (FORWARDING_HEADER.test(name)) return true;
  return false;
}

/**
 * Whether the request was made on this machine and not relayed: the socket's remote address is
 * loopback and no forwarding header is present. This is decided by the socket, never by `Host` or
 * `Origin`, which the caller writes. A reverse proxy on this host connects from loopback too, so a
 * relayed request is only kept out when the proxy says so with a forwarding header.
 */
export function isLoopbackPeer(req: IncomingMessage): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && !isForwarded(req);
}

/**
 * {@link isLoopbackPeer}, and the request also names a loopback host (`localhost`, 127/8, `[::1]`) in
 * `Host`: all three, so neither a neighbour (socket), nor a same-host proxy (forwarding headers, or the
 * public name it keeps in `Host`) passes. The rule for everything that only the user at this machine
 * may see or decide: the dashboard, consent and sign-in actions, and the control channel of VS Code windows.
 */
export function isDirectLoopback(req: IncomingMessage): boolean {
  return isLoopbackPeer(req) && isLoopbackHostHeader(req.headers.host);
}

/**
 * Middleware for what only a program of this machine's user may reach (the control channel, the
 * terminal's actions): {@link isDirectLoopback}, and no browser (no `Origin`, no `Sec-Fetch-Site`), so a
 * page the user visits cannot send it. Proving a key on top is the route's part.
 */
export function localProgramsOnly(message: string): RequestHandler {
  return (req, _res, next) => {
    const browser = req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;
    if (browser || !isDirectLoopback(req)) throw new HttpError(403, 'forbidden', message);
    next();
  };
}

/** How a guard refuses: by default the 403 goes to the error handler (JSON, or JSON-RPC on MCP paths). */
export type Refusal = (res: Response, error: HttpError) => void;

/**
 * Middleware that lets only {@link isLoopbackPeer} requests through. Without client authorization this
 * is what keeps the network out of MCP: there is no token, so only this machine may call.
 */
export function loopbackPeersOnly(refuse?: Refusal): RequestHandler {
  return only(isLoopbackPeer, 'Client authorization is off: the agent answers only on this machine, not relayed by a proxy', refuse);
}

/** Middleware that lets only {@link isDirectLoopback} requests through. */
export function directLoopbackOnly(refuse?: Refusal): RequestHandler {
  return only(isDirectLoopback, 'This answers only on this machine: from a loopback address, directly, not through a proxy', refuse);
}

function only(allowed: (req: IncomingMessage) => boolean, message: string, refuse?: Refusal): RequestHandler {
  return (req, res, next) => {
    if (allowed(req)) {
      next();
      return;
    }
    const error = new HttpError(403, 'forbidden', message);
    if (refuse) refuse(res, error);
    else next(error);
  };
}

function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined || !URL.canParse(`http://${host}`)) return false;
  const hostname = new URL(`http://${host}`).hostname.toLowerCase();
  return hostname === 'localhost' || isLoopbackAddress(hostname.replace(/^\[(.*)\]$/, '$1'));
}
