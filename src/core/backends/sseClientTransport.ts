import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { statusError } from './backendHttp';
import { deliverReceived } from './decodeMessage';
import { HttpClientTransport } from './httpClientTransport';
import { SseParser, type SseEvent } from './sseParser';

/**
 * The client side of the legacy HTTP+SSE transport (MCP 2024-11-05 Transports), for servers that speak
 * nothing newer: a GET opens the event stream, whose `endpoint` event names the URL to POST messages to,
 * and every message of the server arrives on it as a `message` event. It reads events with the same
 * parser and limit as the streamable HTTP transport. The stream ending ends the transport (the session
 * lives only as long as its stream); a 401 runs the backend login's refresh once, then retries.
 */
export class SseClientTransport extends HttpClientTransport {
  private endpoint?: URL;

  /** Opens the event stream; resolves once the server has named its endpoint. */
  async start(): Promise<void> {
    const res = await this.request(this.http.url, 'GET', { accept: 'text/event-stream' });
    if (res.statusCode !== 200 || !(res.headers['content-type'] ?? '').startsWith('text/event-stream')) throw await statusError(res, this.http.url);
    const parser = new SseParser();
    await new Promise<void>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        for (const event of parser.push(chunk)) {
          if (event.event === 'endpoint') this.named(event, resolve, reject);
          else if (event.event === 'message') deliverReceived(this, event.data);
        }
      });
      const ended = (): void => {
        reject(new Error(`the event stream of ${this.http.url.href} ended before it named an endpoint`));
        void this.close();
      };
      res.once('end', ended);
      res.once('close', ended);
      res.once('error', ended);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.onclose?.();
  }

  /** The `endpoint` event: where messages go, on the stream's own origin only (a server must not send them elsewhere). */
  private named(event: SseEvent, resolve: () => void, reject: (error: Error) => void): void {
    try {
      if (!Buffer.isBuffer(event.data)) throw new Error(`the endpoint event of ${this.http.url.href} is too large`);
      const endpoint = new URL(event.data.toString('utf8'), this.http.url);
      if (endpoint.origin !== this.http.url.origin) throw new Error(`the endpoint ${endpoint.href} is not on the origin of ${this.http.url.href}`);
      this.endpoint = endpoint;
      resolve();
    } catch (error) {
      reject(error as Error);
      void this.close();
    }
  }

  protected async post(message: JSONRPCMessage): Promise<void> {
    const endpoint = this.endpoint;
    if (!endpoint) throw new Error('not connected: the server has not named its endpoint');
    const res = await this.request(endpoint, 'POST', { 'content-type': 'application/json' }, JSON.stringify(message));
    if ((res.statusCode ?? 0) >= 400) throw await statusError(res, endpoint);
    res.resume();
  }

  protected headers(extra: Record<string, string>): Promise<Record<string, string>> {
    return this.http.headers({ ...extra, ...(this.protocolVersion !== undefined && { 'mcp-protocol-version': this.protocolVersion }) });
  }
}
