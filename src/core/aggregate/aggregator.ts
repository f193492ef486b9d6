import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, type CallToolRequest, type CallToolResult, type ClientRequest, type LoggingLevel, type Progress, type Result, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ActivityRecorder } from '../activity/activityRecorder';
import type { RequestAsker } from '../backends/backendClient';
import type { BackendConnection, BackendHost } from '../backends/backendConnection';
import { BackendManager } from '../backends/backendManager';
import type { InputResolver } from '../config/substitute';
import type { ServerConfig } from '../config/types';
import { Emitter } from '../event';
import type { Logger } from '../logger';
import { CallConfirmations } from '../integrity/callConfirmations';
import { needsConfirmation } from '../integrity/confirmPolicy';
import { refusalError } from '../integrity/refusal';
import { ToolPins } from '../integrity/toolPins';
import { SecretValues } from '../redact';
import { ProxyError } from '../rpcError';
import { Catalog, type NameCollision } from './catalog';
import { clientErrorFor } from './clientErrors';
import type { Caller, ClientSession, ForwardExtra } from './clientSession';
import { InflightRequests } from './inflightRequests';
import { questionTarget, type QuestionRefusal } from './questionTarget';
import { ResourceSubscriptions } from './resourceSubscriptions';
import type { RoutedRequest } from './routedRequest';
import { taskCreatorTarget } from './taskCreator';
import { TaskRoutes, relatedTaskId, withRelatedTask, type TaskRoute } from './taskRoutes';

export type { QuestionRefusal } from './questionTarget';

export interface AggregatorOptions {
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  readonly resolveInput?: InputResolver;
  /** The secrets of the running config (see BackendHost); a set of its own when absent. */
  readonly secretValues?: SecretValues;
  readonly clientInfo: { name: string; version: string };
  readonly authProvider?: (server: ServerConfig) => Promise<OAuthClientProvider | undefined>;
  readonly authorizationReason?: (backend: string) => string | undefined;
  /** Milliseconds over which list_changed notifications are coalesced. */
  readonly notifyDelay?: number;
  /** Where calls are recorded (and traced); not recorded when absent. */
  readonly activity?: ActivityRecorder;
  /** The pins of tool definitions (persisted by the agent); in memory when absent. */
  readonly pins?: ToolPins;
  /** Where calls that `confirm` names wait for the user's yes; only the calling client is asked when absent. */
  readonly confirmations?: CallConfirmations;
}

const LOG_SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/**
 * The hub between client sessions and backends: owns the backends, the catalog built from them, the
 * open sessions, and routes everything that crosses between the two sides.
 */
export class Aggregator implements BackendHost {
  readonly backends: BackendManager;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly resolveInput: InputResolver;
  readonly secretValues: SecretValues;
  readonly clientInfo: { name: string; version: string };
  /** The activity record of calls, when kept. */
  readonly activity?: ActivityRecorder;
  private readonly sessions = new Set<ClientSession>();
  private readonly sessionsChanged = new Emitter<void>();
  /** A client session opened, closed or named its client. */
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly inflight = new InflightRequests();
  private readonly questionRefused = new Emitter<QuestionRefusal>();
  /** A backend's question was answered with an error: the agent could not tell which client it is for, or no client can answer it. */
  readonly onDidRefuseQuestion = this.questionRefused.event;
  /** Which sessions are subscribed to which resources. */
  readonly subscriptions: ResourceSubscriptions = new ResourceSubscriptions(this);
  /** The tasks clients created, by the ids they hold. */
  readonly tasks = new TaskRoutes();
  /** Callers waiting for a task the agent made of their call, by principal (see {@link forwardRouted}). */
  private readonly awaitingTasks = new Map<string, Caller>();
  private currentCatalog?: Catalog;
  private notifyTimer?: NodeJS.Timeout;
  private reportedCollisions = new Set<string>();
  /** What each server's tools were when the user accepted them; changed and new tools are held back. */
  readonly pins: ToolPins;
  /** Calls waiting for the user's yes before they run. */
  readonly confirmations: CallConfirmations;

