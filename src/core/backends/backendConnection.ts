import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from './oauth/sdkAuth';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  type ClientNotification,
  type ClientRequest,
  type Result,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/types';
import { secretValuesOf } from '../config/secretValues';
import { substituteServer, type InputResolver } from '../config/substitute';
import { Emitter } from '../event';
import { errorMessage, type Logger } from '../logger';
import type { SecretValues } from '../redact';
import { ProxyError } from '../rpcError';
import { PassThroughResultSchema } from '../sharedJson';
import { BACKEND_STATUS_LABELS, statusDetail, type BackendStatus } from './backendStatus';
import type { BackendClient, ListKind, RequestAsker } from './backendClient';
import { describeFailure, isPermanent, type BackendError, type RestartPlan } from './backendFailure';
import { EMPTY_LISTS, fetchLists, type BackendLists } from './backendLists';
import { checkedListener } from './backendNotifications';
import { ConnectionOpener } from './connectionOpener';
import { httpStatusOf } from './createTransport';
import { ModernBackendClient } from './modernBackendClient';
import type { RoutingTransport } from './routingTransport';
import { StderrTail } from './stderrTail';
import { StdioProcessTransport } from './stdioTransport';

/** What the rest of the agent supplies to a backend connection. */
export interface BackendHost {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly resolveInput: InputResolver;
  /** The secrets of the running config: each backend adds its own, and whatever it writes is shown without them. */
  readonly secretValues: SecretValues;
  readonly clientInfo: { name: string; version: string };
  /**
   * Answers a request the backend sends to its client (sampling, elicitation, roots). `related` is the
   * {@link BackendRequestOptions.onrequest} of the request the backend said it belongs to (its streamable
   * HTTP answer, an `input_required` result); without it, the backend did not say.
   */
  handleServerRequest(backend: BackendConnection, request: ServerRequest, signal: AbortSignal, related?: RequestAsker): Promise<Result>;
  /** Receives logging not tied to one request, and resource-update notifications, from the backend. */
  handleNotification(backend: BackendConnection, notification: ServerNotification): void;
  /** OAuth client for an HTTP backend the user has signed in to; undefined otherwise. */
  authProvider?(server: ServerConfig): Promise<OAuthClientProvider | undefined>;
  /** Why a backend needs the user to authorize it again, when known. */
  authorizationReason?(backend: string): string | undefined;
}

/** Fired when a backend's state changes; `lists` says whether what it offers to clients changed. */
export interface BackendChange {
  readonly backend: BackendConnection;
  readonly lists: boolean;
}

/** How long a backend must stay up before its restart counter starts again from zero. */
const STABLE_AFTER_MS = 30_000;

/** Options of one request to a backend. */
export interface BackendRequestOptions {
  readonly signal?: AbortSignal;
  /** Receives what the backend sends about this request (progress, logging…), in order, before the result. */
  readonly onnotification?: (notification: ServerNotification) => void;
  /** Asks this request's client what the backend asks while serving it, when the backend says so (see {@link BackendHost.handleServerRequest}). */
  readonly onrequest?: RequestAsker;
}

/**
 * One backend MCP server: an SDK Client over stdio, streamable HTTP or SSE, its status machine
 * (`disabled -> connecting -> connected | awaiting_oauth | restarting | error`), supervised restarts
 * with exponential backoff, and a cache of what it offers. start() and close() are idempotent.
 */
export class BackendConnection {
  private readonly changed = new Emitter<BackendChange>();
  readonly onDidChange = this.changed.event;

  private client?: BackendClient;
  /** The transport itself, and the routing the handshake-era Client talks through. */
  private transport?: Transport;
  private routing?: RoutingTransport;
  private readonly opener: ConnectionOpener;
  private _status: BackendStatus = 'connecting';
  private _reason?: string;
  private _lastError?: BackendError;
  private _nextRestart?: RestartPlan;
  private _lists: BackendLists = EMPTY_LISTS;
  private _capabilities?: ServerCapabilities;
  private _instructions?: string;
  private _lastConnectedAt?: number;
  private readonly stderr = new StderrTail((text) => this.host.secretValues.redact(text));
  private attempts = 0;
  private generation = 0;
  private retryTimer?: NodeJS.Timeout;
  private stableTimer?: NodeJS.Timeout;
  private closed = true;

  constructor(private _config: ServerConfig, private readonly host: BackendHost) {
    if (_config.disabled) this._status = 'disabled';
    this.opener = new ConnectionOpener({
      name: _config.name,
      logger: host.logger,
      clientInfo: host.clientInfo,
      authProvider: async (server) => host.authProvider?.(server),
      serverRequest: (request, signal, related) => host.handleServerRequest(this, request, signal, related),
      notification: (notification) => host.handleNotification(this, notification),
      listChanged: (client, kind) => void this.refreshList(client, kind),
      stderr: (chunk) => this.onStderr(chunk),
      hold: (client, transport, routing) => {
        this.client = client;
        this.transport = transport;
        this.routing = routing;
      },
      disconnect: () => this.disconnect(),
    });
  }

