import * as path from 'node:path';
import { NO_ACTIVITY, type ActivityReader } from '../core/activity/activityRing';
import type { AgentActions } from '../core/state/agentActions';
import { Agent } from '../core/agent';
import type { ApprovalBroker } from '../core/auth/approvalBroker';
import { defaultStateDir } from '../core/config/configPath';
import type { InputResolver } from '../core/config/substitute';
import type { EditorToken } from '../core/http/control/controlProtocol';
import { SharedAgent } from '../core/control/sharedAgent';
import { WindowKey } from '../core/control/windowKey';
import { errorMessage, type Logger } from '../core/logger';
import { ReplicatedSecretStore } from '../core/secrets/replicatedSecretStore';
import type { SecretStore } from '../core/secrets/secretStore';
import { AgentEventEmitter, type AgentEvents } from '../core/state/agentEvents';
import { idleState, type AgentState, type ServedBy } from '../core/state/agentState';
import { DisposableStore } from './disposableStore';
import { restartKey, type Settings } from './settings';

export interface AgentHostOptions {
  readonly logger: Logger;
  /** The current settings, read at every start. */
  readonly settings: () => Settings;
  readonly resolveInput: InputResolver;
  /** This window's SecretStorage (the OS keychain), shared by the windows of a profile. */
  readonly secrets: SecretStore;
  readonly env?: NodeJS.ProcessEnv;
  /** Announces client authorization requests (the editor's notifications and dashboard). */
  readonly broker?: ApprovalBroker;
  /** This window, as other windows and the status bar name it. */
  readonly servedBy: ServedBy;
  /** The extension's global storage: the activity record's file, shared by every window that serves in turn. */
  readonly stateFolder: string;
  /** Tokens for the editor's own MCP client of another window, handed out while this window serves. */
  readonly editorToken: () => Promise<EditorToken>;
  /** Told when a start fails (bad config, port held by another program); start() itself never rejects. */
  readonly onStartFailed: (error: unknown, settings: Settings) => void;
}

/**
 * The agent as this window sees it: one {@link SharedAgent} per run, which serves the agent here or
 * follows the window (or CLI) that does. Starts and stops run one at a time in call order; the state
 * event outlives runs. Everything registered for a run goes into the run scope, disposed when it ends.
 */
export class AgentHost {
  private shared?: SharedAgent;
  private runSettings?: Settings;
  private readonly run = new DisposableStore();
  private readonly emitter = new AgentEventEmitter();
  /** The state of every run, and the approvals of an agent this window follows (when it serves, `broker` is told). */
  readonly events: AgentEvents = this.emitter;
  private snapshot: AgentState;
  private queue: Promise<unknown> = Promise.resolve();
  /** Starts and stops queued or running. */
  private pending = 0;
  /** The store every agent of this window uses; it keeps the serving agent's secrets while following. */
  readonly secrets: ReplicatedSecretStore;
  private readonly windowKey: WindowKey;

  constructor(private readonly options: AgentHostOptions) {
    this.snapshot = idleState(options.settings());
    this.secrets = new ReplicatedSecretStore(options.secrets);
    this.windowKey = new WindowKey(options.secrets);
  }

  get state(): AgentState {
    return this.snapshot;
  }

  /** Whether the agent runs, here or in the window this one follows. */
  get running(): boolean {
    return this.snapshot.phase === 'running';
  }

  /** The agent, when this window serves it. */
  get serving(): Agent | undefined {
    return this.shared?.serving;
  }

  /** The calls the agent recorded, wherever it is served. */
  get activity(): ActivityReader {
    return this.shared?.activity ?? NO_ACTIVITY;
  }

  /** Whether the current settings differ from those the current run was started with. */
  settingsChanged(): boolean {
    return this.runSettings !== undefined && restartKey(this.runSettings) !== restartKey(this.options.settings());
  }

  /**
   * Serves or follows the agent unless it already does; resolves true once it does, false when it
   * cannot. When nothing else is under way, the config read, the window key read and the bind begin
   * before this returns, so that they run while activation goes on.
   */
  start(): Promise<boolean> {
    return this.enqueue(() => this.doStart());
  }

  /** Stops the agent for every window: here if this window serves it, else in the window that does. */
  stop(): Promise<void> {
    return this.enqueue(async () => {
      if (this.shared?.state.role === 'following') return this.shared.remoteHostAction('stopAgent');
      return this.leave('stop');
    });
  }

