import type * as http from 'node:http';
import * as path from 'node:path';
import { createRecorder, type ActivityRecorder } from './activity/activityRecorder';
import { NO_ACTIVITY, type ActivityReader } from './activity/activityRing';
import { traceCalls } from './activity/tracing';
import type { AgentOptions } from './agentOptions';
import { Aggregator } from './aggregate/aggregator';
import { connectedClients } from './sessions/connectedClients';
import type { AgentActions } from './state/agentActions';
import type { ApprovalDecision } from './auth/approvalBroker';
import type { AuthorizationServer, InProcessTokens } from './auth/authorizationServer';
import { createAuthServer } from './agentAuth';
import type { TokenSet } from './auth/tokenService';
import { ConfigWatcher } from './config/configWatcher';
import { createConfigFile, loadConfig, loadConfigNow } from './config/loadConfig';
import { BackendLogins } from './backends/oauth/backendLogins';
import { BackendOAuth } from './backends/oauth/backendOAuth';
import { describeBackend } from './state/backendState';
import type { CloseReason } from './http/control/controlProtocol';
import type { ControlTarget } from './http/control/controlRoute';
import { MemorySecretStore } from './secrets/secretStore';
import { rememberingInputs } from './config/secretValues';
import type { AgentConfig } from './config/types';
import { DEFAULT_HOST, DEFAULT_PORT } from './endpointDefaults';
import type { Disposable } from './event';
import { CLIENTS_FIRST_MS } from './backends/backendManager';
import { createApp } from './http/createApp';
import { healthReport } from './state/healthReport';
import type { HttpContext } from './http/httpContext';
import { DEFAULT_LIMITS, type HttpLimits } from './http/limits';
import { closeServer, listen, type BoundServer } from './http/listen';
import { requestPolicy } from './http/requestPolicy';
import { HttpError } from './httpError';
import { describeListenAddress, isWildcardAddress, listeningText, NetworkWithoutAuthError, urlHost, type ListenAddress } from './listenAddress';
import { settlesWithin } from './settlesWithin';
import { cuttingLogger, errorMessage } from './logger';
import { SecretValues } from './redact';
import { AgentEventEmitter, type AgentEvents } from './state/agentEvents';
import type { AgentPhase, AgentState, ServedBy } from './state/agentState';
import { AGENT_NAME, AGENT_VERSION } from './version';
import { CallConfirmations, type ConfirmAnswer } from './integrity/callConfirmations';
import { PinFile } from './integrity/pinFile';
import { ToolPins } from './integrity/toolPins';
import { terminalKeyIn } from './integrity/terminalKey';
export type { AgentOptions } from './agentOptions';

/**
 * The composition root: config, backends, aggregate and HTTP server. start() and close() are idempotent;
 * views read {@link Agent.state} and listen to its {@link Agent.events}.
 */
export class Agent implements AgentActions, ControlTarget {
  private readonly emitter = new AgentEventEmitter();
  readonly events: AgentEvents = this.emitter;
  private readonly closeListeners = new Set<(reason: CloseReason) => Promise<void>>();
  readonly actions: AgentActions = this;
  readonly servedBy: ServedBy;
  readonly hub: Aggregator;
  /** The agent as OAuth client of backends that need a login. */
  private readonly backendOAuth: BackendOAuth;
  /** Authorize, approve and sign out backends that need a login. */
  readonly backendLogins: BackendLogins;
  private config?: AgentConfig;
  private server?: http.Server;
  private boundPort?: number;
  private listening?: ListenAddress;
  /** Whether the bound address includes loopback, where the dashboard answers. */
  private servesLoopback = false;
  private phase: AgentPhase = 'stopped';
  private failure?: string;
  private configError?: string;
  private starting?: Promise<void>;
  private closing?: Promise<void>;
  private stateTimer?: NodeJS.Timeout;
  private watcher?: ConfigWatcher;
  private reloading = Promise.resolve(true);
  /** The authorization server for clients, when auth is on. */
  private readonly authServer?: AuthorizationServer;
  /** Every call through the agent; absent when told to record nothing. */
  private readonly recorder?: ActivityRecorder;
  /** The key a terminal proves to act on the agent, once read or made in the state folder. */
  private terminalKey?: Promise<string | undefined>;
  /** The secret values of the running config: cut out of every log line and of what backends write. */
  private readonly secretValues = new SecretValues();
  private readonly options: AgentOptions;
  private readonly limits: HttpLimits;

