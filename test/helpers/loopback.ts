import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Serves a request listener (an Express app or a bare handler) on 127.0.0.1:0; close() also ends open streams. */
export async function serveOnLoopback(listener: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Parts are sent chunked, without a Content-Length. */
  readonly body?: string | readonly string[];
  /** Connect from this local address (this machine's own network address, to be a "neighbour"). */
  readonly localAddress?: string;
}

/**
 * A raw HTTP request, for what fetch will not send (a foreign Host, a chosen source address, chunks).
 * An event stream is read until its first event, then dropped.
 */
export function rawRequest(url: string | URL, options: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress }, (res) => {
      let body = '';
      const answer = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.headers['content-type']?.startsWith('text/event-stream') && body.includes('\n\n')) {
          answer();
          res.destroy();
        }
      });
      res.once('end', answer);
    });
    req.once('error', reject);
    if (typeof options.body === 'string' || options.body === undefined) {
      req.end(options.body);
      return;
    }
    for (const part of options.body) req.write(part);
    req.end();
  });
}

/** This machine's first IPv4 address that is not loopback: requests from it come "from the network". */
export function neighbourAddress(): string | undefined {
  return Object.values(networkInterfaces()).flatMap((list) => list ?? []).find((i) => i.family === 'IPv4' && !i.internal)?.address;
}
