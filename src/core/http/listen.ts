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

/**
 * Listens on host:port (port 0 picks a free one) and resolves once the socket is bound, with the address
 * it is bound to; connections are bounded by `limits` (see limitConnections).
 */
export function listen(app: http.RequestListener, host: string, port: number, limits: HttpLimits): Promise<{ server: http.Server; address: string; port: number }> {
  return new Promise((resolve, reject) => {
    const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS }, app);
    // Streams (SSE) stay open for a long time; keep-alive sockets should not hold close() up for long.
    server.keepAliveTimeout = 5_000;
    limitConnections(server, limits);
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    });
    server.listen(port, host, () => {
      const bound = server.address() as AddressInfo;
      resolve({ server, address: bound.address, port: bound.port });
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