  constructor(private readonly options: AggregatorOptions) {
    this.logger = options.logger;
    this.env = options.env ?? process.env;
    this.resolveInput = options.resolveInput ?? (async () => undefined);
    this.secretValues = options.secretValues ?? new SecretValues();
    this.clientInfo = options.clientInfo;
    this.activity = options.activity;
    this.pins = options.pins ?? new ToolPins({ logger: options.logger });
    this.confirmations = options.confirmations ?? new CallConfirmations({ logger: options.logger, editor: false });
    this.backends = new BackendManager(this);
    this.backends.onDidChange((change) => {
      if (!change.lists) return;
      // Before the catalog is built again: a changed tool never reaches a client, not even once.
      this.observeTools(change.backend);
      this.catalogChanged();
    });
    this.pins.onDidChange(() => this.catalogChanged());
  }

  async authProvider(server: ServerConfig): Promise<OAuthClientProvider | undefined> {
    return this.options.authProvider?.(server);
  }

  authorizationReason(backend: string): string | undefined {
    return this.options.authorizationReason?.(backend);
  }

  /** The current catalog, rebuilt on first use after any backend change. */
  get catalog(): Catalog {
    if (!this.currentCatalog) {
      const sources = this.backends
        .list()
        .filter((b) => b.status === 'connected')
        .map((b) => ({ name: b.name, prefix: b.config.prefix, disabledTools: b.config.disabledTools, heldTools: this.pins.held(b.name), lists: b.lists }));
      this.currentCatalog = new Catalog(sources);
      this.reportCollisions(this.currentCatalog);
    }
    return this.currentCatalog;
  }

  /** Name collisions per backend, for the state the UI shows. */
  collisionsOf(backend: string): NameCollision[] {
    return this.catalog.collisions.filter((c) => c.backend === backend);
  }

  addSession(session: ClientSession): void {
    this.sessions.add(session);
    this.sessionsChanged.fire();
  }