  constructor(given: AgentOptions) {
    const { secretValues } = this;
    const options = { ...given, logger: cuttingLogger(given.logger, (text) => secretValues.cutKnown(text)), resolveInput: given.resolveInput && rememberingInputs(given.resolveInput, secretValues) };
    this.options = options;
    this.limits = { ...DEFAULT_LIMITS, ...given.limits };
    this.servedBy = options.servedBy ?? { kind: 'cli', label: '1MCP CLI', pid: process.pid };
    const secrets = options.secrets ?? new MemorySecretStore();
    this.backendOAuth = new BackendOAuth(secrets, () => this.baseUrl ?? '', options.logger, (text) => secretValues.cutKnown(text));
    this.recorder = createRecorder(options.activity, options.logger, {
      recordArguments: () => this.config?.activity.arguments ?? false,
      oauthClientName: (clientId) => this.authServer?.client(clientId)?.clientName,
    });
    this.recorder?.onDidChange((change) => this.emitter.fireActivity(change));
    const pinFile = options.stateDir === undefined ? undefined : new PinFile(path.join(options.stateDir, 'tool-pins.json'), options.logger);
    this.hub = new Aggregator({
      activity: this.recorder,
      pins: new ToolPins({ file: pinFile, logger: options.logger }),
      // In VS Code a notification asks too (the first answer wins).
      confirmations: new CallConfirmations({ logger: options.logger, editor: this.servedBy.kind === 'editor' }),
      logger: options.logger,
      env: options.env,
      resolveInput: options.resolveInput,
      secretValues: this.secretValues,
      clientInfo: { name: AGENT_NAME, version: AGENT_VERSION },
      authProvider: (server) => this.backendOAuth.providerFor(server),
      authorizationReason: (backend) => this.backendOAuth.reasonFor(backend),
    });
    this.backendLogins = new BackendLogins(this.backendOAuth, this.hub.backends);
    this.hub.backends.onDidChange(() => this.scheduleStateChange());
    this.hub.onDidChangeSessions(() => this.scheduleStateChange());
    this.backendOAuth.onDidChange(() => this.scheduleStateChange());
    this.hub.pins.onDidChange(() => this.scheduleStateChange());
    this.hub.confirmations.onDidChange(() => this.scheduleStateChange());
    this.backendOAuth.onDidLoseAuthorization(({ backend, reason }) => void this.hub.backends.get(backend)?.requireAuthorization(reason));
    if (options.auth?.enabled) {
      this.authServer = createAuthServer(options.auth, {
        secrets,
        logger: options.logger,
        events: this.emitter,
        dashboardUrl: () => this.dashboardUrl,
        availableTags: () => (this.config?.servers ?? []).flatMap((s) => s.tags),
      });
      this.authServer.onDidChange(() => this.scheduleStateChange());
    }
  }

  /** The calls recorded in memory (none when the agent records nothing). */
  get activity(): ActivityReader {
    return this.recorder?.reader ?? NO_ACTIVITY;
  }

  get host(): string {
    return this.options.host ?? DEFAULT_HOST;
  }

  /** Where clients reach the agent (the external URL when set), once listening; no trailing slash. */
  get baseUrl(): string | undefined {
    if (this.boundPort === undefined) return undefined;
    return this.options.externalUrl?.replace(/\/$/, '') ?? `http://${urlHost(this.host)}:${this.boundPort}`;
  }

  /**
   * The dashboard on this machine, once listening: a loopback URL, since the dashboard answers only to
   * a direct loopback peer. Undefined when the agent is bound to an address other machines reach, without loopback.
   */
  get dashboardUrl(): string | undefined {
    if (this.boundPort === undefined || !this.servesLoopback) return undefined;
    return `http://${urlHost(this.host)}:${this.boundPort}/oauth`;
  }

  /** The `/mcp` URL, once listening. */
  get endpoint(): string | undefined {
    return this.baseUrl === undefined ? undefined : `${this.baseUrl}/mcp`;
  }

