import type * as http from 'node:http';
import { Aggregator } from './aggregate/aggregator';
import type { BackendConnection } from './backends/backendConnection';
import { ConfigWatcher } from './config/configWatcher';
import { loadConfig } from './config/loadConfig';
import { BackendOAuth, type CallbackParams } from './backends/oauth/backendOAuth';
import { HttpError } from './http/httpError';
import { MemorySecretStore, type SecretStore } from './secrets/secretStore';
import type { InputResolver } from './config/substitute';
import type { AgentConfig } from './config/types';
import { Emitter } from './event';
import { selectorFromQuery } from './filter/fromQuery';
import { createApp } from './http/createApp';
import { allowedHostnames } from './http/hostGuard';
import type { HttpContext } from './http/httpContext';
import { closeServer, listen } from './http/listen';
import { errorMessage, type Logger } from './logger';
import type { AgentPhase, AgentState, BackendState } from './state';
import { AGENT_NAME, AGENT_VERSION } from './version';

export interface AgentOptions {
  /** The mcp.json to serve. */
  readonly configPath: string;
  /** Bind address; 127.0.0.1 unless the user chose otherwise. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port?: number;
  /** Public base URL when the agent sits behind a proxy; its host is then accepted in Host/Origin. */
  readonly externalUrl?: string;
  readonly logger: Logger;
  readonly resolveInput?: InputResolver;
  readonly env?: NodeJS.ProcessEnv;
  /** Reload when the config file changes (default true). */
  readonly watchConfig?: boolean;
  /** Where tokens and client registrations are kept; in memory (lost on exit) when absent. */
  readonly secrets?: SecretStore;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3050;

/**
 * The composition root: config, backends, aggregate and HTTP server. start() and close() are idempotent;
 * views read {@link Agent.state} and listen to {@link Agent.onDidChangeState}.
 */
export class Agent {
  private readonly stateChanged = new Emitter<AgentState>();
  readonly onDidChangeState = this.stateChanged.event;
  readonly hub: Aggregator;
  /** The agent as OAuth client of backends that need a login. */
  readonly backendOAuth: BackendOAuth;
  private config?: AgentConfig;
  private server?: http.Server;
  private boundPort?: number;
  private phase: AgentPhase = 'stopped';
  private failure?: string;
  private configError?: string;
  private starting?: Promise<void>;
  private closing?: Promise<void>;
  private stateTimer?: NodeJS.Timeout;
  private watcher?: ConfigWatcher;
  private reloading = Promise.resolve(true);

  constructor(private readonly options: AgentOptions) {
    this.backendOAuth = new BackendOAuth(options.secrets ?? new MemorySecretStore(), () => this.baseUrl ?? '', options.logger);
    this.hub = new Aggregator({
      logger: options.logger,
      env: options.env,
      resolveInput: options.resolveInput,
      clientInfo: { name: AGENT_NAME, version: AGENT_VERSION },
      authProvider: (server) => this.backendOAuth.providerFor(server),
      authorizationReason: (backend) => this.backendOAuth.reasonFor(backend),
    });
    this.hub.backends.onDidChange(() => this.scheduleStateChange());
    this.backendOAuth.onDidChange(() => this.scheduleStateChange());
    this.backendOAuth.onDidLoseAuthorization(({ backend, reason }) => void this.hub.backends.get(backend)?.requireAuthorization(reason));
  }

  get host(): string {
    return this.options.host ?? DEFAULT_HOST;
  }

  /** Where clients reach the agent (the external URL when set), once listening; no trailing slash. */
  get baseUrl(): string | undefined {
    if (this.boundPort === undefined) return undefined;
    return this.options.externalUrl?.replace(/\/$/, '') ?? `http://${formatHost(this.host)}:${this.boundPort}`;
  }

  /** The `/mcp` URL, once listening. */
  get endpoint(): string | undefined {
    return this.baseUrl === undefined ? undefined : `${this.baseUrl}/mcp`;
  }

  /** Loads the config, starts listening, then connects backends in the background. */
  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.setPhase('starting');
    try {
      this.config = await loadConfig(this.options.configPath);
      const app = createApp(this.httpContext());
      const { server, port } = await listen(app, this.host, this.options.port ?? DEFAULT_PORT);
      this.server = server;
      this.boundPort = port;
      this.options.logger.info(`1MCP agent listening on ${this.endpoint ?? ''}`);
      this.setPhase('running');
      this.backendOAuth.retain(this.config.servers);
      void this.hub.backends.apply(this.config.servers);
      if (this.options.watchConfig !== false) {
        this.watcher = new ConfigWatcher(this.options.configPath, () => void this.reload(), this.options.logger);
        this.watcher.start();
      }
    } catch (error) {
      this.failure = errorMessage(error);
      this.setPhase('failed');
      await this.hub.close();
      throw error;
    }
  }

