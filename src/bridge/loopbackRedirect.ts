import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A redirect listener on 127.0.0.1: where the browser comes back with the authorization code. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`: any port is fine for a loopback redirect URI (RFC 8252 §7.3). */
  readonly url: string;
  /** The code of the redirect that carries `state`; rejects on an error answer (the user denied) or after `timeoutMs`. */
  code(state: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const PAGE = (text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>1MCP</title></head><body style="font-family: system-ui, sans-serif; margin: 3em"><p>${text}</p></body></html>`;

/** Starts listening on a free loopback port (RFC 8252 §7.3: native apps receive the redirect there). */
export async function startLoopbackRedirect(): Promise<LoopbackRedirect> {
  const waiting = new Map<string, { resolve(code: string): void; reject(error: Error): void }>();
  const server = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const waiter = waiting.get(query.get('state') ?? '');
    if (!waiter || new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/callback') {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('This is not the answer to a sign-in this program is waiting for.'));
      return;
    }
    const code = query.get('code');
    const error = query.get('error');
    if (code) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Approved. You can close this window.'));
      waiter.resolve(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('The request was not approved. You can close this window.'));
      waiter.reject(new Error(`the authorization was refused (${error ?? 'no code'}${query.get('error_description') ? `: ${query.get('error_description')}` : ''})`));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    code: (state, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`nobody approved the request within ${Math.round(timeoutMs / 60_000)} minutes`)), timeoutMs);
        const settle = (): void => {
          clearTimeout(timer);
          waiting.delete(state);
        };
        waiting.set(state, { resolve: (c) => (settle(), resolve(c)), reject: (e) => (settle(), reject(e)) });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
