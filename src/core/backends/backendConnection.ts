import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ResultSchema,
  ToolListChangedNotificationSchema,
  type ClientNotification,
  type ClientRequest,
  type Result,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/types';
import { substituteServer, type InputResolver } from '../config/substitute';
import { Emitter } from '../event';
import { LazyJsonSchemaValidator } from '../lazyJsonSchemaValidator';
import { errorMessage, type Logger } from '../logger';
import { describeRefusal, offersModern, versionsOfRefusal } from '../modern/backendEra';
import { ModernBackendClient } from '../modern/modernBackendClient';
import { MODERN_PROTOCOL_VERSION } from '../modern/protocol';
import type { BackendClient, BackendClientHandlers } from './backendClient';
import { EMPTY_LISTS, fetchLists, type BackendLists, type ListKind } from './backendLists';
import { createSseTransport, createTransport, httpStatusOf, type TransportOptions } from './createTransport';
import { StderrTail } from './stderrTail';
import { StdioProcessTransport } from './stdioTransport';

export type BackendStatus = 'disabled' | 'connecting' | 'connected' | 'awaiting_oauth' | 'error';

/** What the rest of the agent supplies to a backend connection. */
export interface BackendHost {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly resolveInput: InputResolver;
  readonly clientInfo: { name: string; version: string };
  /** Answers a request the backend sends to its client (sampling, elicitation, roots). */
  handleServerRequest(backend: BackendConnection, request: ServerRequest, signal: AbortSignal): Promise<Result>;
  /** Receives logging and resource-update notifications from the backend. */
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

/**
 * One backend MCP server: an SDK Client over stdio, streamable HTTP or SSE, its status machine
 * (`disabled -> connecting -> connected | awaiting_oauth | error`), supervised restarts with exponential
 * backoff, and a cache of what it offers. start() and close() are idempotent.
 */
export class BackendConnection {
  private readonly changed = new Emitter<BackendChange>();
  readonly onDidChange = this.changed.event;

  private client?: BackendClient;
  private transport?: Transport;
  /** The era that worked last, under `protocol: "auto"`; tried first on the next connect. */
  private era?: 'modern' | 'legacy';
  private clientEra?: 'modern' | 'legacy';
  private _status: BackendStatus = 'connecting';
  private _reason?: string;
  private _lists: BackendLists = EMPTY_LISTS;
  private _capabilities?: ServerCapabilities;
  private _instructions?: string;
  private _lastConnectedAt?: number;
  private readonly stderr = new StderrTail();
  private attempts = 0;
  private generation = 0;
  private retryTimer?: NodeJS.Timeout;
  private stableTimer?: NodeJS.Timeout;
  private closed = true;

