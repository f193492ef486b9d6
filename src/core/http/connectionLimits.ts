import type * as http from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { isLoopbackAddress } from '../listenAddress';
import type { HttpLimits } from './limits';

/** How long a request's headers may take to arrive: a client sends them at once, and a token is among them. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** How long a whole request may take to arrive (4 MB at a slow LAN's speed). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node checks those two; its default (30 s) would let them run three times as long. */
export const TIMEOUT_CHECK_MS = 2_000;

/**
 * Bounds the connections `server` keeps (like `server.maxConnections`, but per peer): a network peer
 * may hold `connectionsPerPeer`, all network peers together all but `loopbackReserve` of `connections`;
 * a connection over either is closed as it arrives. Loopback peers are held to the overall bound only,
 * so this machine is served while a network peer holds all it may. A network peer's connection that
 * stays silent for `unauthenticatedIdleMs` is closed until a request on it carries a valid token
 * ({@link authenticatedConnection}); from the second request on, Node's own bounds apply (headers,
 * request and keep-alive timeouts).
 */
export function limitConnections(server: http.Server, limits: HttpLimits): void {
  const perPeer = new Map<string, number>();
  let open = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const loopback = isLoopbackAddress(address);
    const held = perPeer.get(address) ?? 0;
    if (open >= limits.connections - (loopback ? 0 : limits.loopbackReserve) || (!loopback && held >= limits.connectionsPerPeer)) {
      socket.destroy();
      return;
    }
    open++;
    if (!loopback) {
      perPeer.set(address, held + 1);
      socket.setTimeout(limits.unauthenticatedIdleMs);
    }
    socket.once('close', () => {
      open--;
      if (loopback) return;
      const left = (perPeer.get(address) ?? 1) - 1;
      if (left > 0) perPeer.set(address, left);
      else perPeer.delete(address);
    });
  });
}

/** A request on `socket` carried a valid token: its connection may stay quiet as long as its calls take. */
export function authenticatedConnection(socket: Socket): void {
  socket.setTimeout(0);
}

/** {@link authenticatedConnection} as middleware, after the bearer check. */
export const authenticated: RequestHandler = (req, _res, next) => {
  authenticatedConnection(req.socket);
  next();
};