  /** Restarts the agent wherever it is served; followers wait for it to come back. */
  restart(): Promise<boolean> {
    return this.enqueue(async () => {
      if (this.shared?.state.role === 'following' && !this.settingsChanged()) {
        await this.shared.remoteHostAction('restartAgent');
        return true;
      }
      await this.leave('restart');
      return this.doStart();
    });
  }

  /** Stops serving or following (other windows take over); what `deactivate` waits for. */
  async close(): Promise<void> {
    await this.enqueue(() => this.leave('shutdown'));
    this.emitter.dispose();
  }

  /** What the user can do to the running agent, here or in the window that serves it. */
  get actions(): AgentActions {
    if (!this.shared || this.snapshot.phase !== 'running') throw new Error('The agent is not running: start it first.');
    return this.shared;
  }

  /** An access token for the editor's own MCP client from the window that serves (this one follows). */
  remoteEditorToken(): Promise<EditorToken> {
    if (!this.shared) return Promise.reject(new Error('The agent is not running: start it first.'));
    return this.shared.editorToken();
  }

  private async doStart(): Promise<boolean> {
    const phase = this.shared?.state.phase;
    if (this.shared && phase !== 'stopped' && phase !== 'failed') return true;
    if (this.shared || this.snapshot.phase === 'failed') await this.leave('shutdown');
    // Made (or read) first and not waited for: windows opened later find it in SecretStorage, and only
    // the control channel needs it (when a window follows this one, or this one follows).
    this.windowKey.get().catch((error: unknown) => this.options.logger.warn(`Could not read or store the window key: ${errorMessage(error)}`));
    const settings = this.options.settings();
    this.runSettings = settings;
    const { logger } = this.options;
    const shared = new SharedAgent({
      host: settings.host,
      port: settings.port,
      key: (fresh) => this.windowKey.get(fresh),
      secrets: this.secrets,
      logger,
      idleState: () => idleState(settings),
      noteFile: path.join(this.options.stateFolder, 'serving.json'),
      createAgent: () => this.createAgent(settings),
    });
    this.shared = shared;
    this.run.add(shared.events.onDidChangeState((state) => this.publish(state)));
    this.run.add(this.emitter.relay(shared.events));
    const joined = await shared.join();
    if (joined.ok) return true;
    logger.error(`The agent did not start: ${errorMessage(joined.error)}`);
    this.options.onStartFailed(joined.error, settings);
    return false;
  }

  private createAgent(settings: Settings): Agent {
    return new Agent({
      configPath: settings.configPath,
      createConfig: settings.defaultConfig,
      host: settings.host,
      port: settings.port,
      logger: this.options.logger,
      resolveInput: this.options.resolveInput,
      secrets: this.secrets,
      auth: settings.auth.enabled ? { ...settings.auth, broker: this.options.broker } : undefined,
      env: this.options.env ?? process.env,
      // Beside the CLI's: pins and the terminal key are the same whichever window or CLI serves.
      stateDir: defaultStateDir(this.options.env ?? process.env),
      servedBy: this.options.servedBy,
      activity: { file: path.join(this.options.stateFolder, 'activity.jsonl') },
      otlpEndpoint: settings.otlpEndpoint || undefined,
      control: {
        key: (fresh) => this.windowKey.get(fresh),
        secrets: this.secrets,
        host: {
          restartAgent: async () => void (await this.restart()),
          stopAgent: () => this.stop(),
          editorToken: () => this.options.editorToken(),
        },
      },
    });
  }

  private async leave(reason: 'restart' | 'stop' | 'shutdown'): Promise<void> {
    const shared = this.shared;
    this.shared = undefined;
    this.runSettings = undefined;
    if (!shared) {
      if (this.snapshot.phase === 'failed') this.publish(idleState(this.options.settings()));
      return;
    }
    await shared.dispose(reason);
    this.run.dispose();
    this.publish(shared.state);
  }

  private publish(state: AgentState): void {
    this.snapshot = state;
    this.emitter.fireState(state);
  }

  /** Runs `work` after what is queued, or at once when nothing is. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.pending === 0 ? work() : this.queue.then(work, work);
    this.pending++;
    const done = (): void => void this.pending--;
    this.queue = next.then(done, done);
    return next;
  }
}
