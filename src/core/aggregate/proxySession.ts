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
  type ClientRequest,
  type LoggingLevel,
  type LoggingMessageNotification,
  type ReadResourceResult,
  type ResourceUpdatedNotification,
  type Result,
  type ServerCapabilities,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { BackendSelector } from '../filter/selector';
import { LazyJsonSchemaValidator } from '../lazyJsonSchemaValidator';
import { ProxyError } from '../rpcError';
import { SessionTools } from '../search/sessionTools';
import type { ToolModeChoice } from '../search/toolMode';
import type { Aggregator, ClientRequestOptions, ForwardExtra } from './aggregator';
import type { CatalogView } from './catalog';
import { namespaced } from './naming';
import { unknownPromptError, unknownToolError, type NameContext } from './unknownName';
import { encodedJson } from '../sharedJson';

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
export class ProxySession {
  readonly server: Server;
  lastActiveAt = Date.now();
  logLevel?: LoggingLevel;
  readonly owner?: string;
  /** The session's tools as its tool mode offers them (all, or the two search tools). */
  readonly tools: SessionTools;
  private readonly capabilities: ServerCapabilities;
  private sentView?: CatalogView;

  constructor(private readonly hub: Aggregator, readonly selector: BackendSelector, options: ProxySessionOptions = {}) {
    this.owner = options.owner;
    this.tools = new SessionTools(options.toolMode ?? (() => 'all'), hub, () => this.server?.getClientVersion()?.name ?? options.clientName);
    this.capabilities = this.computeCapabilities();
    this.server = new Server(hub.clientInfo, {
      capabilities: this.capabilities,
      instructions: [this.tools.instructions(this.catalogView()), this.instructions()].filter(Boolean).join('\n\n') || undefined,
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
    const connection = this.hub.backends.get(backend);
    return connection !== undefined && this.selector.matches(connection.config.tags);
  }

  /** The lists this session is sent. */
  view(): CatalogView {
    return this.tools.lists(this.catalogView());
  }

  /** Everything this session's selection includes, whatever its tool mode. */
  catalogView(): CatalogView {
    return this.hub.catalog.view(this.selector.key, (b) => this.sees(b));
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
    const changed = <K extends keyof CatalogView>(key: K): boolean => !encodedJson(before[key]).equals(encodedJson(after[key]));
    const send = (method: 'notifications/tools/list_changed' | 'notifications/resources/list_changed' | 'notifications/prompts/list_changed') =>
      void this.server.notification({ method }).catch(() => undefined);
    if (this.capabilities.tools && changed('tools')) send('notifications/tools/list_changed');
    if (this.capabilities.resources && (changed('resources') || changed('resourceTemplates'))) send('notifications/resources/list_changed');
    if (this.capabilities.prompts && changed('prompts')) send('notifications/prompts/list_changed');
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
    server.fallbackRequestHandler = touch(async (request, extra) => {
      if (request.method !== 'tools/call') throw new ProxyError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
      const call = request.params === undefined ? { params: undefined } : this.tools.call(request.params, () => this.catalogView());
      if ('result' in call) return call.result as never;
      const params = call.params as { name?: unknown; arguments?: unknown } | undefined;
      if (typeof params?.name !== 'string' || (params.arguments !== undefined && (typeof params.arguments !== 'object' || params.arguments === null))) {
        throw new ProxyError(ErrorCode.InvalidParams, 'Invalid tools/call request: params need a string "name" and an object "arguments"');
      }
      const { name } = params;
      const entry = hub.catalog.tools.get(name);
      if (!entry || !this.sees(entry.backend)) throw unknownToolError(name, this.nameContext());
      return (await hub.forward(this, entry.backend, { method: 'tools/call', params: { ...params, name: entry.original } } as ClientRequest, adapt(extra))) as never;
    });

    if (caps.resources) {
      server.setRequestHandler(ListResourcesRequestSchema, touch(() => this.view().resources));
      server.setRequestHandler(ListResourceTemplatesRequestSchema, touch(() => this.view().resourceTemplates));
      server.setRequestHandler(ReadResourceRequestSchema, touch(async (request, extra) => {
        const { backend, original } = this.resolveResource(request.params.uri);
        const result = (await hub.forward(this, backend, { method: 'resources/read', params: { ...request.params, uri: original } }, adapt(extra))) as ReadResourceResult;
        const prefix = hub.backendOrThrow(backend).config.prefix;
        return { ...result, contents: result.contents.map((c) => ({ ...c, uri: namespaced(prefix, c.uri) })) };
      }));
      if (caps.resources.subscribe) {
        server.setRequestHandler(SubscribeRequestSchema, touch(async (request) => {
          const { backend, original } = this.resolveResource(request.params.uri);
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
      server.setRequestHandler(GetPromptRequestSchema, touch(async (request, extra) => {
        const entry = this.resolvePrompt(request.params.name);
        return (await hub.forward(this, entry.backend, { method: 'prompts/get', params: { ...request.params, name: entry.original } }, adapt(extra))) as never;
      }));
    }

    if (caps.completions) {
      server.setRequestHandler(CompleteRequestSchema, touch(async (request, extra) => {
        const { ref } = request.params;
        const target = ref.type === 'ref/prompt' ? this.resolvePrompt(ref.name) : this.resolveTemplate(ref.uri);
        const routedRef = ref.type === 'ref/prompt' ? { ...ref, name: target.original } : { ...ref, uri: target.original };
        return (await hub.forward(this, target.backend, { method: 'completion/complete', params: { ...request.params, ref: routedRef } }, adapt(extra))) as never;
      }));
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

  private resolveResource(uri: string): { backend: string; original: string } {
    const target = this.hub.catalog.resolveResource(uri);
    if (!target || !this.sees(target.backend)) {
      throw new ProxyError(ErrorCode.InvalidParams, `Resource "${uri}" not found; resources/list and resources/templates/list name those this session can read`);
    }
    return target;
  }

  private resolvePrompt(name: string): { backend: string; original: string } {
    const entry = this.hub.catalog.prompts.get(name);
    if (!entry || !this.sees(entry.backend)) throw unknownPromptError(name, this.nameContext());
    return entry;
  }

  private nameContext(): NameContext {
    const reachable = (backend: string): boolean => {
      const tags = this.hub.backends.get(backend)?.config.tags;
      return tags !== undefined && (this.selector.reachable?.(tags) ?? true);
    };
    return { catalog: this.hub.catalog, backends: this.hub.backends.list(), sees: (b) => this.sees(b), reachable };
  }

  private resolveTemplate(uri: string): { backend: string; original: string } {
    const entry = this.hub.catalog.resourceTemplates.get(uri);
    if (entry && this.sees(entry.backend)) return entry;
    return this.resolveResource(uri);
  }

  /**
   * Advertises only what the selected backends offer. Backends still connecting count as offering
   * everything, since the list_changed notifications that announce them need the capability declared.
   */
  private computeCapabilities(): ServerCapabilities {
    const selected = this.hub.backends.list().filter((b) => this.selector.matches(b.config.tags) && b.status !== 'disabled');
    const pending = selected.some((b) => b.status === 'connecting' || b.status === 'restarting' || b.status === 'awaiting_oauth');
    const has = (test: (c: ServerCapabilities) => unknown): boolean => pending || selected.some((b) => b.capabilities !== undefined && Boolean(test(b.capabilities)));
    const caps: ServerCapabilities = { tools: { listChanged: true } };
    if (has((c) => c.resources)) caps.resources = { listChanged: true, ...(has((c) => c.resources?.subscribe) && { subscribe: true }) };
    if (has((c) => c.prompts)) caps.prompts = { listChanged: true };
    if (has((c) => c.completions)) caps.completions = {};
    if (has((c) => c.logging)) caps.logging = {};
    return caps;
  }

  private instructions(): string | undefined {
    const parts = this.hub.backends
      .list()
      .filter((b) => b.instructions && this.selector.matches(b.config.tags))
      .map((b) => `## ${b.name}\n${b.instructions ?? ''}`);
    return parts.length > 0 ? parts.join('\n\n') : undefined;
  }
}

function adapt(extra: HandlerExtra): ForwardExtra {
  return {
    signal: extra.signal,
    sendNotification: (n) => extra.sendNotification(n),
    sendRequest: (request, options) => extra.sendRequest(request, ResultSchema, options),
  };
}
