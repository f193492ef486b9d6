import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
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
} from '@modelcontextprotocol/sdk/types.js';
import type { BackendSelector } from '../filter/selector';
import { LazyJsonSchemaValidator } from '../lazyJsonSchemaValidator';
import { ProxyError } from '../rpcError';
import type { Aggregator, ClientRequestOptions, ClientSession, ForwardExtra } from './aggregator';
import { CallerView, type RoutedMethod } from './callerView';
import { changedLists, type CatalogView } from './catalog';

const LEVELS = LoggingLevelSchema.options;

type HandlerExtra = Parameters<Parameters<Server['setRequestHandler']>[1]>[1];

/**
 * One client session of the aggregate endpoint: an SDK Server that answers from the catalog, filtered
 * by the session's backend selection, and forwards calls, reads and gets to the owning backend.
 */
export class ProxySession implements ClientSession {
  readonly server: Server;
  readonly answersRequests = true;
  lastActiveAt = Date.now();
  logLevel?: LoggingLevel;
  /** What this session sees, decided once for its selection. */
  readonly callerView: CallerView;
  private readonly capabilities: ServerCapabilities;
  private sentView?: CatalogView;

  constructor(private readonly hub: Aggregator, readonly selector: BackendSelector) {
    this.callerView = new CallerView(hub, selector);
    this.capabilities = this.callerView.capabilities();
    this.server = new Server(hub.clientInfo, {
      capabilities: this.capabilities,
      instructions: this.callerView.instructions(),
      jsonSchemaValidator: new LazyJsonSchemaValidator(),
    });
    this.registerHandlers();
    this.server.onclose = () => this.hub.removeSession(this);
  }

  /** Attaches the inbound transport and starts taking requests. */
  async connect(transport: Transport): Promise<void> {
    this.hub.addSession(this);
    await this.server.connect(transport);
    this.sentView = this.view();
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** Whether this session's selection includes `backend`. */
  sees(backend: string): boolean {
    return this.callerView.sees(backend);
  }

  view(): CatalogView {
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
    const forward = async (method: RoutedMethod, params: Record<string, unknown> | undefined, extra: HandlerExtra): Promise<never> => {
      const routed = this.callerView.route(method, params);
      return routed.finish(await hub.forward(this, routed.backend, routed.request, adapt(extra))) as never;
    };
    server.fallbackRequestHandler = touch(async (request, extra) => {
      if (request.method !== 'tools/call') throw new ProxyError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
      return forward('tools/call', request.params, extra);
    });

    if (caps.resources) {
      server.setRequestHandler(ListResourcesRequestSchema, touch(() => this.view().resources));
      server.setRequestHandler(ListResourceTemplatesRequestSchema, touch(() => this.view().resourceTemplates));
      server.setRequestHandler(ReadResourceRequestSchema, touch((request, extra) => forward('resources/read', request.params, extra)));
      if (caps.resources.subscribe) {
        server.setRequestHandler(SubscribeRequestSchema, touch(async (request) => {
          const { backend, original } = this.callerView.resource(request.params.uri);
          await hub.subscribe(this, request.params.uri, backend, original);
          return {};
        }));
        server.setRequestHandler(UnsubscribeRequestSchema, touch(async (request) => {
          await hub.unsubscribe(this, request.params.uri);
          return {};
        }));
      }
    }

    if (caps.prompts) {
      server.setRequestHandler(ListPromptsRequestSchema, touch(() => this.view().prompts));
      server.setRequestHandler(GetPromptRequestSchema, touch((request, extra) => forward('prompts/get', request.params, extra)));
    }

    if (caps.completions) {
      server.setRequestHandler(CompleteRequestSchema, touch((request, extra) => forward('completion/complete', request.params, extra)));
    }

    if (caps.logging) {
      server.setRequestHandler(SetLevelRequestSchema, touch((request) => {
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
    sendNotification: (n) => extra.sendNotification(n),
    sendRequest: (request, options) => extra.sendRequest(request, ResultSchema, options),
  };
}
