import type * as http from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { readBody, statusError } from './backendHttp';
import { decodeMessage, deliverReceived } from './decodeMessage';
import { HttpClientTransport } from './httpClientTransport';
import { isOversized } from './messageLimit';
import { SseParser } from './sseParser';

const MAX_RECONNECT_MS = 30_000;

/**
 * The client side of MCP's streamable HTTP transport (MCP 2025-11-25 Transports) on Node's http module
 * with keep-alive connections: the agent's hop to each HTTP backend, which every proxied call takes.
 * POSTs are answered with JSON or an event stream; after `initialized` a GET stream carries the
 * backend's own messages and reconnects (with `Last-Event-ID`) when it drops. A 401 runs the SDK's
 * `auth()` with the backend's OAuth provider once, then retries; close() ends the session with DELETE.
 */
export class StreamableHttpClientTransport extends HttpClientTransport {
  sessionId?: string;
  private reconnectDelay = 1_000;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.sessionId !== undefined) {
      // Best effort: a backend that is gone has ended the session already.
      await this.http.request(this.http.url, 'DELETE', await this.headers({}), undefined, AbortSignal.timeout(1_000)).then((res) => res.resume(), () => undefined);
    }
    this.onclose?.();
  }

  protected async post(message: JSONRPCMessage): Promise<void> {
    const res = await this.request(this.http.url, 'POST', { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, JSON.stringify(message));
    const sessionId = res.headers['mcp-session-id'];
    if (typeof sessionId === 'string') this.sessionId = sessionId;
    const status = res.statusCode ?? 0;
    if (status >= 400) throw await statusError(res, this.http.url);
    // What comes back on the answer to a request belongs to that request (MCP 2025-11-25 Transports).
    const related = 'method' in message && 'id' in message ? message.id : undefined;
    const type = res.headers['content-type'] ?? '';
    if (type.startsWith('text/event-stream')) {
      void this.readStream(res, new SseParser(), related);
    } else if (type.startsWith('application/json')) {
      const body = await readBody(res);
      const data = isOversized(body) ? body : decodeMessage(body);
      for (const item of Array.isArray(data) ? data : [data]) deliverReceived(this, item, related);
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
      const res = await this.http.request(this.http.url, 'GET', await this.headers({ accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) }), undefined, this.abort.signal);
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

  /** Reads an event stream; `related`: the request whose POST it answers, if any. */
  private readStream(res: http.IncomingMessage, parser: SseParser, related?: RequestId): Promise<void> {
    res.on('data', (chunk: Buffer) => {
      for (const event of parser.push(chunk)) if (event.event === 'message') deliverReceived(this, event.data, related);
    });
    return new Promise((resolve) => {
      res.once('end', resolve);
      res.once('close', resolve);
      res.once('error', resolve);
    });
  }

  protected headers(extra: Record<string, string>): Promise<Record<string, string>> {
    return this.http.headers({
      ...extra,
      ...(this.sessionId !== undefined && { 'mcp-session-id': this.sessionId }),
      ...(this.protocolVersion !== undefined && { 'mcp-protocol-version': this.protocolVersion }),
    });
  }
}
