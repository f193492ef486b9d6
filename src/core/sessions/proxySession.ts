import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  CancelTaskRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  LoggingLevelSchema,
  ReadResourceRequestSchema,
  ResultSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type LoggingLevel,
  type LoggingMessageNotification,
  type ResourceUpdatedNotification,
  type Result,
  type ServerCapabilities,
  type ServerRequest,
  type TaskStatusNotificationParams,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallerIdentity } from '../activity/activityRecorder';
import type { BackendSelector } from '../filter/selector';
import { LazyJsonSchemaValidator } from '../lazyJsonSchemaValidator';
import { ProxyError } from '../rpcError';
import { SessionTools } from './sessionTools';
import type { ToolModeChoice } from './toolMode';
import type { Aggregator } from '../aggregate/aggregator';
import type { ClientRequestOptions, ClientSession, ForwardExtra } from '../aggregate/clientSession';
import { CallerView, type RoutedMethod, type TaskMethod } from '../aggregate/callerView';
import type { RoutedRequest } from '../aggregate/routedRequest';
import { onCheckedRequest } from '../aggregate/checkedHandler';
import { changedLists, type CatalogView } from '../aggregate/catalog';
import { elicitsForms } from '../integrity/callConfirmations';
import { listTasks } from '../aggregate/taskList';

const LEVELS = LoggingLevelSchema.options;

type HandlerExtra = Parameters<Parameters<Server['setRequestHandler']>[1]>[1];

export interface ProxySessionOptions {
  /** How the session is offered its tools (`?mode=`, the config's per-client default); every tool when absent. */
  readonly toolMode?: ToolModeChoice;
  /** The name the client gave in its `initialize`, when known before the session starts. */
  readonly clientName?: string;
  /** Who opened the session (the OAuth client and grant), when auth is on. */
  readonly owner?: string;
}

/**
 * One client session of the aggregate endpoint: an SDK Server that answers from the catalog, filtered
 * by the session's backend selection, and forwards calls, reads and gets to the owning backend.
 */
export class ProxySession implements ClientSession {
  readonly server: Server;
  readonly answersRequests = true;
  lastActiveAt = Date.now();
  logLevel?: LoggingLevel;
  readonly owner?: string;
  /** What this session sees, decided once for its selection. */
  readonly callerView: CallerView;
  /** The session's tools as its tool mode offers them (all, or the two search tools). */
  readonly tools: SessionTools;
  private readonly capabilities: ServerCapabilities;
  private sentView?: CatalogView;

  constructor(private readonly hub: Aggregator, readonly selector: BackendSelector, options: ProxySessionOptions = {}) {
    this.owner = options.owner;
    // A task is bound to the OAuth client and grant that created it, or (without authorization) to this session.
    this.callerView = new CallerView(hub, selector, { principal: options.owner === undefined ? `session:${randomUUID()}` : `owner:${options.owner}` });
    this.tools = new SessionTools(options.toolMode ?? (() => 'all'), hub, () => this.server?.getClientVersion()?.name ?? options.clientName);
    this.capabilities = this.callerView.capabilities();
    this.server = new Server(hub.clientInfo, {
      capabilities: this.capabilities,
      instructions: [this.tools.instructions(this.catalogView()), this.callerView.instructions()].filter(Boolean).join('\n\n') || undefined,
      jsonSchemaValidator: new LazyJsonSchemaValidator(),
    });
    this.registerHandlers();
    this.server.onclose = () => this.hub.removeSession(this);
    // Its name (and with it its tool mode) is known from here on: the agent's state names it.
    this.server.oninitialized = () => this.hub.sessionChanged();
  }

  /** The name the client gave in `initialize`. */
  get clientName(): string | undefined {
    return this.server.getClientVersion()?.name;
  }

  /** Who calls, as the activity record names it. */
  get identity(): CallerIdentity {
    return { client: this.clientName, owner: this.owner, session: this.server.transport?.sessionId, era: 'handshake' };
  }

  /** Whether the client takes questions for its user (it declared form elicitation in `initialize`). */
  get elicits(): boolean {
    return elicitsForms(this.server.getClientCapabilities());
  }

  /** A session keeps the user's "allow for this session". */
  readonly keepsAnswers = true;

