import * as http from 'node:http';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { sdkAuth, UnauthorizedError } from './oauth/sdkAuth';
import { describeRpcError, rpcErrorOf, type RpcError } from '../rpcError';
import { MAX_MESSAGE_BYTES, type Oversized } from './messageLimit';

/**
 * An HTTP answer the transport cannot use; `code` is the status (the SDK's transports do the same).
 * `rpcError` is the JSON-RPC error the body carried, if any: the server speaks MCP over POST and refused
 * for a protocol reason.
 */
export class HttpStatusError extends Error {
  constructor(readonly code: number, message: string, readonly rpcError?: RpcError) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export interface BackendHttpOptions {
  /** Headers from the config (API keys and the like), sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  readonly authProvider?: OAuthClientProvider;
}

/** Node's http or https module, with its keep-alive agent. */
interface HttpClient {
  request(url: URL, options: http.RequestOptions, answered: (res: http.IncomingMessage) => void): http.ClientRequest;
  readonly agent: http.Agent;
}

const plain: HttpClient = { request: http.request, agent: new http.Agent({ keepAlive: true }) };
let secure: Promise<HttpClient> | undefined;

/** node:https, and TLS with it, load with the first https request: a start without one does not pay for them. */
function clientFor(target: URL): HttpClient | Promise<HttpClient> {
  if (target.protocol !== 'https:') return plain;
  secure ??= import('node:https').then((https) => ({ request: https.request, agent: new https.Agent({ keepAlive: true }) }));
  return secure;
}

/**
 * What the HTTP client transports share: requests on Node's http module over keep-alive connections,
 * with the config's headers and the backend login's bearer token, and the login's refresh on a 401.
 */
export class BackendHttp {
  constructor(readonly url: URL, private readonly options: BackendHttpOptions) {}

  get authorizes(): boolean {
    return this.options.authProvider !== undefined;
  }

  /** The config's headers, the login's bearer token, then `extra`. */
  async headers(extra: Record<string, string>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.options.headers, ...extra };
    const tokens = await this.options.authProvider?.tokens();
    if (tokens) headers.authorization = `Bearer ${tokens.access_token}`;
    return headers;
  }

  /** Resolves with the response once its headers are in. */
  async request(target: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<http.IncomingMessage> {
    const client = await clientFor(target);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = client.request(target, { method, headers, agent: client.agent, signal }, (res) => {
        answered = true;
        resolve(res);
      });
      req.once('error', (error: NodeJS.ErrnoException) => {
        // A server closes an idle keep-alive connection when it likes (Node's own after 5 s); one reused just
        // as it closed fails before the request reached the server, which is sent again on another
        // (Node's http docs, request.reusedSocket). Once an answer came, the server had the request.
        if (!answered && req.reusedSocket && error.code === 'ECONNRESET') this.request(target, method, headers, body, signal).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });
  }

  /** After a 401: runs the backend login's refresh (or learns that the user must sign in again). */
  async authorize(res: http.IncomingMessage): Promise<void> {
    const provider = this.options.authProvider;
    if (!provider) throw new UnauthorizedError();
    const header = typeof res.headers['www-authenticate'] === 'string' ? res.headers['www-authenticate'] : '';
    const { auth, extractWWWAuthenticateParams } = await sdkAuth();
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': header } }));
    const result = await auth(provider, { serverUrl: this.url, resourceMetadataUrl, scope });
    if (result !== 'AUTHORIZED') throw new UnauthorizedError();
  }
}

/**
 * A response body, its chunks joined once at the end; past `limit` bytes the response is abandoned
 * (its connection with it) and only its declared length is known.
 */
export function readBody(res: http.IncomingMessage, limit = MAX_MESSAGE_BYTES): Promise<Buffer | Oversized> {
  const declared = Number(res.headers['content-length']);
  const tooLarge: Oversized = { oversized: true, head: Buffer.alloc(0), tail: Buffer.alloc(0), ...(Number.isFinite(declared) && { bytes: declared }) };
  if (declared > limit) {
    res.destroy();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    res.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) {
        chunks.push(chunk);
        return;
      }
      res.destroy();
      resolve(tooLarge);
    });
    res.once('end', () => resolve(Buffer.concat(chunks, length)));
    res.once('error', reject);
  });
}

/** The whole body of a response as text, however long, decoded once. */
export async function readText(res: http.IncomingMessage): Promise<string> {
  const body = await readBody(res, Infinity);
  return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/** The error for a refused request to `url`; a JSON-RPC error in the body is what the server means, so it leads. */
export async function statusError(res: http.IncomingMessage, url: URL): Promise<HttpStatusError> {
  const status = res.statusCode ?? 0;
  const read = await readBody(res);
  const body = Buffer.isBuffer(read) ? read.toString('utf8') : '';
  const rpcError = rpcErrorOf(body);
  const detail = rpcError ? describeRpcError(rpcError) : body.slice(0, 500);
  return new HttpStatusError(status, `${url.href} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, rpcError);
}
