import type { LoggingMessageNotification, Result, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Caller, ClientRequestOptions, ForwardExtra } from './clientSession';

/**
 * A client request being served by a backend. What the backend asks about it goes back to its client,
 * and what the backend says meanwhile is relayed on it, in order and all of it before the result: a
 * client drops progress that arrives after the response (MCP 2025-11-25 Progress).
 */
class InflightRequest {
  private relayed = Promise.resolve();

  constructor(readonly caller: Caller, private readonly extra: ForwardExtra) {}

  relay(notification: ServerNotification): void {
    this.relayed = this.relayed.then(() => this.extra.sendNotification(notification)).catch(() => undefined);
  }

  /** Relays a backend's log message, if the caller's client wants it. */
  relayLog(notification: LoggingMessageNotification): void {
    if (this.caller.wantsLog(notification.params)) this.relay(notification);
  }

  sendRequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result> {
    return this.extra.sendRequest(request, options);
  }

  /** Resolves once everything relayed so far is sent. */
  flushed(): Promise<void> {
    return this.relayed;
  }
}

/** How what a backend sends about one request reaches that request's client. */
export interface RequestRelay {
  /** What the backend says about the request (progress, logging the caller wants…), relayed on it. */
  onnotification(notification: ServerNotification): void;
  /** What the backend asks while serving it, put to the request's client. */
  onrequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result>;
}

/**
 * The client requests each backend is serving, newest last, and whose they are. What a backend asks or
 * says about one of them goes back on it; when it does not say which (stdio, SSE), {@link callersOf}
 * tells whether the calls in flight are all one client's.
 */
export class InflightRequests {
  private readonly byBackend = new Map<string, InflightRequest[]>();

  /**
   * Runs `send`, a request of `caller` to `backend`, with the {@link RequestRelay} of the request: what
   * the backend sends about it reaches the caller's client, all of it before the result.
   */
  async track<T>(backend: string, caller: Caller, extra: ForwardExtra, send: (relay: RequestRelay) => Promise<T>): Promise<T> {
    const entry = new InflightRequest(caller, extra);
    const relay: RequestRelay = {
      onnotification: (notification) => {
        if (notification.method === 'notifications/message') entry.relayLog(notification);
        else entry.relay(notification);
      },
      onrequest: (request, options) => entry.sendRequest(request, options),
    };
    const list = this.byBackend.get(backend) ?? [];
    list.push(entry);
    this.byBackend.set(backend, list);
    try {
      return await send(relay);
    } finally {
      await entry.flushed();
      list.splice(list.indexOf(entry), 1);
      if (list.length === 0) this.byBackend.delete(backend);
    }
  }

  /** The callers with requests in flight to `backend`, each once. */
  callersOf(backend: string): Caller[] {
    return [...new Set((this.byBackend.get(backend) ?? []).map((call) => call.caller))];
  }

  /** The newest request of `caller` that `backend` is serving, if any. */
  newestOf(backend: string, caller: Caller): InflightRequest | undefined {
    const calls = this.byBackend.get(backend) ?? [];
    for (let i = calls.length - 1; i >= 0; i--) if (calls[i]?.caller === caller) return calls[i];
    return undefined;
  }
}
