import { setTimeout as delay } from 'node:timers/promises';
import { NO_ACTIVITY, type ActivityReader } from '../activity/activityRing';
import type { AgentActions } from '../state/agentActions';
import type { Agent } from '../agent';
import type { ApprovalDecision } from '../auth/approvalBroker';
import { HttpError } from '../httpError';
import type { ConfirmAnswer } from '../integrity/callConfirmations';
import { PortInUseError } from '../http/listen';
import { urlHost } from '../listenAddress';
import { errorMessage, type Logger } from '../logger';
import type { ReplicatedSecretStore } from '../secrets/replicatedSecretStore';
import { AgentEventEmitter, type AgentEvents } from '../state/agentEvents';
import { describeServedBy, type AgentState, type ServedBy } from '../state/agentState';
import { observedState, probeAgent, type AgentHealth, type ProbeResult } from './agentProbe';
import { ControlRefusedError, openControl, type ControlConnection } from './controlClient';
import { FollowedEvents } from './followedEvents';
import { readServingNote, ServingNoteWriter, type ServingNote } from './servingNote';
import type { CloseReason, ControlAction, EditorToken } from '../http/control/controlProtocol';

export interface SharedAgentOptions {
  /** The address and port every window of this user serves on. */
  readonly host: string;
  readonly port: number;
  /** The window key (`fresh`: read it again from the store); the control channel proves it. */
  readonly key: (fresh: boolean) => Promise<string>;
  /** A new agent to serve with, when this process gets the port (an Agent is single-use). */
  readonly createAgent: () => Agent;
  /** The store the agents of this process use: it receives the serving agent's secrets while following. */
  readonly secrets: ReplicatedSecretStore;
  readonly logger: Logger;
  /** What is shown before anything is known, and after leaving. */
  readonly idleState: () => AgentState;
  /** The serving window's note for windows that open meanwhile (servingNote.ts); none for the CLI. */
  readonly noteFile?: string;
}

/** How long followers wait for an agent that announced a restart before they try to serve themselves. */
const RESTART_WAIT_MS = 10_000;
/** How often a read-only observer (the CLI serves) and a window stopped from elsewhere look again. */
const OBSERVE_MS = 2_000;
const DORMANT_MS = 3_000;
/** How often a process kept out by something else on the port tries again (it may go away). */
const BLOCKED_RETRY_MS = 5_000;
const MAX_JOIN_ATTEMPTS = 20;

/**
 * One agent for every VS Code window of a user: the port is the lock. {@link join} tries to serve; when
 * another process holds the port, this one follows it over the control channel (state pushed, actions
 * sent back, secrets kept for a takeover) or, for the CLI, observes its `/health` read-only. When the
 * serving process goes away, followers try to bind at once: the OS lets exactly one of them, and the
 * others follow the winner. Only a process that holds the port ever starts backends.
 */
export class SharedAgent implements AgentActions {
  private readonly emitter = new AgentEventEmitter();
  /** The state, and the approvals of an agent this process follows (when serving, the agent's broker is told). */
  readonly events: AgentEvents = this.emitter;
  private snapshot: AgentState;
  private agent?: Agent;
  private control?: ControlConnection;
  /** The control channel being opened (this process follows, and shows the agent from its `/health` meanwhile). */
  private opening?: Promise<ControlConnection | undefined>;
  private left = false;
  /** join() ran before: this process is taking over, or looking for the agent again. */
  private joined = false;
  private timer?: NodeJS.Timeout;
  private readonly followed: FollowedEvents;

  private readonly note?: ServingNoteWriter;

  constructor(private readonly options: SharedAgentOptions) {
    this.snapshot = options.idleState();
    this.followed = new FollowedEvents(this.emitter, options.secrets, (state) => this.publish(state));
    this.note = options.noteFile === undefined ? undefined : new ServingNoteWriter(options.noteFile);
  }

  get state(): AgentState {
    return this.snapshot;
  }

  /** The agent this process serves, if it does. */
  get serving(): Agent | undefined {
    return this.agent;
  }

  /** The calls the agent recorded: this process's own, or those the serving one sent. */
  get activity(): ActivityReader {
    return this.agent?.activity ?? (this.control ? this.followed.activity : NO_ACTIVITY);
  }

