import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEADERS_TIMEOUT_MS, limitConnections, REQUEST_TIMEOUT_MS, TIMEOUT_CHECK_MS } from './connectionLimits';
import type { HttpLimits } from './limits';

/** The port is taken by another process. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  /** `holder` says who holds it, when known. */
  constructor(readonly host: string, readonly port: number, holder?: string) {
    super(`Port ${port} on ${host} is already in use${holder ? ` by ${holder}` : ''}`);
    this.name = 'PortInUseError';
  }
}

/** A socket bound before its request listener exists. */
export interface BoundServer {
  readonly server: http.Server;
  /** The address and port the socket is bound to. */
  readonly address: string;
  readonly port: number;
  /** Hands every request to `listener`, those that arrived since the bind first. */
  serve(listener: http.RequestListener): void;
}

/**
 * Binds host:port (port 0 picks a free one) and resolves once the socket is bound. Binding comes
 * first, before the app is built: whether this process gets the port decides whether it serves or
 * follows, and a request that arrives in the meantime waits for {@link BoundServer.serve}. Connections
 * are bounded by `limits` (see limitConnections).
 */
export function listen(host: string, port: number, limits: HttpLimits): Promise<BoundServer> {
  return new Promise((resolve, reject) => {
    const early: [http.IncomingMessage, http.ServerResponse][] = [];
    const hold = (req: http.IncomingMessage, res: http.ServerResponse): void => void early.push([req, res]);
    const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS }, hold);
    // Streams (SSE) stay open for a long time; keep-alive sockets should not hold close() up for long.
    server.keepAliveTimeout = 5_000;
    limitConnections(server, limits);
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    });
    server.listen(port, host, () => {
      const bound = server.address() as AddressInfo;
      const serve = (listener: http.RequestListener): void => {
        server.off('request', hold).on('request', listener);
        for (const [req, res] of early.splice(0)) listener(req, res);
      };
      resolve({ server, address: bound.address, port: bound.port, serve });
    });
  });
}

/** Closes the server and every open connection, including long-lived event streams. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
