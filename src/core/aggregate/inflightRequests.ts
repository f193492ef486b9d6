import type { LoggingMessageNotification, Result, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Caller, ClientRequestOptions, ForwardExtra } from './clientSession';

/**
 * A client request being served by a backend. Server->client requests from that backend go back to it,
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

/**
 * The client requests each backend is serving, newest last. What a backend asks or says while it serves
 * one goes back on it (stdio and SSE cannot say which request a message belongs to: the newest).
 */
export class InflightRequests {
  private readonly byBackend = new Map<string, InflightRequest[]>();

  /**
   * Runs `send`, a request of `caller` to `backend`: the `onnotification` it gets relays what the backend
   * sends about the request (progress, logging the caller wants…) on it, all of it before the result.
   */
  async track<T>(backend: string, caller: Caller, extra: ForwardExtra, send: (onnotification: (notification: ServerNotification) => void) => Promise<T>): Promise<T> {
    const entry = new InflightRequest(caller, extra);
    const onnotification = (notification: ServerNotification): void => {
      if (notification.method === 'notifications/message') entry.relayLog(notification);
      else entry.relay(notification);
    };
    const list = this.byBackend.get(backend) ?? [];
    list.push(entry);
    this.byBackend.set(backend, list);
    try {
      return await send(onnotification);
    } finally {
      await entry.flushed();
      list.splice(list.indexOf(entry), 1);
      if (list.length === 0) this.byBackend.delete(backend);
    }
  }

  /** The newest request `backend` is serving, if any. */
  newest(backend: string): InflightRequest | undefined {
    return this.byBackend.get(backend)?.at(-1);
  }

  /** The newest request of `session` that `backend` is serving, if any. */
  newestOf(backend: string, session: Caller): InflightRequest | undefined {
    const calls = this.byBackend.get(backend) ?? [];
    for (let i = calls.length - 1; i >= 0; i--) if (calls[i]?.caller === session) return calls[i];
    return undefined;
  }
}
