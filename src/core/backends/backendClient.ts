import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ClientNotification, ClientRequest, Progress, Result, ServerCapabilities, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** A list a backend offers that can change (`notifications/<kind>/list_changed`). */
export type ListKind = 'tools' | 'resources' | 'prompts';

/**
 * What a backend connection needs from its MCP client, whichever protocol era it speaks: the SDK's
 * handshake-era `Client` has exactly this shape, and the 2026-07-28 client adapts to it.
 */
export interface BackendClient {
  onclose?: () => void;
  request<T extends AnySchema>(request: ClientRequest, schema: T, options?: RequestOptions): Promise<SchemaOutput<T>>;
  notification(notification: ClientNotification): Promise<void>;
  getServerCapabilities(): ServerCapabilities | undefined;
  getInstructions(): string | undefined;
  close(): Promise<void>;
}

/** How a backend's question is put to a client: cancellable, with the client's progress on it relayed. */
export interface AskOptions {
  readonly signal: AbortSignal;
  readonly onprogress?: (progress: Progress) => void;
}

/** Puts a backend's question (sampling, elicitation, roots) to the client of the one request it belongs to. */
export type RequestAsker = (request: ServerRequest, options: AskOptions) => Promise<Result>;

/** Where a backend's client sends what the backend asks and tells, for both eras. */
export interface BackendClientHandlers {
  /**
   * A request the backend puts to its client (sampling, elicitation, roots); `related` asks the client of
   * the request it belongs to, when the backend said which (see {@link RequestAsker}).
   */
  request(request: ServerRequest, signal: AbortSignal, related?: RequestAsker): Promise<Result>;
  /** One of the backend's lists changed. */
  listChanged(kind: ListKind): void;
  /** A log message or a resource update. */
  notification(notification: ServerNotification): void;
  error(error: Error): void;
}