  private get baseUrl(): string {
    return `http://${urlHost(this.options.host)}:${this.options.port}`;
  }

  /**
   * Serves the agent, or follows (or observes) the one already serving. Resolves true once either holds,
   * false when the agent can run nowhere (a bad config, the port held by another program): the state
   * then says why, and `error` is what failed.
   */
  async join(): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: unknown }> {
    for (let attempt = 0; attempt < MAX_JOIN_ATTEMPTS && !this.left; attempt++) {
      // Asked before the bind is tried (its connection goes out first): refused when the port is free,
      // and when it is not, who holds it is known about as soon as the bind fails.
      const probing = probeAgent(this.baseUrl);
      // A window opened beside a serving one shows the agent from that window's note at once: the bind's
      // outcome comes only after this extension host's turn (its other extensions activating), and
      // confirms what the note says, or this window serves. Not on a takeover: that note is of the
      // window going away.
      if (!this.joined) this.showNote();
      this.joined = true;
      const agent = this.options.createAgent();
      // Served from its first running state: this process holds the port and listens, so windows show
      // it at once, while the agent goes on to read its stored grants and start its backends.
      const listening = agent.events.onDidChangeState((state) => {
        if (state.phase === 'running' && !this.left) this.serve(agent);
      });
      try {
        await agent.start();
      } catch (error) {
        listening.dispose();
        if (this.agent === agent) this.agent = undefined;
        const closed = agent.close();
        if (!(error instanceof PortInUseError)) {
          await closed;
          return this.failed(error);
        }
        const followed = await this.follow(probing);
        await closed;
        if (typeof followed === 'object') return this.failed(new PortInUseError(error.host, error.port, followed.holder), true);
        if (followed === 'following' || followed === 'observing') return { ok: true };
        // The holder went away between our bind and our probe: try to serve again.
        await delay(50 * attempt);
        continue;
      }
      listening.dispose();
      if (this.left) {
        await agent.close();
        return { ok: false, error: new Error('left') };
      }
      this.serve(agent);
      return { ok: true };
    }
    if (this.left) return { ok: false, error: new Error('This window left the shared agent') };
    return this.failed(new Error(`Port ${this.options.port} kept changing hands; try again`));
  }

  /**
   * Leaves the shared agent: stops serving (followers act on `reason`) or stops following. The agent
   * ends its backends before this resolves.
   */
  async leave(reason: CloseReason): Promise<void> {
    this.left = true;
    clearTimeout(this.timer);
    this.control?.dispose();
    this.control = undefined;
    const agent = this.agent;
    this.agent = undefined;
    this.emitter.fireActivity({ kind: 'reset' });
    if (agent) {
      await agent.close(reason);
      await this.note?.remove();
      this.publish(agent.state);
    } else {
      this.publish(this.options.idleState());
    }
  }

  /** Ends this object: leaves, then drops every listener. */
  async dispose(reason: CloseReason = 'shutdown'): Promise<void> {
    await this.leave(reason);
    this.emitter.dispose();
  }

  // The actions: the local agent's, or sent to the serving one.

  restartBackend(name: string): Promise<void> {
    return this.act((a) => a.restartBackend(name), { action: 'restartBackend', name });
  }
  decideApproval(id: string, decision: ApprovalDecision): Promise<void> {
    return this.act((a) => a.decideApproval(id, decision), { action: 'decideApproval', id, approve: decision.approve, tags: decision.approve ? [...decision.tags] : [] });
  }
  revokeClient(clientId: string): Promise<boolean> {
    return this.act((a) => a.revokeClient(clientId), { action: 'revokeClient', clientId });
  }
  authorizeBackend(name: string): Promise<string | undefined> {
    return this.act((a) => a.authorizeBackend(name), { action: 'authorizeBackend', name });
  }
  signOutBackend(name: string): Promise<void> {
    return this.act((a) => a.signOutBackend(name), { action: 'signOutBackend', name });
  }
  decideConnection(backend: string, approve: boolean): Promise<void> {
    return this.act((a) => a.decideConnection(backend, approve), { action: 'decideConnection', backend, approve });
  }
  acceptTools(server: string, tools?: readonly string[], seen?: Readonly<Record<string, string>>): Promise<readonly string[]> {
    return this.act((a) => a.acceptTools(server, tools, seen), { action: 'acceptTools', server, tools: tools && [...tools], seen });
  }
  answerConfirmation(id: string, answer: ConfirmAnswer): Promise<void> {
    return this.act((a) => a.answerConfirmation(id, answer), { action: 'answerConfirmation', id, answer });
  }

  /** Asks the serving window to restart or stop its agent (this process follows it). */
  async remoteHostAction(action: 'restartAgent' | 'stopAgent'): Promise<void> {
    await this.remote({ action });
  }

  /** An access token for the editor's own MCP client, from the serving window (this process follows it). */
  editorToken(): Promise<EditorToken> {
    return this.remote({ action: 'editorToken' });
  }

  /** What only the window that serves can do, asked of it. */
  private async remote<T>(action: ControlAction): Promise<T> {
    const control = this.control ?? (await this.opening);
    if (!control) throw new Error('No other window serves the agent that this one follows.');
    return (await control.action(action)) as T;
  }

  private async act<T>(local: (agent: Agent) => Promise<T>, remote: ControlAction): Promise<T> {
    if (this.agent) return local(this.agent);
    if (this.control || this.opening) return this.remote(remote);
    if (this.snapshot.role === 'observing') {
      const by = this.snapshot.servedBy;
      throw new HttpError(409, 'read_only', `The ${by?.label ?? '1MCP CLI'} (pid ${by?.pid ?? '?'}) serves the agent; this window only shows it. Act there, or on its dashboard at ${this.baseUrl}/oauth.`);
    }
    throw new Error('The agent is not running: start it first.');
  }

  private serve(agent: Agent): void {
    if (this.agent === agent) return;
    this.agent = agent;
    this.options.logger.info(`This window serves the agent on ${agent.endpoint ?? ''}`);
    agent.events.onDidChangeState((state) => {
      this.publish(state);
      this.note?.update(state);
    });
    this.note?.update(agent.state);
    agent.events.onDidChangeActivity((change) => this.emitter.fireActivity(change));
    this.publish(agent.state);
    this.emitter.fireActivity({ kind: 'reset' });
    void this.options.secrets.adopt().catch((error: unknown) => this.options.logger.warn(`Could not keep the secrets received from the last agent: ${errorMessage(error)}`));
  }

  /**
   * Follows the agent on the port (or observes it read-only); what was found there. Who holds the port
   * (its `/health`) and the control channel are asked at once. The channel waits for the window key,
   * and a starting window's first SecretStorage read can take half a second: a window another one
   * serves shows the agent meanwhile (backends and their status) from the serving window's note, else
   * from `/health`, and its whole state with the channel's first event; what the user does in between
   * waits for the channel.
   */
  private async follow(probing?: Promise<ProbeResult>): Promise<'following' | 'observing' | 'gone' | { readonly holder: string }> {
    const opening = this.openControl(false).then((opened) => (opened instanceof ControlRefusedError && opened.reason === 'key' ? this.openControl(true) : opened));
    this.opening = opening.then((opened) => (opened instanceof Error ? undefined : opened));
    const note = this.showNote();
    let probe = await probing;
    // Asked again when there was no earlier probe, or it came before the holder listened.
    if (probe === undefined || probe.kind === 'gone') probe = await probeAgent(this.baseUrl);
    if (!note && probe.kind === 'agent' && probe.health.servedBy?.kind === 'editor') this.showJoining(probe.health);
    const opened = await opening;
    this.opening = undefined;
    if (!(opened instanceof Error)) {
      if (this.left) {
        opened.dispose();
        return 'gone';
      }
      this.control = opened;
      const control = opened;
      void control.ended.then((reason) => this.lost(control, reason));
      this.options.logger.info(`Following the agent served by ${describeServedBy(this.snapshot.servedBy)}`);
      return 'following';
    }
    if (probe.kind === 'gone') return 'gone';
    if (probe.kind === 'foreign') return { holder: probe.holder };
    if (opened instanceof ControlRefusedError) {
      this.options.logger.info(`${opened.message}: showing it read-only`);
    } else {
      // Refused or cut off: the agent may have gone since it answered the probe.
      if ((await probeAgent(this.baseUrl)).kind === 'gone') return 'gone';
      this.options.logger.warn(`Could not follow the agent on ${this.baseUrl}: ${errorMessage(opened)}`);
    }
    this.observe(probe.health);
    return 'observing';
  }

  /** The serving window's note, shown while joining; none when there is no live one. */
  private showNote(): ServingNote | undefined {
    const note = this.options.noteFile === undefined ? undefined : readServingNote(this.options.noteFile, this.options.host, this.options.port);
    if (!note) return undefined;
    this.showJoining({ version: '', servedBy: note.servedBy, backends: note.backends }, note.servedBy);
    return note;
  }

  /** Shows the agent another window serves from what is known before its control channel opens. */
  private showJoining(health: AgentHealth, servedBy?: ServedBy): void {
    const known = observedState(health, this.options.idleState(), `${this.baseUrl}/mcp`);
    if (!this.left && !this.control) this.publish({ ...known, servedBy: servedBy ?? known.servedBy, role: 'following', partial: true });
  }

  /** The control channel opened with the window key (`fresh`: read again), or why it did not open. */
  private openControl(fresh: boolean): Promise<ControlConnection | Error> {
    return openControl(this.baseUrl, this.options.key(fresh), (event) => this.followed.receive(event)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** The serving agent's stream ended: wait for it (restart), stop with it (stop), or take over. */
  private lost(control: ControlConnection, reason: CloseReason | undefined): void {
    if (this.control !== control || this.left) return;
    this.control = undefined;
    this.emitter.fireActivity({ kind: 'reset' });
    const by = describeServedBy(this.snapshot.servedBy);
    this.options.logger.info(`The agent served by ${by} ${reason === 'restart' ? 'restarts' : reason === 'stop' ? 'was stopped' : 'went away'}`);
    if (reason === 'stop') {
      this.publish({ ...this.options.idleState(), note: `Stopped in ${by}` });
      this.watchForAgent(DORMANT_MS, 'any');
    } else if (reason === 'restart') {
      this.publish({ ...this.snapshot, phase: 'starting', role: 'following' });
      this.watchForAgent(250, Date.now() + RESTART_WAIT_MS);
    } else {
      this.publish({ ...this.snapshot, phase: 'starting', role: undefined });
      void this.rejoin();
    }
  }

  /**
   * Looks for an agent on the port every `everyMs`: follows it when one appears; after `until` (a time),
   * or never for 'any', tries to serve instead.
   */
  private watchForAgent(everyMs: number, until: number | 'any'): void {
    this.timer = setTimeout(() => {
      void (async () => {
        if (this.left || this.agent || this.control) return;
        if (until !== 'any' && Date.now() > until) return this.rejoin();
        const probe = await probeAgent(this.baseUrl);
        if (probe.kind === 'agent' && !this.left) {
          const followed = await this.follow();
          if (followed === 'following' || followed === 'observing') return;
        }
        this.watchForAgent(everyMs, until);
      })();
    }, everyMs);
    this.timer.unref();
  }

  private async rejoin(): Promise<void> {
    const wasFailed = this.snapshot.phase === 'failed';
    const joined = await this.join();
    if (!joined.ok && !this.left && !wasFailed) this.options.logger.error(`The agent could not be taken over: ${errorMessage(joined.error)}`);
  }

  /** Shows the CLI's agent from its `/health`, polled (it offers no stream); takes over when it stops. */
  private observe(health: AgentHealth): void {
    this.publish(observedState(health, this.options.idleState(), `${this.baseUrl}/mcp`));
    this.timer = setTimeout(() => {
      void (async () => {
        if (this.left || this.agent || this.control) return;
        const probe = await probeAgent(this.baseUrl);
        if (this.left) return;
        if (probe.kind === 'agent') this.observe(probe.health);
        else await this.rejoin();
      })();
    }, OBSERVE_MS);
    this.timer.unref();
  }

  /** The agent can run nowhere; with `retry`, tries again now and then (what holds the port may go). */
  private failed(error: unknown, retry = false): { ok: false; error: unknown } {
    this.publish({ ...this.options.idleState(), phase: 'failed', error: errorMessage(error) });
    if (retry && !this.left) {
      this.timer = setTimeout(() => void this.rejoin(), BLOCKED_RETRY_MS);
      this.timer.unref();
    }
    return { ok: false, error };
  }

  private publish(state: AgentState): void {
    this.snapshot = state;
    this.emitter.fireState(state);
  }
}
