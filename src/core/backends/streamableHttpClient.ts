import * as http from 'node:http';
import * as https from 'node:https';
import { auth, extractWWWAuthenticateParams, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { describeRpcError, rpcErrorOf, type RpcError } from '../rpcError';
import type { RelatedMessageInfo } from './routingTransport';
import { SseParser } from './sseParser';

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

export interface StreamableHttpClientOptions {
  /** Headers from the config (API keys and the like), sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  readonly authProvider?: OAuthClientProvider;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const MAX_RECONNECT_MS = 30_000;

/**
 * The client side of MCP's streamable HTTP transport (MCP 2025-11-25 Transports) on Node's http module
 * with keep-alive connections: the agent's hop to each HTTP backend, which every proxied call takes.
 * POSTs are answered with JSON or an event stream; after `initialized` a GET stream carries the
 * backend's own messages and reconnects (with `Last-Event-ID`) when it drops. A 401 runs the SDK's
 * `auth()` with the backend's OAuth provider once, then retries; close() ends the session with DELETE.
 */
export class StreamableHttpClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: RelatedMessageInfo) => void;
  sessionId?: string;

  private protocolVersion?: string;
  private readonly abort = new AbortController();
  private closed = false;
  private reconnectDelay = 1_000;

  constructor(private readonly url: URL, private readonly options: StreamableHttpClientOptions) {}

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    try {
      await this.post(message, true);
    } catch (error) {
      this.onerror?.(error as Error);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.sessionId !== undefined) {
      // Best effort: a backend that is gone has ended the session already.
      await this.request('DELETE', await this.headers({}), undefined, AbortSignal.timeout(1_000)).then((res) => res.resume(), () => undefined);
    }
    this.onclose?.();
  }

  private async post(message: JSONRPCMessage, mayAuthorize: boolean): Promise<void> {
    const headers = await this.headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    const res = await this.request('POST', headers, JSON.stringify(message), this.abort.signal);
    const sessionId = res.headers['mcp-session-id'];
    if (typeof sessionId === 'string') this.sessionId = sessionId;
    const status = res.statusCode ?? 0;
    if (status === 401 && mayAuthorize && this.options.authProvider) {
      res.resume();
      await this.authorize(res);
      return this.post(message, false);
    }
    if (status >= 400) throw statusError(status, this.url, await readText(res));
    // What comes back on the answer to a request belongs to that request (MCP 2025-11-25 Transports).
    const related = 'method' in message && 'id' in message ? message.id : undefined;
    const type = res.headers['content-type'] ?? '';
    if (type.startsWith('text/event-stream')) {
      void this.readStream(res, new SseParser(), related);
    } else if (type.startsWith('application/json')) {
      const data = JSON.parse(await readText(res)) as JSONRPCMessage | JSONRPCMessage[];
      for (const item of Array.isArray(data) ? data : [data]) this.deliver(item, related);
    } else {
      res.resume();
    }
    if (status === 202 && 'method' in message && message.method === 'notifications/initialized') void this.listen();
  }

  /** The GET stream for messages the backend sends on its own; reopened with backoff while connected. */
  private async listen(lastEventId?: string): Promise<void> {
    const parser = new SseParser();
    parser.lastEventId = lastEventId;
    try {
      const headers = await this.headers({ accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) });
      const res = await this.request('GET', headers, undefined, this.abort.signal);
      // 405: this backend offers no such stream, which the spec allows.
      if (res.statusCode !== 200) {
        res.resume();
        return;
      }
      this.reconnectDelay = 1_000;
      await this.readStream(res, parser);
    } catch (error) {
      if (!this.closed) this.onerror?.(error as Error);
    }
    if (this.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, MAX_RECONNECT_MS);
    setTimeout(() => void this.listen(parser.lastEventId), delay).unref();
  }

  private readStream(res: http.IncomingMessage, parser: SseParser, related?: RequestId): Promise<void> {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      for (const event of parser.push(chunk)) if (event.event === 'message') this.deliver(event.data, related);
    });
    return new Promise((resolve) => {
      res.once('end', resolve);
      res.once('close', resolve);
      res.once('error', resolve);
    });
  }

  /** Delivers a parsed message, or an event's text once parsed, with the request it came in answer to. */
  private deliver(item: string | JSONRPCMessage, related: RequestId | undefined): void {
    const extra = related === undefined ? undefined : { relatedRequestId: related };
    if (typeof item !== 'string') {
      this.onmessage?.(item, extra);
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(item) as JSONRPCMessage;
    } catch (error) {
      this.onerror?.(new Error(`backend sent a message that is not JSON: ${item.slice(0, 200)}`, { cause: error }));
      return;
    }
    this.onmessage?.(message, extra);
  }

  /** Runs the backend login's refresh (or learns that the user must sign in again). */
  private async authorize(res: http.IncomingMessage): Promise<void> {
    const provider = this.options.authProvider;
    if (!provider) throw new UnauthorizedError();
    const header = typeof res.headers['www-authenticate'] === 'string' ? res.headers['www-authenticate'] : '';
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': header } }));
    const result = await auth(provider, { serverUrl: this.url, resourceMetadataUrl, scope });
    if (result !== 'AUTHORIZED') throw new UnauthorizedError();
  }

  private async headers(extra: Record<string, string>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.options.headers, ...extra };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    const tokens = await this.options.authProvider?.tokens();
    if (tokens) headers.authorization = `Bearer ${tokens.access_token}`;
    return headers;
  }

  private request(method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<http.IncomingMessage> {
    const secure = this.url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(this.url, { method, headers, agent: secure ? agents.https : agents.http, signal }, resolve);
      req.once('error', reject);
      req.end(body);
    });
  }
}

/** The error for a refused POST; a JSON-RPC error in the body is what the server means, so it leads. */
function statusError(status: number, url: URL, body: string): HttpStatusError {
  const rpcError = rpcErrorOf(body);
  const detail = rpcError ? describeRpcError(rpcError) : body.slice(0, 500);
  return new HttpStatusError(status, `${url.href} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, rpcError);
}

/** The whole body of a response as text. */
export function readText(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.once('end', () => resolve(text));
    res.once('error', reject);
  });
}
