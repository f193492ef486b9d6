import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCNotification, MessageExtraInfo, ProgressToken, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { RequestAsker } from './backendClient';

/** What a transport may say about a message it received, beyond the SDK's {@link MessageExtraInfo}. */
export interface RelatedMessageInfo extends MessageExtraInfo {
  /**
   * The id of the request on whose answer the message came (an HTTP POST's event stream or JSON body):
   * a notification about that request, or a question the backend asks while serving it.
   */
  readonly relatedRequestId?: RequestId;
}

/** Receives what the backend sends about one request, in the order it arrived and before its response. */
export type RequestListener = (notification: JSONRPCNotification) => void;

/**
 * Takes a notification the routing did not consume; `related` is the listener of the request it belongs
 * to, when known. Returns false to leave it to the SDK Client (cancellation, and progress on the SDK's own
 * tokens).
 */
export type NotificationSink = (notification: JSONRPCNotification, related: RequestListener | undefined) => boolean;

interface Route {
  readonly listener?: RequestListener;
  /** Asks the request's client what the backend asks while it serves the request. */
  readonly ask?: RequestAsker;
  /** The caller's progress token, restored on the progress relayed back. */
  readonly callerToken?: ProgressToken;
  /** The token the backend sees instead: unique on this connection whoever the caller is. */
  readonly token?: string;
  id?: RequestId;
}

/** A request's params prepared for routing; `release()` once the request is over. */
export interface TrackedRequest {
  readonly params: Record<string, unknown>;
  release(): void;
}

/**
 * Sits between a backend's transport and the SDK Client, and hands whatever the backend sends about a
 * request (progress, logging, anything its answer stream carries) to that request's listener
 * synchronously, in arrival order, before the response reaches the Client. Handing it to the Client
 * instead loses the last of it: the SDK's Protocol handles a notification a microtask after it arrives
 * but a response at once, and drops the request's progress handler with the response (MCP 2025-11-25
 * Progress: progress ends with the request), so a notification right before the result (same chunk,
 * or chunks parsed in the same tick) found no handler any more. A question the backend asks on a
 * request's answer (sampling, elicitation, roots) is kept for the Client's handler: {@link takeAsker}
 * names the client of that request, and only that one.
 */
export class RoutingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  /** Prepared params until the Client sends them and their request id is known. */
  private readonly unsent = new WeakMap<object, Route>();
  private readonly byId = new Map<RequestId, Route>();
  private readonly byToken = new Map<ProgressToken, Route>();
  /** The backend's questions that came on the answer of one of our requests, by the question's id, until taken or answered. */
  private readonly questions = new Map<RequestId, RequestAsker>();
  private nextToken = 0;

  constructor(readonly inner: Transport, private readonly sink: NotificationSink) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onmessage = (message, extra) => this.receive(message, extra);
    await this.inner.start();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  /**
   * Prepares a request's params so that what the backend sends about it reaches `listener`, and what it
   * asks while serving it, `ask`. A caller's progress token is swapped for one of ours (callers' tokens
   * may collide) and restored on the way back.
   */
  track(params: Record<string, unknown> | undefined, listener: RequestListener | undefined, ask?: RequestAsker): TrackedRequest {
    const meta = params?._meta as Record<string, unknown> | undefined;
    const callerToken = meta?.progressToken as ProgressToken | undefined;
    // Strings: the SDK numbers its own tokens after its request ids.
    const token = callerToken === undefined ? undefined : `p${++this.nextToken}`;
    const prepared = token === undefined ? { ...params } : { ...params, _meta: { ...meta, progressToken: token } };
    const route: Route = { listener, ask, callerToken, token };
    this.unsent.set(prepared, route);
    if (token !== undefined) this.byToken.set(token, route);
    return { params: prepared, release: () => this.release(route) };
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message && 'id' in message && message.params) {
      const route = this.unsent.get(message.params);
      if (route) {
        this.unsent.delete(message.params);
        route.id = message.id;
        this.byId.set(message.id, route);
      }
    } else if (!('method' in message) && 'id' in message && message.id !== undefined) {
      // Our answer to a question whose asker was never taken (no handler for its method).
      this.questions.delete(message.id);
    }
    return this.inner.send(message, options);
  }

  /**
   * Who answers the backend's question `id`: the client of the request on whose answer it came, once.
   * Undefined when the backend did not say which request it is for (stdio, SSE, the GET stream).
   */
  takeAsker(id: RequestId): RequestAsker | undefined {
    const ask = this.questions.get(id);
    this.questions.delete(id);
    return ask;
  }

  async close(): Promise<void> {
    this.byId.clear();
    this.byToken.clear();
    this.questions.clear();
    await this.inner.close();
  }

  /** Shape checks only: this runs for every message, and the SDK's Protocol validates them after it. */
  private receive(message: JSONRPCMessage, extra?: RelatedMessageInfo): void {
    if ('method' in message) {
      if (!('id' in message)) {
        if (this.route(message, extra?.relatedRequestId)) return;
      } else if (extra?.relatedRequestId !== undefined) {
        // A question on the answer of one of our requests belongs to that request: the SDK Client's
        // handler takes its asker by the question's id (the Client tells handlers nothing else of it).
        const ask = this.byId.get(extra.relatedRequestId)?.ask;
        if (ask) this.questions.set(message.id, ask);
      }
    } else if ('id' in message && message.id !== undefined) {
      const route = this.byId.get(message.id);
      if (route) this.release(route);
    }
    this.onmessage?.(message, extra);
  }

  private route(notification: JSONRPCNotification, relatedRequestId: RequestId | undefined): boolean {
    if (notification.method === 'notifications/progress') {
      const token = notification.params?.progressToken as ProgressToken | undefined;
      const route = token === undefined ? undefined : this.byToken.get(token);
      if (!route) return false;
      route.listener?.({ ...notification, params: { ...notification.params, progressToken: route.callerToken } });
      return true;
    }
    const related = relatedRequestId === undefined ? undefined : this.byId.get(relatedRequestId);
    return this.sink(notification, related?.listener);
  }

  private release(route: Route): void {
    if (route.token !== undefined) this.byToken.delete(route.token);
    if (route.id !== undefined) this.byId.delete(route.id);
  }
}