  constructor(private _config: ServerConfig, private readonly host: BackendHost) {
    if (_config.disabled) this._status = 'disabled';
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
  get lastConnectedAt(): number | undefined {
    return this._lastConnectedAt;
  }
  get restarts(): number {
    return this.attempts;
  }
  get stderrTail(): string[] {
    return this.stderr.snapshot();
  }
  /** The protocol era of the current connection, once connected. */
  get protocolEra(): 'modern' | 'legacy' | undefined {
    return this.client ? this.clientEra : undefined;
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
    this.setStatus(this._config.disabled ? 'disabled' : 'connecting', undefined, true);
  }

  /** Closes and connects again with a fresh restart budget (the user's "Restart"). */
  async restart(): Promise<void> {
    await this.close();
    this.attempts = 0;
    this.stderr.clear();
    this.start();
  }

  /**
   * Applies an edited config. Changes that affect the connection reconnect; tags, prefix and
   * disabledTools only change what clients see.
   */
  async update(config: ServerConfig): Promise<void> {
    const reconnect = connectionKey(config) !== connectionKey(this._config) || config.disabled !== this._config.disabled;
    this._config = config;
    if (reconnect) {
      this.era = undefined;
      await this.close();
      this.attempts = 0;
      this.start();
    } else {
      this.changed.fire({ backend: this, lists: true });
    }
  }

  /** Sends a request to the backend, bounded by its requestTimeout; fails at once when not connected. */
  request(request: ClientRequest, options: Pick<RequestOptions, 'signal' | 'onprogress'> = {}): Promise<Result> {
    const client = this.client;
    if (!client || this._status !== 'connected') {
      return Promise.reject(new McpError(ErrorCode.InternalError, `Backend "${this.name}" is not available (${this._status}${this._reason ? `: ${this._reason}` : ''})`));
    }
    return client.request(request, ResultSchema, { ...options, timeout: this._config.requestTimeout }).catch((error: unknown) => {
      if (error instanceof UnauthorizedError && this.client === client) void this.requireAuthorization();
      throw error;
    });
  }

  /** The config with `${…}` references resolved, as the connection uses it. */
  resolvedConfig(): Promise<ServerConfig> {
    return substituteServer(this._config, this.host.env, this.host.resolveInput);
  }

  /** The backend's sign-in stopped working: disconnect and wait for the user to authorize it again. */
  async requireAuthorization(reason?: string): Promise<void> {
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    await this.disconnect();
    this.setStatus('awaiting_oauth', reason ?? this.authorizationReason(), true);
  }

  private authorizationReason(): string {
    return this.host.authorizationReason?.(this.name) ?? 'the server requires authorization: use Authorize to sign in';
  }

  /** Sends a notification (cancelled, progress, roots/list_changed) to the backend if connected. */
  async notify(notification: ClientNotification): Promise<void> {
    if (this._status === 'connected') await this.client?.notification(notification);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.closed;
    this.setStatus('connecting', this.attempts > 0 ? this._reason : undefined, false);
    try {
      const server = await this.resolvedConfig();
      const client = await this.open(server, current);
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
      this.failed(error, false);
    }
  }

  /**
   * Opens the transport and the client. The era follows `protocol`: under `auto` the 2025 handshake
   * comes first (no probe a handshake-era server could choke on), and a server that refuses it with
   * -32022 naming 2026-07-28 is spoken to in that revision from then on. For `http`, a refused
   * streamable HTTP falls back to SSE.
   */
  private async open(server: ServerConfig, current: () => boolean): Promise<BackendClient | undefined> {
    const authProvider = server.type === 'stdio' ? undefined : await this.host.authProvider?.(server);
    const options = { onStderr: (chunk: string) => this.onStderr(chunk), authProvider };
    if (server.protocol === 'modern' || (server.protocol === 'auto' && this.era === 'modern')) {
      try {
        return await this.openModern(server, options, current);
      } catch (error) {
        if (server.protocol === 'modern' || !current() || httpStatusOf(error) === 401) throw modernFailure(error, server.protocol === 'modern');
        this.era = undefined;
        await this.disconnect();
      }
    }
    try {
      return await this.openWith(createTransport(server, options), current);
    } catch (error) {
      const versions = versionsOfRefusal(error);
      if (versions !== undefined && current()) {
        if (server.protocol === 'legacy' || !offersModern(versions)) throw new Error(describeRefusal(versions, server.protocol === 'legacy'), { cause: error });
        this.host.logger.info(`[${this.name}] refused the 2025 handshake (it speaks ${versions.join(', ')}); connecting with MCP ${MODERN_PROTOCOL_VERSION}`);
        await this.disconnect();
        const client = await this.openModern(server, options, current);
        this.era = 'modern';
        return client;
      }
      const status = httpStatusOf(error);
      if (server.type !== 'http' || status === undefined || status === 401 || !current()) throw error;
      this.host.logger.debug(`[${this.name}] streamable HTTP refused (${status}); trying SSE`);
      await this.disconnect();
      return this.openWith(createSseTransport(server, options), current);
    }
  }

  private openModern(server: ServerConfig, options: TransportOptions, current: () => boolean): Promise<BackendClient | undefined> {
    return this.openWith(ModernBackendClient.transport(server, options), current, new ModernBackendClient(this.host.clientInfo, this.handlers()));
  }

  private async openWith(transport: Transport, current: () => boolean, modern?: BackendClient & Connectable): Promise<BackendClient | undefined> {
    const connecting = modern ?? this.createClient(this.handlers());
    this.clientEra = modern ? 'modern' : 'legacy';
    this.client = connecting;
    this.transport = transport;
    await connecting.connect(transport, { timeout: this._config.connectionTimeout });
    if (!current()) {
      await connecting.close();
      return undefined;
    }
    this._capabilities = connecting.getServerCapabilities();
    this._instructions = connecting.getInstructions();
    connecting.onclose = () => {
      if (current() && this.client === connecting) void this.lost(connecting);
    };
    return connecting;
  }

  /** Where the backend's requests and notifications go, for a client of either era. */
  private handlers(): BackendClientHandlers {
    return {
      request: (request, signal) => this.host.handleServerRequest(this, request, signal),
      listChanged: (kind) => {
        if (this.client) void this.refreshList(this.client, kind);
      },
      notification: (notification) => this.host.handleNotification(this, notification),
      error: (error) => this.host.logger.debug(`[${this.name}] ${error.message}`),
    };
  }

  private createClient(handlers: BackendClientHandlers): Client {
    const client = new Client(this.host.clientInfo, {
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      jsonSchemaValidator: new LazyJsonSchemaValidator(),
    });
    const forward = (request: ServerRequest, extra: { signal: AbortSignal }) => handlers.request(request, extra.signal);
    client.setRequestHandler(CreateMessageRequestSchema, forward as never);
    client.setRequestHandler(ElicitRequestSchema, forward as never);
    client.setRequestHandler(ListRootsRequestSchema, forward as never);
    const refresh = (kind: ListKind) => () => handlers.listChanged(kind);
    client.setNotificationHandler(ToolListChangedNotificationSchema, refresh('tools'));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, refresh('resources'));
    client.setNotificationHandler(PromptListChangedNotificationSchema, refresh('prompts'));
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => handlers.notification(n));
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => handlers.notification(n));
    client.onerror = (error) => handlers.error(error);
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
    this.failed(new Error(why ?? 'connection closed'), true);
  }

  private failed(error: unknown, wasConnected: boolean): void {
    clearTimeout(this.stableTimer);
    if (error instanceof UnauthorizedError || httpStatusOf(error) === 401) {
      this.host.logger.info(`[${this.name}] awaiting OAuth authorization`);
      this.setStatus('awaiting_oauth', this.authorizationReason(), true);
      return;
    }
    const why = describeFailure(error, this.transport);
    const { restartOnExit, maxRestarts, restartDelay } = this._config;
    if (!restartOnExit || this.attempts >= maxRestarts) {
      const reason = restartOnExit && maxRestarts > 0 ? `crash loop: ${why} (gave up after ${maxRestarts} restarts)` : why;
      this.host.logger.error(`[${this.name}] ${reason}`);
      this.setStatus('error', reason, true);
      return;
    }
    const delay = restartDelay * 2 ** this.attempts;
    this.attempts++;
    const retry = `restart ${this.attempts}/${maxRestarts} in ${formatDelay(delay)}`;
    this.host.logger.warn(`[${this.name}] ${why}; ${retry}`);
    this.setStatus(wasConnected ? 'connecting' : 'error', `${why}; ${retry}`, true);
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
    this._reason = reason;
    this.changed.fire({ backend: this, lists });
  }
}

/** A client that connects over a transport, as both eras' clients do. */
interface Connectable {
  connect(transport: Transport, options: { timeout: number }): Promise<void>;
}

/** The fields whose change needs a new connection. */
function connectionKey(config: ServerConfig): string {
  const { type, command, args, env, cwd, url, headers, connectionTimeout, oauth, protocol } = config;
  return JSON.stringify({ type, command, args, env, cwd, url, headers, connectionTimeout, oauth, protocol });
}

/** A failed 2026-07-28 connect, said as what it means for the user's config when the era was pinned. */
function modernFailure(error: unknown, pinned: boolean): unknown {
  if (!pinned || httpStatusOf(error) === 401 || !/negotiat|discover/i.test(errorMessage(error))) return error;
  return new Error(`the server does not speak MCP ${MODERN_PROTOCOL_VERSION} (${errorMessage(error)}); set its "protocol" to "auto" or "legacy"`, { cause: error });
}

function describeFailure(error: unknown, transport: Transport | undefined): string {
  const exit = transport instanceof StdioProcessTransport ? transport.exitReason : undefined;
  const message = errorMessage(error);
  if (exit && exit !== 'closed' && !message.includes(exit)) return `${message} (${exit})`;
  return message;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
