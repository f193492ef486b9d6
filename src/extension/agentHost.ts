import { Agent } from '../core/agent';
import type { ApprovalBroker } from '../core/auth/approvalBroker';
import { ensureConfigFile } from '../core/config/loadConfig';
import type { InputResolver } from '../core/config/substitute';
import { Emitter } from '../core/event';
import { errorMessage, type Logger } from '../core/logger';
import type { SecretStore } from '../core/secrets/secretStore';
import type { AgentState } from '../core/state';
import { DisposableStore } from './disposableStore';
import { restartKey, type Settings } from './settings';

export interface AgentHostOptions {
  readonly logger: Logger;
  /** The current settings, read at every start. */
  readonly settings: () => Settings;
  readonly resolveInput: InputResolver;
  /** Where the agent keeps backend OAuth tokens (the OS keychain). */
  readonly secrets: SecretStore;
  readonly env?: NodeJS.ProcessEnv;
  /** Announces client authorization requests (the editor's notifications and dashboard). */
  readonly broker?: ApprovalBroker;
  /** Told when a start fails (bad config, busy port); start() itself never rejects. */
  readonly onStartFailed: (error: unknown, settings: Settings) => void;
}

/**
 * Owns the agent for the extension: one {@link Agent} per run (an Agent is single-use), starts and stops
 * one at a time in call order, and republishes the running agent's state as one event that outlives
 * runs. Everything registered for a run goes into the run scope, disposed when the run ends.
 */
export class AgentHost {
  private agent?: Agent;
  private runSettings?: Settings;
  private readonly run = new DisposableStore();
  private readonly changed = new Emitter<AgentState>();
  readonly onDidChangeState = this.changed.event;
  private snapshot: AgentState;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AgentHostOptions) {
    this.snapshot = idleState(options.settings());
  }

  get state(): AgentState {
    return this.snapshot;
  }

  get running(): boolean {
    return this.agent !== undefined;
  }

  /** Whether the current settings differ from those the running (or failed) agent was started with. */
  settingsChanged(): boolean {
    return this.runSettings !== undefined && restartKey(this.runSettings) !== restartKey(this.options.settings());
  }

  /** Starts the agent unless it runs; resolves true once it listens, false when it could not start. */
  start(): Promise<boolean> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(): Promise<boolean> {
    return this.enqueue(async () => {
      await this.doStop();
      return this.doStart();
    });
  }

  /** The running agent, to act on; throws a message for the user when there is none. */
  runningAgent(): Agent {
    if (!this.agent) throw new Error('The agent is not running: start it first.');
    return this.agent;
  }

  /** Reconnects one backend with a fresh restart budget. */
  async restartBackend(name: string): Promise<void> {
    await this.agent?.hub.backends.get(name)?.restart();
  }

  /** Stops the agent and every backend process; what `deactivate` waits for. */
  async close(): Promise<void> {
    await this.stop();
    this.changed.dispose();
  }

  private async doStart(): Promise<boolean> {
    if (this.agent) return true;
    const settings = this.options.settings();
    this.runSettings = settings;
    const { logger } = this.options;
    const agent = new Agent({
      configPath: settings.configPath,
      host: settings.host,
      port: settings.port,
      logger,
      resolveInput: this.options.resolveInput,
      secrets: this.options.secrets,
      auth: settings.auth.enabled ? { ...settings.auth, broker: this.options.broker } : undefined,
      env: this.options.env ?? process.env,
    });
    this.run.add(agent.onDidChangeState((state) => this.publish(state)));
    try {
      if (settings.defaultConfig && (await ensureConfigFile(settings.configPath))) logger.info(`Created ${settings.configPath}`);
      await agent.start();
      this.agent = agent;
      return true;
    } catch (error) {
      logger.error(`The agent did not start: ${errorMessage(error)}`);
      this.run.dispose();
      await agent.close();
      this.publish({ ...agent.state, phase: 'failed', error: errorMessage(error) });
      this.options.onStartFailed(error, settings);
      return false;
    }
  }

  private async doStop(): Promise<void> {
    const agent = this.agent;
    this.runSettings = undefined;
    if (!agent) {
      if (this.snapshot.phase === 'failed') this.publish(idleState(this.options.settings()));
      return;
    }
    this.agent = undefined;
    await agent.close();
    this.run.dispose();
    this.publish(agent.state);
  }

  private publish(state: AgentState): void {
    this.snapshot = state;
    this.changed.fire(state);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** What the views show before the first start and after a stop. */
function idleState(settings: Settings): AgentState {
  return {
    phase: 'stopped',
    configPath: settings.configPath,
    host: settings.host,
    port: settings.port,
    sessions: 0,
    backends: [],
    pendingConnections: [],
    auth: settings.auth,
    pendingApprovals: [],
    clients: [],
  };
}
