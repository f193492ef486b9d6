import type {
  LoggingLevel,
  LoggingMessageNotification,
  Progress,
  RequestId,
  ResourceUpdatedNotification,
  Result,
  ServerNotification,
  ServerRequest,
  TaskStatusNotificationParams,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallerIdentity } from '../activity/activityRecorder';

/** Who a forwarded request is for: what it sees, and which log messages it takes. */
export interface Caller {
  /** Who the caller is to the tasks it creates: only the same principal reaches them. */
  readonly principal?: string;
  sees(backend: string): boolean;
  /** Whether the client takes this log message (it was offered logging, at this level). */
  wantsLog(params: LoggingMessageNotification['params']): boolean;
  /** Who it is, as the activity record names it. */
  readonly identity?: CallerIdentity;
  /** The name the client gives (`clientInfo.name`), for the questions put to its user and the log. */
  readonly clientName?: string;
  /** Whether the client takes a question for its user (it declared form elicitation). */
  readonly elicits?: boolean;
  /** Whether the caller is a session, which keeps an answer "for this session" (a stateless request is not). */
  readonly keepsAnswers?: boolean;
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
  /** Tells the client a task it created changed status (MCP 2025-11-25 Tasks, `notifications/tasks/status`). */
  sendTaskStatus(params: TaskStatusNotificationParams): void;
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
  /** Milliseconds to wait for the answer; the SDK's default (60 s) when absent. */
  readonly timeout?: number;
  readonly onprogress?: (progress: Progress) => void;
}
