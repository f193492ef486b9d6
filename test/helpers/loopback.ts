import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

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