  /**
   * Binds the port while it reads the config, starts listening, then connects backends in the
   * background. Rejects with PortInUseError when another process holds the port, before anything
   * else is done.
   */
  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.setPhase('starting');
    // Read at once (see loadConfigNow), before the bind; a file that does not load fails the start
    // only once the port is this agent's (a process that finds it taken follows, whatever its config).
    const configRead = new Promise<AgentConfig>((resolve) => resolve(loadConfigNow(this.options.configPath, { missing: this.options.createConfig ? 'empty' : undefined, tags: this.options.tags })));
    configRead.catch(() => undefined);
    const pinsLoaded = this.hub.pins.load();
    this.terminalKey = terminalKeyIn(this.options.stateDir, this.options.logger);
    let bound: BoundServer | undefined;
    try {
      bound = await listen(this.host, this.options.port ?? DEFAULT_PORT, this.limits);
      const listening = describeListenAddress(bound.address, bound.port);
      if (!listening.loopbackOnly && !this.authServer) throw new NetworkWithoutAuthError(listening);
      // History comes back beside the start, once the port is this agent's: an agent that served it
      // before wrote its last records before letting it go (close()), so a takeover reads them all.
      void this.recorder?.load();
      // Requests that need the stored grants wait for them (createApp).
      const authReady = this.authServer?.start();
      authReady?.catch(() => undefined);
      this.config = await configRead;
      bound.serve(createApp(this.httpContext()));
      this.server = bound.server;
      this.boundPort = bound.port;
      this.listening = listening;
      this.servesLoopback = listening.loopbackOnly || isWildcardAddress(bound.address);
      this.options.logger.info(`1MCP agent ${listeningText(listening, this.options.externalUrl)}`);
      this.setPhase('running');
      traceCalls(this.recorder, this.options.env ?? process.env, this.options.otlpEndpoint, this.options.logger);
      await authReady;
      if (this.options.createConfig) await createConfigFile(this.options.configPath, this.options.logger);
      // Pins first: a tool that changed while the agent was down is held from the first list on.
      await pinsLoaded;
      this.backendOAuth.retain(this.config.servers);
      void this.hub.backends.apply(this.config.servers, CLIENTS_FIRST_MS);
      if (this.options.watchConfig !== false) {
        this.watcher = new ConfigWatcher(this.options.configPath, () => void this.reload(), this.options.logger);
        this.watcher.start();
      }
    } catch (error) {
      if (bound && !this.server) await closeServer(bound.server);
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
      const config = await loadConfig(this.options.configPath, { tags: this.options.tags });
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

  /**
   * Stops listening and ends every session and backend process. `reason` tells following windows what
   * to do: wait for it to come back (`restart`), stop too (`stop`), or take over (`shutdown`).
   */
  close(reason: CloseReason = 'shutdown'): Promise<void> {
    this.closing ??= this.doClose(reason);
    return this.closing;
  }

  private async doClose(reason: CloseReason): Promise<void> {
    await this.starting?.catch(() => undefined);
    // Following windows are told why the agent goes; close() waits half a second for that at most.
    if (this.server) await settlesWithin(Promise.all([...this.closeListeners].map((listener) => listener(reason).catch(() => undefined))), 500);
    this.setPhase('stopping');
    // On disk before the listener goes: the window that takes over reads it back.
    await this.recorder?.flush();
    this.watcher?.dispose();
    const server = this.server;
    this.server = undefined;
    await Promise.all([server ? closeServer(server) : undefined, this.hub.close(), this.authServer?.close({ persist: server !== undefined })]);
    await this.hub.pins.flush();
    await this.recorder?.close();
    this.backendOAuth.close();
    this.boundPort = undefined;
    this.listening = undefined;
    clearTimeout(this.stateTimer);
    this.setPhase('stopped');
    this.emitter.dispose();
    this.closeListeners.clear();
  }

  /** Runs `listener` when close() begins, before the listener goes; close() waits for it a moment. */
  onWillClose(listener: (reason: CloseReason) => Promise<void>): Disposable {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
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
      listening: this.listening,
      sessions: this.hub.sessionCount,
      backends: this.hub.backends.list().map((b) => describeBackend(b, this.hub, this.backendOAuth)),
      auth: { enabled: this.authServer !== undefined, scopeValidation: this.authServer?.scopeValidation ?? false },
      pendingApprovals: this.authServer?.pendingApprovals() ?? [],
      clients: this.authServer?.clients() ?? [],
      toolReviews: this.hub.pins.pending(),
      pendingConfirmations: this.hub.confirmations.pending(),
      connectedClients: connectedClients(this.hub.openSessions()),
      pendingConnections: this.backendOAuth.pendingConnections,
      ...(this.boundPort !== undefined && { servedBy: this.servedBy, role: 'serving' as const }),
    };
  }