  get name(): string {
    return this._config.name;
  }
  get config(): ServerConfig {
    return this._config;
  }
  get status(): BackendStatus {
    return this._status;
  }
  get reason(): string | undefined {
    return this._reason;
  }
  get lists(): BackendLists {
    return this._lists;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this._capabilities;
  }
  get instructions(): string | undefined {
    return this._instructions;
  }
  /** The protocol era of the current connection, once connected. */
  get protocolEra(): 'modern' | 'legacy' | undefined {
    if (!this.client) return undefined;
    return this.client instanceof ModernBackendClient ? 'modern' : 'legacy';
  }
  get lastConnectedAt(): number | undefined {
    return this._lastConnectedAt;
  }
  get restarts(): number {
    return this.attempts;
  }
  /** Why it last failed; kept across automatic restarts, cleared by the user's Restart or a new config. */
  get lastError(): BackendError | undefined {
    return this._lastError;
  }
  /** The restart it waits for, while `restarting`. */
  get nextRestart(): RestartPlan | undefined {
    return this._nextRestart;
  }
  get stderrTail(): string[] {
    return this.stderr.snapshot();
  }

  /** Connects in the background; never throws. */
  start(): void {
    if (!this.closed) return;
    this.closed = false;
    if (this._config.disabled) {
      this.setStatus('disabled', undefined, false);
      return;
    }
    void this.connect();
  }

  /** Disconnects and stops supervising; in-flight requests fail with a connection-closed error. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    await this.disconnect();
    this._nextRestart = undefined;
    this.setStatus(this._config.disabled ? 'disabled' : 'connecting', undefined, true);
  }

  /** Closes and connects again with a fresh restart budget (the user's "Restart"). */
  async restart(): Promise<void> {
    await this.close();
    this.startAfresh();
  }

  /**
   * Applies an edited config. Changes that affect the connection reconnect; tags, prefix and
   * disabledTools only change what clients see.
   */
  async update(config: ServerConfig): Promise<void> {
    const reconnect = connectionKey(config) !== connectionKey(this._config) || config.disabled !== this._config.disabled;
    this._config = config;
    if (reconnect) {
      this.opener.forgetEra();
      await this.close();
      this.startAfresh();
    } else {
      this.changed.fire({ backend: this, lists: true });
    }
  }

  /** Sends a request to the backend, bounded by its requestTimeout; fails at once when not connected. */
  request(request: ClientRequest, options: BackendRequestOptions = {}): Promise<Result> {
    const client = this.client;
    if (client instanceof ModernBackendClient && this._status === 'connected') {
      return client.forward(request, { ...options, timeout: this._config.requestTimeout });
    }
    const routing = this.routing;
    if (!client || !routing || this._status !== 'connected') return Promise.reject(this.unavailable());
    const listener = options.onnotification && checkedListener({ name: this.name, logger: this.host.logger }, options.onnotification);
    const tracked = (listener || options.onrequest) && routing.track(request.params, listener, options.onrequest);
    const routed = tracked ? ({ ...request, params: tracked.params } as ClientRequest) : request;
    return client
      .request(routed, PassThroughResultSchema, { signal: options.signal, timeout: this._config.requestTimeout })
      .catch((error: unknown) => {
        if (error instanceof UnauthorizedError && this.client === client) void this.requireAuthorization();
        throw error;
      })
      .finally(() => tracked?.release());
  }

  private unavailable(): ProxyError {
    const detail = statusDetail(this);
    return new ProxyError(ErrorCode.InternalError, `Backend "${this.name}" is not available: ${BACKEND_STATUS_LABELS[this._status]}${detail ? ` — ${detail}` : ''}`);
  }

  /** The config with `${…}` references resolved, as the connection uses it; its secret values become known. */
  async resolvedConfig(): Promise<ServerConfig> {
    const server = await substituteServer(this._config, this.host.env, this.host.resolveInput);
    this.host.secretValues.remember(`server:${this.name}`, secretValuesOf(server));
    return server;
  }

  /** The secrets of the running config, for what this backend wrote that a client is told. */
  get secretValues(): SecretValues {
    return this.host.secretValues;
  }

  /** The backend's sign-in stopped working: disconnect and wait for the user to authorize it again. */
  async requireAuthorization(reason?: string): Promise<void> {
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    await this.disconnect();
    this._nextRestart = undefined;
    this.setStatus('awaiting_oauth', reason ?? this.authorizationReason(), true);
  }

  private authorizationReason(): string {
    return this.host.authorizationReason?.(this.name) ?? 'the server requires authorization: use Authorize to sign in';
  }

  /** Sends a notification (cancelled, progress, roots/list_changed) to the backend if connected. */
  async notify(notification: ClientNotification): Promise<void> {
    if (this._status === 'connected') await this.client?.notification(notification);
  }