  removeSession(session: ClientSession): void {
    if (this.sessions.delete(session)) this.sessionsChanged.fire();
    this.subscriptions.drop(session);
    this.syncBackendLogLevels();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The open client sessions. */
  openSessions(): readonly ClientSession[] {
    return [...this.sessions];
  }

  /** A session learned something the agent's state shows (its client's name). */
  sessionChanged(): void {
    this.sessionsChanged.fire();
  }

  /**
   * Sends `request` to `backend` for `caller`: cancellation goes forward; progress, logging and whatever
   * else the backend sends about the request come back on it before the result.
   */
  async forward(caller: Caller, backendName: string, request: ClientRequest, extra: ForwardExtra): Promise<Result> {
    const backend = this.backendOrThrow(backendName);
    return this.inflight.track(backendName, caller, extra, (relay) =>
      backend.request(request, { signal: extra.signal, ...relay }).catch((error: unknown) => {
        throw clientErrorFor(backend, error);
      }),
    );
  }

  /**
   * Sends a routed request and gives what the caller sees of the result; the call goes into the activity
   * record, as the caller sees it (a task it started by the id it holds). A call its server's `confirm`
   * names waits for the user's yes first. A call the agent made a task of (a tool that runs only as one,
   * called without) waits here for the task's result, and the task is cancelled at the backend when the
   * caller gives up.
   */
  async forwardRouted(caller: Caller, routed: RoutedRequest, extra: ForwardExtra): Promise<Result> {
    const { backend, request } = routed;
    const call = this.activity?.begin(caller.identity, { method: request.method, target: routed.target, server: backend, serverTarget: routed.original, requestId: extra.requestId, params: request.params }, request);
    try {
      const confirming = this.confirmation(caller, routed, extra);
      const refusal = confirming && (await confirming);
      if (refusal) {
        call?.ok(refusal, refusal);
        return refusal;
      }
      const sent = await this.forward(caller, backend, call?.request ?? request, extra);
      const awaiting = routed.followTask?.(sent);
      const received = awaiting ? await this.awaitTask(caller, awaiting, extra) : sent;
      const result = (awaiting ?? routed).finish(received);
      call?.ok(received, result);
      return result;
    } catch (error) {
      call?.failed(error, extra.signal.aborted);
      throw error;
    }
  }

  /** The user's yes a tools/call waits for when its server's `confirm` asks for one: the error result the caller gets instead, if not given. */
  private confirmation(caller: Caller, routed: RoutedRequest, extra: ForwardExtra): Promise<CallToolResult | undefined> | undefined {
    const backend = this.backends.get(routed.backend);
    const { request } = routed;
    if (request.method !== 'tools/call' || !backend || backend.config.confirm === 'none') return undefined;
    return this.confirmFirst(caller, backend, request.params, extra).then((refusal) => {
      // A client that asked for a task expects a CreateTaskResult: it gets the refusal as an error.
      if (refusal && request.params.task !== undefined && !routed.followTask) throw refusalError(refusal);
      return refusal;
    });
  }

  /** The backend's result of the task the agent made of a call (`awaiting`: its `tasks/result` request). */
  private async awaitTask(caller: Caller, awaiting: RoutedRequest, extra: ForwardExtra): Promise<Result> {
    const principal = caller.principal;
    if (principal !== undefined) this.awaitingTasks.set(principal, caller);
    try {
      return await this.forward(caller, awaiting.backend, awaiting.request, extra);
    } catch (error) {
      if (extra.signal.aborted) {
        const cancel = { method: 'tasks/cancel', params: { taskId: (awaiting.request.params as { taskId: string }).taskId } } as ClientRequest;
        void this.backends.get(awaiting.backend)?.request(cancel).catch(() => undefined);
      }
      throw error;
    } finally {
      if (principal !== undefined && this.awaitingTasks.get(principal) === caller) this.awaitingTasks.delete(principal);
    }
  }

  /**
   * A backend asks its client something (sampling, elicitation, roots). It goes to the client of the
   * request it belongs to (`related`) when the backend said which; a question about a task, to the
   * client that created the task; otherwise see {@link questionTarget}: never to a client it may not be for.
   */
  async handleServerRequest(backend: BackendConnection, request: ServerRequest, signal: AbortSignal, related?: RequestAsker): Promise<Result> {
    // The client reports progress on this request under its own token; relay it under the backend's.
    const token = request.params?._meta?.progressToken;
    const onprogress =
      token === undefined
        ? undefined
        : (progress: Progress) => void backend.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }).catch(() => undefined);
    const options = { signal, onprogress };
    if (related) return related(request, options);
    // A question about a task goes to the client that owns the task, under the id that client holds.
    const task = this.taskOfQuestion(backend.name, request);
    const target = task
      ? taskCreatorTarget(task, request.method, this.inflight, this.sessions, this.awaitingTasks.get(task.principal))
      : questionTarget(backend.name, request.method, this.inflight, this.sessions);
    if ('refused' in target) throw this.refused(target.refused);
    return target.asked.sendRequest(task ? ({ ...request, params: withRelatedTask(request.params ?? {}, task.id) } as ServerRequest) : request, options);
  }

  /** The task a backend's question is about, among those clients created through the agent (MCP 2025-11-25 Tasks, "Related Task Metadata"). */
  private taskOfQuestion(backend: string, request: ServerRequest): TaskRoute | undefined {
    const original = relatedTaskId(request.params);
    return original === undefined ? undefined : this.tasks.fromBackend(backend, original);
  }

  /** Says why a question is refused (without its content) and tells whoever records it; the error the backend is answered. */
  private refused(refusal: QuestionRefusal): ProxyError {
    const line = `[${refusal.backend}] refused ${refusal.method}: ${refusal.message}`;
    // No client at all (none connected yet, none sees it) is routine; several that it might be for is worth a look.
    if (refusal.reason === 'ambiguous') this.logger.warn(line);
    else this.logger.debug(line);
    this.questionRefused.fire(refusal);
    return new ProxyError(ErrorCode.InternalError, refusal.message);
  }

  /**
   * A backend's log message that names no request (stdio and SSE cannot; on streamable HTTP, its GET
   * stream) follows the rule of questions: with calls in flight to the backend all of one caller, it
   * goes on that caller's newest call, before its result; with calls of several, to none of them (it may
   * belong to any); with no call in flight, to every session that sees the backend.
   */
  handleNotification(backend: BackendConnection, notification: ServerNotification): void {
    if (notification.method === 'notifications/message') {
      const callers = this.inflight.callersOf(backend.name);
      const [caller] = callers;
      if (callers.length > 1) this.logger.debug(`[${backend.name}] a log message that names no request was not relayed: calls of ${callers.length} clients are in flight to it`);
      else if (caller) this.inflight.newestOf(backend.name, caller)?.relayLog(notification);
      else for (const session of this.sessions) if (session.sees(backend.name)) session.sendLog(notification.params);
    } else if (notification.method === 'notifications/resources/updated') {
      for (const [session, uri] of this.subscriptions.of(backend.name, notification.params.uri)) {
        if (session.sees(backend.name)) session.sendResourceUpdated({ ...notification.params, uri });
      }
    } else if (notification.method === 'notifications/tasks/status') {
      // Only to the client that created the task, under the id it holds.
      const route = this.tasks.fromBackend(backend.name, notification.params.taskId);
      if (!route) return;
      for (const session of this.sessions) {
        if (session.principal === route.principal && session.sees(backend.name)) session.sendTaskStatus({ ...notification.params, taskId: route.id });
      }
    }
  }

  /**
   * Backends log at the most verbose level any session asked for; each session then filters to its own
   * level, so one client's logging/setLevel never changes what another receives.
   */
  syncBackendLogLevels(): void {
    const levels = [...this.sessions].map((s) => s.logLevel).filter((l): l is LoggingLevel => l !== undefined);
    if (levels.length === 0) return;
    const level = levels.reduce((a, b) => (LOG_SEVERITY.indexOf(a) <= LOG_SEVERITY.indexOf(b) ? a : b));
    for (const backend of this.backends.list()) {
      if (backend.status === 'connected' && backend.capabilities?.logging) {
        backend.request({ method: 'logging/setLevel', params: { level } }).catch((error: unknown) => this.logger.debug(`[${backend.name}] setLevel: ${String(error)}`));
      }
    }
  }

  /** Forwards a client's roots/list_changed to the backends it sees. */
  rootsChanged(session: Caller): void {
    for (const backend of this.backends.list()) {
      if (session.sees(backend.name)) void backend.notify({ method: 'notifications/roots/list_changed' }).catch(() => undefined);
    }
  }

  /** Recomputes the catalog soon and tells each session whose view changed. */
  catalogChanged(): void {
    this.currentCatalog = undefined;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      for (const session of this.sessions) session.notifyListChanges();
    }, this.options.notifyDelay ?? 20);
    this.notifyTimer.unref();
  }

  /** The user's yes before a tool its server's `confirm` names runs; the error result the caller gets instead, if not. */
  private async confirmFirst(caller: Caller, backend: BackendConnection, params: CallToolRequest['params'], extra: ForwardExtra): Promise<CallToolResult | undefined> {
    const tool = backend.lists.tools.find((t) => t.name === params.name);
    if (!tool || !needsConfirmation(backend.config.confirm, tool)) return undefined;
    return this.confirmations.confirm({
      server: backend.name,
      tool: tool.name,
      clientName: caller.clientName,
      arguments: params.arguments,
      session: caller.keepsAnswers ? caller : undefined,
      ask: caller.elicits ? (request, options) => extra.sendRequest(request, options) : undefined,
      signal: extra.signal,
    });
  }

  /** A backend's lists changed: its tools are checked against their pins (or it left the config: what it held goes). */
  private observeTools(backend: BackendConnection): void {
    if (this.backends.get(backend.name) !== backend) this.pins.forget(backend.name);
    else if (backend.status === 'connected') this.pins.observe(backend.name, backend.lists.tools, backend.config.pinTools);
  }

  backendOrThrow(name: string): BackendConnection {
    const backend = this.backends.get(name);
    if (!backend) throw new ProxyError(ErrorCode.InvalidParams, `Backend "${name}" is not configured`);
    return backend;
  }

  async close(): Promise<void> {
    clearTimeout(this.notifyTimer);
    await Promise.all([...this.sessions].map((s) => s.close()));
    await this.backends.close();
  }

  private reportCollisions(catalog: Catalog): void {
    const once = (key: string): boolean => !this.reportedCollisions.has(key) && Boolean(this.reportedCollisions.add(key));
    for (const c of catalog.collisions) {
      if (once(`${c.backend}\0${c.kind}\0${c.name}`)) this.logger.warn(`[${c.backend}] ${c.kind} "${c.name}" is hidden: the name is already used by backend "${c.keptBy}"`);
    }
    for (const c of catalog.allResources().collisions) {
      if (once(`${c.backend}\0resource\0${c.uri}`)) this.logger.info(`[${c.backend}] resource "${c.uri}" is offered by another backend too: clients that see both get "${c.exposed}"`);
    }
  }
}