  /** Approves (with the tags to grant) or denies a pending authorization request; HttpError 404 if it is over. */
  async decideApproval(id: string, decision: ApprovalDecision): Promise<void> {
    this.requireAuth().decideApproval(id, decision);
  }

  async restartBackend(name: string): Promise<void> {
    const backend = this.hub.backends.get(name);
    if (!backend) throw new HttpError(404, 'not_found', `No backend named "${name}"`);
    await backend.restart();
  }

  authorizeBackend(name: string): Promise<string | undefined> {
    return this.backendLogins.authorize(name);
  }

  signOutBackend(name: string): Promise<void> {
    return this.backendLogins.signOut(name);
  }

  decideConnection(backend: string, approve: boolean): Promise<void> {
    return this.backendLogins.decide(backend, approve);
  }

  /** Accepts held tools; `by` names who did in the log (this process's window or terminal when absent). */
  async acceptTools(server: string, tools?: readonly string[], seen?: Readonly<Record<string, string>>, by = this.servedBy.kind === 'editor' ? `VS Code window “${this.servedBy.label}”` : 'the 1MCP CLI'): Promise<readonly string[]> {
    return this.hub.pins.accept(server, by, tools, seen);
  }

  async answerConfirmation(id: string, answer: ConfirmAnswer): Promise<void> {
    this.hub.confirmations.answer(id, answer);
  }

  /** Forgets a registered client and revokes every token it holds; false if there was no such client. */
  revokeClient(clientId: string): Promise<boolean> {
    return this.requireAuth().revokeClient(clientId);
  }

  /**
   * Tokens for a client living in the host process (VS Code's own MCP client), issued once the user
   * approves the request like any other (it appears in `pendingApprovals`). Keep `clientId` and the
   * refresh token; later sessions call {@link refreshInProcessClient} without asking the user again.
   * Rejects with HttpError 403 `access_denied` if the user denies or the request expires.
   */
  authorizeInProcessClient(request: { clientName: string; tags?: readonly string[] }): Promise<InProcessTokens> {
    const resource = this.endpoint;
    if (!resource) return Promise.reject(new Error('The agent is not listening'));
    return this.requireAuth().authorizeInProcess({ ...request, resource });
  }

  /** Rotates an in-process client's refresh token; the old one is spent (reusing it revokes the grant). */
  refreshInProcessClient(clientId: string, refreshToken: string): Promise<TokenSet> {
    return this.requireAuth().refreshInProcess(clientId, refreshToken);
  }

  private requireAuth(): AuthorizationServer {
    if (!this.authServer) throw new Error('Client authorization is off (start the agent with --enable-auth)');
    return this.authServer;
  }

  private httpContext(): HttpContext {
    const { externalUrl, auth } = this.options;
    return {
      hub: this.hub,
      logger: this.options.logger,
      ...requestPolicy({ host: this.host, externalUrl, config: () => this.config, authServer: this.authServer, auth }),
      health: (detailed) => healthReport(this.state, AGENT_VERSION, detailed),
      backendLogins: this.backendLogins,
      state: () => this.state,
      control: this.options.control && { target: this, options: this.options.control },
      terminalKey: () => this.terminalKey ?? Promise.resolve(undefined),
      limits: this.limits,
    };
  }

  private setPhase(phase: AgentPhase): void {
    this.phase = phase;
    this.emitter.fireState(this.state);
  }

  /** Coalesces bursts of backend changes into one state event. */
  private scheduleStateChange(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.emitter.fireState(this.state);
    }, 10);
    this.stateTimer.unref();
  }
}