  private startAfresh(): void {
    this.attempts = 0;
    this._lastError = undefined;
    this.stderr.clear();
    this.start();
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.closed;
    this._nextRestart = undefined;
    this.setStatus('connecting', undefined, false);
    try {
      const server = await this.resolvedConfig();
      const client = await this.connected(await this.opener.open(server, current), current);
      if (!client) return;
      const lists = await fetchLists(client, this._config.requestTimeout);
      if (!current()) return;
      this._lists = { ...EMPTY_LISTS, ...lists };
      this._lastConnectedAt = Date.now();
      this.stableTimer = setTimeout(() => (this.attempts = 0), STABLE_AFTER_MS);
      this.stableTimer.unref();
      this.host.logger.info(`[${this.name}] connected (${this._lists.tools.length} tools)`);
      this.setStatus('connected', undefined, true);
    } catch (error) {
      if (!current()) return;
      await this.disconnect();
      this.failed(error);
    }
  }

  /** A client has connected: keep what it learned, and watch it close. */
  private async connected(client: BackendClient, current: () => boolean): Promise<BackendClient | undefined> {
    if (!current()) {
      await client.close();
      return undefined;
    }
    this._capabilities = client.getServerCapabilities();
    this._instructions = client.getInstructions();
    client.onclose = () => {
      if (current() && this.client === client) void this.lost(client);
    };
    return client;
  }

  private async refreshList(client: BackendClient, kind: ListKind): Promise<void> {
    try {
      const lists = await fetchLists(client, this._config.requestTimeout, kind === 'resources' ? ['resources', 'resourceTemplates'] : [kind]);
      if (this.client !== client) return;
      this._lists = { ...this._lists, ...lists };
      this.changed.fire({ backend: this, lists: true });
    } catch (error) {
      this.host.logger.warn(`[${this.name}] could not refresh ${kind}: ${errorMessage(error)}`);
    }
  }

  /** The connection dropped or the process exited while connected. */
  private async lost(client: BackendClient): Promise<void> {
    const why = this.transport instanceof StdioProcessTransport ? this.transport.exitReason : undefined;
    if (this.client === client) this.client = undefined;
    await this.disconnect();
    this.failed(new Error(why ?? 'connection closed'));
  }

  private failed(error: unknown): void {
    clearTimeout(this.stableTimer);
    if (error instanceof UnauthorizedError || httpStatusOf(error) === 401) {
      this.host.logger.info(`[${this.name}] awaiting OAuth authorization`);
      this.setStatus('awaiting_oauth', this.authorizationReason(), true);
      return;
    }
    const now = Date.now();
    const failure = describeFailure(error, this.transport, this.stderr.tellingLine(), now, (text) => this.host.secretValues.redact(text));
    this._lastError = failure;
    const why = failure.message;
    const { restartOnExit, maxRestarts, restartDelay } = this._config;
    if (isPermanent(error)) {
      this.host.logger.error(`[${this.name}] ${why}; not restarted until the config changes or you restart it`);
      this.setStatus('error', why, true);
      return;
    }
    if (!restartOnExit || this.attempts >= maxRestarts) {
      const reason = restartOnExit && maxRestarts > 0 ? `crash loop: ${why} (gave up after ${maxRestarts} restarts)` : why;
      this.host.logger.error(`[${this.name}] ${reason}`);
      this.setStatus('error', reason, true);
      return;
    }
    const delay = restartDelay * 2 ** this.attempts;
    this.attempts++;
    this._nextRestart = { attempt: this.attempts, of: maxRestarts, at: now + delay };
    this.host.logger.warn(`[${this.name}] ${why}; restart ${this.attempts}/${maxRestarts} in ${formatDelay(delay)}`);
    this.setStatus('restarting', why, true);
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      if (generation === this.generation && !this.closed) void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.routing = undefined;
    this._capabilities = undefined;
    this._instructions = undefined;
    this._lists = EMPTY_LISTS;
    try {
      if (client) await client.close();
      else await transport?.close();
    } catch (error) {
      this.host.logger.debug(`[${this.name}] close: ${errorMessage(error)}`);
    }
  }

  private onStderr(chunk: string): void {
    for (const line of this.stderr.push(chunk)) this.host.logger.debug(`[${this.name}] stderr: ${line}`);
  }

  private setStatus(status: BackendStatus, reason: string | undefined, lists: boolean): void {
    this._status = status;
    this._reason = reason === undefined ? undefined : this.host.secretValues.cutKnown(reason);
    this.changed.fire({ backend: this, lists });
  }
}

/** The fields whose change needs a new connection. */
function connectionKey(config: ServerConfig): string {
  const { type, command, args, env, cwd, url, headers, connectionTimeout, oauth, protocol } = config;
  return JSON.stringify({ type, command, args, env, cwd, url, headers, connectionTimeout, oauth, protocol });
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
