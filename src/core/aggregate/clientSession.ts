import type { ClientRequest, LoggingLevel, LoggingMessageNotification, Progress, RequestId, ResourceUpdatedNotification, Result, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { CallerIdentity } from '../activity/activityRecorder';

/** Who a forwarded request is for: what it sees, and which log messages it takes. */
export interface Caller {
  sees(backend: string): boolean;
  /** Whether the client takes this log message (it was offered logging, at this level). */
  wantsLog(params: LoggingMessageNotification['params']): boolean;
  /** Who it is, as the activity record names it. */
  readonly identity?: CallerIdentity;
}

/** A client request on its way to the backend that serves it. */
export interface RoutedRequest {
  readonly backend: string;
  /** The tool, prompt or resource as the client named it. */
  readonly target: string;
  /** The same by the backend's own name or URI. */
  readonly original: string;
  /** The request with the backend's own names and URIs. */
  readonly request: ClientRequest;
  /** Turns the backend's result into what the caller sees (namespaced URIs). */
  finish(result: Result): Result;
}

/**
 * A client the hub sends to outside any one request: a handshake-era session, or a 2026-07-28
 * `subscriptions/listen` stream. Requests from backends reach it only when it `answersRequests`.
 */
export interface ClientSession extends Caller {
  readonly lastActiveAt: number;
  readonly logLevel?: LoggingLevel;
  /** Whether the hub may send it a backend's request that is not tied to one of its own requests. */
  readonly answersRequests: boolean;
  sendRequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result>;
  sendLog(params: LoggingMessageNotification['params']): void;
  sendResourceUpdated(params: ResourceUpdatedNotification['params']): void;
  /** Tells the client about lists whose content it sees has changed since it was last told. */
  notifyListChanges(): void;
  close(): Promise<void>;
}

/** The parts of the SDK's request handler `extra` that forwarding needs. */
export interface ForwardExtra {
  readonly signal: AbortSignal;
  /** The client's JSON-RPC id for the request (the trace names it). */
  readonly requestId?: RequestId;
  sendNotification(notification: ServerNotification): Promise<void>;
  sendRequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result>;
}

/** How a request to a client is sent: cancellable, with progress from the client relayed. */
export interface ClientRequestOptions {
  readonly signal: AbortSignal;
  readonly onprogress?: (progress: Progress) => void;
}
