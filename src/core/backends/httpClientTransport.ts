import type * as http from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BackendHttp, type BackendHttpOptions } from './backendHttp';
import type { RelatedMessageInfo } from './routingTransport';

/**
 * What the client transports to HTTP backends (streamable HTTP, and the legacy HTTP+SSE) have in common:
 * the HTTP plumbing, a failed send reported as well as thrown, and requests that answer a 401 with the
 * backend login's refresh.
 */
export abstract class HttpClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: RelatedMessageInfo) => void;

  protected protocolVersion?: string;
  protected readonly http: BackendHttp;
  protected readonly abort = new AbortController();
  protected closed = false;

  constructor(url: URL, options: BackendHttpOptions) {
    this.http = new BackendHttp(url, options);
  }

  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  protected abstract post(message: JSONRPCMessage): Promise<void>;
  /** The headers of every request: `extra`, with the transport's own. */
  protected abstract headers(extra: Record<string, string>): Promise<Record<string, string>>;

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    try {
      await this.post(message);
    } catch (error) {
      this.onerror?.(error as Error);
      throw error;
    }
  }

  /** Sends a request; after a 401 it runs the login's refresh once and sends it again with the new token. */
  protected async request(target: URL, method: string, extraHeaders: Record<string, string>, body?: string): Promise<http.IncomingMessage> {
    const res = await this.http.request(target, method, await this.headers(extraHeaders), body, this.abort.signal);
    if (res.statusCode !== 401 || !this.http.authorizes) return res;
    res.resume();
    await this.http.authorize(res);
    return this.http.request(target, method, await this.headers(extraHeaders), body, this.abort.signal);
  }
}