  /**
   * Re-reads the config file and applies it: only servers whose connection settings changed reconnect.
   * A file that does not load leaves the running config alone. Reloads run one at a time.
   */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<boolean> {
    if (this.phase !== 'running') return false;
    try {
      const config = await loadConfig(this.options.configPath);
      this.config = config;
      this.configError = undefined;
      this.options.logger.info(`Config reloaded from ${this.options.configPath}`);
      this.backendOAuth.retain(config.servers);
      await this.hub.backends.apply(config.servers);
      this.scheduleStateChange();
      return true;
    } catch (error) {
      this.configError = errorMessage(error);
      this.options.logger.error(`Config not reloaded; the last good config keeps running.\n${this.configError}`);
      this.scheduleStateChange();
      return false;
    }
  }

  /** Stops listening and ends every session and backend process. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    await this.starting?.catch(() => undefined);
    this.setPhase('stopping');
    this.watcher?.dispose();
    const server = this.server;
    this.server = undefined;
    await Promise.all([server ? closeServer(server) : undefined, this.hub.close()]);
    this.backendOAuth.close();
    this.boundPort = undefined;
    clearTimeout(this.stateTimer);
    this.setPhase('stopped');
    this.stateChanged.dispose();
  }

  get state(): AgentState {
    return {
      phase: this.phase,
      error: this.failure,
      configError: this.configError,
      configPath: this.options.configPath,
      host: this.host,
      port: this.boundPort ?? this.options.port ?? DEFAULT_PORT,
      endpoint: this.endpoint,
      sessions: this.hub.sessionCount,
      backends: this.hub.backends.list().map((b) => this.backendState(b)),
      pendingConnections: this.backendOAuth.pendingConnections,
    };
  }

  /**
   * Starts signing in to a backend that awaits OAuth. Returns the service's authorization page to open
   * in a browser, or undefined when stored credentials were enough and the backend reconnects.
   */
  async authorizeBackend(name: string): Promise<string | undefined> {
    const backend = this.backendNamed(name);
    if (backend.config.type === 'stdio') throw new HttpError(400, 'invalid_request', `"${name}" is a stdio backend; only HTTP backends sign in`);
    const url = await this.backendOAuth.authorize(await backend.resolvedConfig());
    if (url === undefined) await backend.restart();
    return url;
  }

  /** Completes a backend sign-in from the service's redirect; the connection then awaits approval. */
  async completeBackendLogin(name: string, params: CallbackParams): Promise<void> {
    await this.backendOAuth.completeCallback(await this.backendNamed(name).resolvedConfig(), params);
  }

  /** The user's answer to "connect this backend with the sign-in just obtained?". */
  async decideBackendConnection(name: string, approve: boolean): Promise<void> {
    const backend = this.backendNamed(name);
    if (!approve) {
      this.backendOAuth.deny(name);
      return;
    }
    await this.backendOAuth.approve(await backend.resolvedConfig());
    await backend.restart();
  }

  /** Deletes a backend's tokens; it returns to Awaiting OAuth. */
  async signOutBackend(name: string): Promise<void> {
    const backend = this.backendNamed(name);
    await this.backendOAuth.signOut(name);
    await backend.restart();
  }

  private backendNamed(name: string): BackendConnection {
    const backend = this.hub.backends.get(name);
    if (!backend) throw new HttpError(404, 'not_found', `No backend named "${name}"`);
    return backend;
  }

  private backendState(backend: BackendConnection): BackendState {
    const { config } = backend;
    const catalog = this.hub.catalog;
    const tools = [...catalog.tools.values()]
      .filter((e) => e.backend === backend.name)
      .map((e) => ({ name: e.item.name, title: e.item.title, description: e.item.description }));
    return {
      name: backend.name,
      type: config.type,
      status: backend.status,
      reason: backend.reason,
      stderr: backend.stderrTail,
      tags: config.tags,
      disabledTools: config.disabledTools,
      tools,
      restarts: backend.restarts,
      lastConnectedAt: backend.lastConnectedAt,
      authorizationUrl: backend.status === 'awaiting_oauth' ? this.backendOAuth.authorizationUrlFor(backend.name) : undefined,
      warnings: this.hub.collisionsOf(backend.name).map((c) => `${c.kind} "${c.name}" hidden: already provided by "${c.keptBy}"`),
    };
  }

  private httpContext(): HttpContext {
    return {
      hub: this.hub,
      logger: this.options.logger,
      allowedHosts: allowedHostnames(this.host, this.options.externalUrl),
      selectorFor: (req) => selectorFromQuery(req.query, this.config?.presets ?? {}),
      requestOwner: () => undefined,
      health: () => ({
        status: 'ok',
        version: AGENT_VERSION,
        sessions: this.hub.sessionCount,
        backends: this.hub.backends.list().map((b) => ({ name: b.name, type: b.config.type, status: b.status, tools: b.lists.tools.length })),
      }),
      completeBackendLogin: (server, params) => this.completeBackendLogin(server, params),
    };
  }

  private setPhase(phase: AgentPhase): void {
    this.phase = phase;
    this.stateChanged.fire(this.state);
  }

  /** Coalesces bursts of backend changes into one state event. */
  private scheduleStateChange(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.stateChanged.fire(this.state);
    }, 10);
    this.stateTimer.unref();
  }
}

function formatHost(host: string): string {
  if (host.includes(':')) return `[${host}]`;
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}
