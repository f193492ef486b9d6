import { ErrorCode, type JSONRPCMessage, type RequestId, type Result, type ResourceUpdatedNotification } from '@modelcontextprotocol/sdk/types.js';
import { ProxyError } from '../../rpcError';
import type { Aggregator } from '../../aggregate/aggregator';
import type { ClientSession } from '../../aggregate/clientSession';
import type { CallerView } from '../../aggregate/callerView';
import { changedLists, type CatalogView } from '../../aggregate/catalog';
import type { ModernReply } from './modernReply';
import { META } from '../../protocol';

/** What a client opts in to on a listen stream (MCP 2026-07-28 schema, `SubscriptionFilter`). */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

/** How often an idle stream carries a comment, so intermediaries do not close it. */
const KEEP_ALIVE_MS = 25_000;

/**
 * A `subscriptions/listen` stream (MCP 2026-07-28 Subscriptions): the stateless client's channel for
 * change notifications. It acknowledges the part of the filter the agent honours, then carries
 * `list_changed` for the lists the caller sees and `resources/updated` for the URIs it subscribed to,
 * each tagged with the subscription id. The hub treats it as a session that never takes requests and
 * gets no log messages (those are request-scoped in this revision).
 */
export class ListenStream implements ClientSession {
  readonly answersRequests = false;
  lastActiveAt = Date.now();
  private sentView?: CatalogView;
  private readonly honoured: SubscriptionFilter;
  private readonly timer: NodeJS.Timeout;
  /** The client left, or the stream was closed. */
  private over = false;

  constructor(private readonly hub: Aggregator, private readonly view: CallerView, private readonly reply: ModernReply, readonly owner: string | undefined, filter: SubscriptionFilter) {
    const caps = view.capabilities();
    const uris = (filter.resourceSubscriptions ?? []).filter((uri) => caps.resources?.subscribe && this.resolves(uri));
    this.honoured = {
      ...(filter.toolsListChanged === true && { toolsListChanged: true }),
      ...(filter.promptsListChanged === true && caps.prompts && { promptsListChanged: true }),
      ...(filter.resourcesListChanged === true && caps.resources && { resourcesListChanged: true }),
      ...(uris.length > 0 && { resourceSubscriptions: uris }),
    };
    this.timer = setInterval(() => reply.keepAlive(), KEEP_ALIVE_MS);
    this.timer.unref();
  }

  /** Opens the stream: acknowledges, subscribes the backends, and joins the hub until the client leaves. */
  async open(): Promise<void> {
    this.reply.openStream();
    this.reply.onCancel(() => this.ended());
    this.send('notifications/subscriptions/acknowledged', { notifications: this.honoured });
    this.sentView = this.view.lists();
    this.hub.addSession(this);
    for (const uri of this.honoured.resourceSubscriptions ?? []) {
      if (this.over) return;
      await this.hub.subscriptions.subscribe(this, uri, this.view.resource(uri));
      // The client left while the backend was being subscribed: nobody holds this subscription now.
      if (this.over) await this.hub.subscriptions.unsubscribe(this, uri);
    }
  }

  sees(backend: string): boolean {
    return this.view.sees(backend);
  }

  sendRequest(): Promise<Result> {
    return Promise.reject(new ProxyError(ErrorCode.InvalidRequest, 'A 2026-07-28 listen stream takes no requests'));
  }

  /** Log messages belong to the request they were asked for with (MCP 2026-07-28 Logging), never to this stream. */
  wantsLog(): boolean {
    return false;
  }

  sendLog(): void {}

  /** A 2026-07-28 client creates no tasks through the agent (it waits for a task's result instead): nothing to tell. */
  sendTaskStatus(): void {}

  sendResourceUpdated(params: ResourceUpdatedNotification['params']): void {
    if (this.honoured.resourceSubscriptions?.includes(params.uri)) this.send('notifications/resources/updated', params);
  }

  notifyListChanges(): void {
    const before = this.sentView;
    const after = this.view.lists();
    this.sentView = after;
    if (!before) return;
    const changed = changedLists(before, after);
    if (this.honoured.toolsListChanged && changed.tools) this.send('notifications/tools/list_changed', {});
    if (this.honoured.resourcesListChanged && changed.resources) this.send('notifications/resources/list_changed', {});
    if (this.honoured.promptsListChanged && changed.prompts) this.send('notifications/prompts/list_changed', {});
  }

  /** Ends the subscription gracefully: the response to the listen request, then the end of the stream. */
  async close(): Promise<void> {
    this.reply.result({ resultType: 'complete', _meta: { [META.subscriptionId]: this.reply.id } });
    this.ended();
  }

  private ended(): void {
    this.over = true;
    clearInterval(this.timer);
    this.hub.removeSession(this);
  }

  private resolves(uri: string): boolean {
    try {
      this.view.resource(uri);
      return true;
    } catch {
      return false;
    }
  }

  private send(method: string, params: Record<string, unknown>): void {
    const id: RequestId = this.reply.id;
    this.reply.notify({ jsonrpc: '2.0', method, params: { ...params, _meta: { [META.subscriptionId]: id } } } as JSONRPCMessage);
  }
}
