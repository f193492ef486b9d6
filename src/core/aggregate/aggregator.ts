import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, type CallToolRequest, type ClientRequest, type LoggingLevel, type Progress, type Result, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { BackendConnection, BackendHost } from '../backends/backendConnection';
import { BackendManager } from '../backends/backendManager';
import type { InputResolver } from '../config/substitute';
import type { ServerConfig } from '../config/types';
import { Emitter } from '../event';
import type { Logger } from '../logger';
import { CallConfirmations } from '../integrity/callConfirmations';
import { needsConfirmation } from '../integrity/confirmPolicy';
import { ToolPins } from '../integrity/toolPins';
import { ProxyError } from '../rpcError';
import { Catalog, type NameCollision } from './catalog';
import { clientErrorFor } from './clientErrors';
import type { Caller, ClientSession, ForwardExtra } from './clientSession';
import { InflightRequests } from './inflightRequests';
import { namespaced } from './naming';
import { ResourceSubscriptions } from './resourceSubscriptions';

export interface AggregatorOptions {
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  readonly resolveInput?: InputResolver;
  readonly clientInfo: { name: string; version: string };
  readonly authProvider?: (server: ServerConfig) => Promise<OAuthClientProvider | undefined>;
  readonly authorizationReason?: (backend: string) => string | undefined;
  /** Milliseconds over which list_changed notifications are coalesced. */
  readonly notifyDelay?: number;
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
  readonly clientInfo: { name: string; version: string };
  private readonly sessions = new Set<ClientSession>();
  private readonly sessionsChanged = new Emitter<void>();
  /** A client session opened, closed or named its client. */
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly inflight = new InflightRequests();
  /** Which sessions are subscribed to which resources. */
  readonly subscriptions: ResourceSubscriptions = new ResourceSubscriptions(this);
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
    this.clientInfo = options.clientInfo;
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
      this.reportCollisions(this.currentCatalog.collisions);
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
    if (request.method === 'tools/call' && backend.config.confirm !== 'none') {
      const refusal = await this.confirmFirst(caller, backend, request.params, extra);
      if (refusal) return refusal;
    }
    return this.inflight.track(backendName, caller, extra, (onnotification) =>
      backend.request(request, { signal: extra.signal, onnotification }).catch((error: unknown) => {
        throw clientErrorFor(backend, error);
      }),
    );
  }

  /**
   * A backend asks its client something (sampling, elicitation, roots). It goes to the session whose
   * request the backend is serving (the newest, if several), else to the most recently active session
   * that sees this backend.
   */
  async handleServerRequest(backend: BackendConnection, request: ServerRequest, signal: AbortSignal): Promise<Result> {
    // The client reports progress on this request under its own token; relay it under the backend's.
    const token = request.params?._meta?.progressToken;
    const onprogress =
      token === undefined
        ? undefined
        : (progress: Progress) => void backend.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }).catch(() => undefined);
    const options = { signal, onprogress };
    const related = this.inflight.newest(backend.name);
    if (related) return related.sendRequest(request, options);
    const candidates = [...this.sessions].filter((s) => s.answersRequests && s.sees(backend.name)).sort((a, b) => b.lastActiveAt - a.lastActiveAt);
    const target = candidates[0];
    if (!target) throw new ProxyError(ErrorCode.InternalError, `No connected client can answer ${request.method} for backend "${backend.name}"`);
    return target.sendRequest(request, options);
  }

  /**
   * A backend's log message that names no request goes to every session that sees the backend; to a
   * session with a call in flight to it, on that call, so that it arrives before that call's result
   * (stdio and SSE cannot say which request a message belongs to).
   */
  handleNotification(backend: BackendConnection, notification: ServerNotification): void {
    if (notification.method === 'notifications/message') {
      for (const session of this.sessions) {
        if (!session.sees(backend.name)) continue;
        const call = this.inflight.newestOf(backend.name, session);
        if (call) call.relayLog(notification);
        else session.sendLog(notification.params);
      }
    } else if (notification.method === 'notifications/resources/updated') {
      const uri = namespaced(backend.config.prefix, notification.params.uri);
      for (const session of this.subscriptions.of(uri)) {
        if (session.sees(backend.name)) session.sendResourceUpdated({ ...notification.params, uri });
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
  private async confirmFirst(caller: Caller, backend: BackendConnection, params: CallToolRequest['params'], extra: ForwardExtra): Promise<Result | undefined> {
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

  private reportCollisions(collisions: readonly NameCollision[]): void {
    for (const c of collisions) {
      const key = `${c.backend}\0${c.kind}\0${c.name}`;
      if (this.reportedCollisions.has(key)) continue;
      this.reportedCollisions.add(key);
      this.logger.warn(`[${c.backend}] ${c.kind} "${c.name}" is hidden: the name is already used by backend "${c.keptBy}"`);
    }
  }
}