  /** Attaches the inbound transport and starts taking requests. */
  async connect(transport: Transport): Promise<void> {
    this.hub.addSession(this);
    await this.server.connect(transport);
    this.sentView = this.view();
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** Who this session is to the tasks it creates. */
  get principal(): string {
    return this.callerView.principal;
  }

  /** Whether this session's selection includes `backend`. */
  sees(backend: string): boolean {
    return this.callerView.sees(backend);
  }

  /** The lists this session is sent. */
  view(): CatalogView {
    return this.tools.lists(this.catalogView());
  }

  /** Everything this session's selection includes, whatever its tool mode. */
  catalogView(): CatalogView {
    return this.callerView.lists();
  }

  /** Sends a request to this session's client that is not tied to one of its own requests. */
  sendRequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result> {
    return this.server.request(request, ResultSchema, options);
  }

  /** Whether this session's client takes a log message: it was offered logging, at this level. */
  wantsLog(params: LoggingMessageNotification['params']): boolean {
    if (!this.capabilities.logging) return false;
    return !this.logLevel || LEVELS.indexOf(params.level) >= LEVELS.indexOf(this.logLevel);
  }

  /** Sends a log message that belongs to none of this session's requests. */
  sendLog(params: LoggingMessageNotification['params']): void {
    if (this.wantsLog(params)) void this.server.notification({ method: 'notifications/message', params }).catch(() => undefined);
  }

  sendResourceUpdated(params: ResourceUpdatedNotification['params']): void {
    if (!this.capabilities.resources?.subscribe) return;
    void this.server.sendResourceUpdated(params).catch(() => undefined);
  }

  sendTaskStatus(params: TaskStatusNotificationParams): void {
    if (!this.capabilities.tasks) return;
    void this.server.notification({ method: 'notifications/tasks/status', params }).catch(() => undefined);
  }

  /** Sends `list_changed` for each list whose content this session sees has changed since last told. */
  notifyListChanges(): void {
    const before = this.sentView;
    const after = this.view();
    this.sentView = after;
    if (!before || before === after) return;
    const changed = changedLists(before, after);
    const send = (method: 'notifications/tools/list_changed' | 'notifications/resources/list_changed' | 'notifications/prompts/list_changed') =>
      void this.server.notification({ method }).catch(() => undefined);
    if (this.capabilities.tools && changed.tools) send('notifications/tools/list_changed');
    if (this.capabilities.resources && changed.resources) send('notifications/resources/list_changed');
    if (this.capabilities.prompts && changed.prompts) send('notifications/prompts/list_changed');
  }

  private registerHandlers(): void {
    const { server, hub } = this;
    const caps = this.capabilities;
    const touch = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
      this.lastActiveAt = Date.now();
      return fn(...args);
    };

    server.setRequestHandler(ListToolsRequestSchema, touch(() => this.view().tools));
    // tools/call is the hot path: it is handled without the SDK Server's schema parse of the request and
    // of the result (the backend's result is passed through as it is), after a shape check of our own.
    const send = async (routed: RoutedRequest, extra: HandlerExtra): Promise<never> => (await hub.forwardRouted(this, routed, adapt(extra))) as never;
    const forward = (method: RoutedMethod, params: Record<string, unknown> | undefined, extra: HandlerExtra): Promise<never> => send(this.callerView.route(method, params, this, extra.requestId), extra);
    server.fallbackRequestHandler = touch(async (request, extra) => {
      if (request.method !== 'tools/call') throw new ProxyError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
      // In search mode, search_tools is answered here and call_tool becomes the direct call it names.
      const call = request.params === undefined ? { params: undefined } : this.tools.call(request.params, () => this.catalogView());
      if ('result' in call) return call.result as never;
      return forward('tools/call', call.params, extra);
    });

    if (caps.resources) {
      server.setRequestHandler(ListResourcesRequestSchema, touch(() => this.view().resources));
      server.setRequestHandler(ListResourceTemplatesRequestSchema, touch(() => this.view().resourceTemplates));
      onCheckedRequest(server, ReadResourceRequestSchema, touch((request, extra) => forward('resources/read', request.params, extra)));
      if (caps.resources.subscribe) {
        onCheckedRequest(server, SubscribeRequestSchema, touch(async (request) => {
          await hub.subscriptions.subscribe(this, request.params.uri, this.callerView.resource(request.params.uri));
          return {};
        }));
        onCheckedRequest(server, UnsubscribeRequestSchema, touch(async (request) => {
          await hub.subscriptions.unsubscribe(this, request.params.uri);
          return {};
        }));
      }
    }

    if (caps.prompts) {
      server.setRequestHandler(ListPromptsRequestSchema, touch(() => this.view().prompts));
      onCheckedRequest(server, GetPromptRequestSchema, touch((request, extra) => forward('prompts/get', request.params, extra)));
    }

    if (caps.completions) {
      onCheckedRequest(server, CompleteRequestSchema, touch((request, extra) => forward('completion/complete', request.params, extra)));
    }

    if (caps.tasks) {
      const task = (method: TaskMethod) => touch((request: { params?: Record<string, unknown> }, extra: HandlerExtra) => send(this.callerView.routeTask(method, request.params), extra));
      onCheckedRequest(server, GetTaskRequestSchema, task('tasks/get'));
      onCheckedRequest(server, GetTaskPayloadRequestSchema, task('tasks/result'));
      if (caps.tasks.cancel) onCheckedRequest(server, CancelTaskRequestSchema, task('tasks/cancel'));
      if (caps.tasks.list) onCheckedRequest(server, ListTasksRequestSchema, touch((request, extra) => listTasks(hub, this.callerView, this, request.params?.cursor, adapt(extra))));
    }

    if (caps.logging) {
      onCheckedRequest(server, SetLevelRequestSchema, touch((request) => {
        this.logLevel = request.params.level;
        hub.syncBackendLogLevels();
        return {};
      }));
    }
    server.setNotificationHandler(RootsListChangedNotificationSchema, () => hub.rootsChanged(this));
  }
}

function adapt(extra: HandlerExtra): ForwardExtra {
  return {
    signal: extra.signal,
    requestId: extra.requestId,
    sendNotification: (n) => extra.sendNotification(n),
    sendRequest: (request, options) => extra.sendRequest(request, ResultSchema, options),
  };
}
