import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, type Logger } from '../core/logger';
import { AgentGoneError, AgentUnreachableError, SessionGoneError, type AgentLink, type AgentSession, type MessageSink } from './agentLink';

const MAX_RETRY_MS = 2_000;
const MAX_LISTEN_DELAY_MS = 5_000;

export type Message = JSONRPCMessage & Record<string, unknown>;
export type Request = Message & { id: RequestId; method: string; params?: Record<string, unknown> };

export interface Session extends AgentSession {
  /** Counts sessions: what the agent asked in an earlier one cannot be answered in a later one. */
  readonly generation: number;
}

export interface SessionKeeperOptions {
  readonly link: AgentLink;
  readonly logger: Logger;
  /** How long a message waits for an agent that is not there before the client gets an error. */
  readonly waitForAgentMs: number;
  /** Writes one message to the client (a line on stdout). */
  readonly send: (message: JSONRPCMessage) => void;
  /** Where what the agent sends in the session of `generation`, outside an answer, goes. */
  readonly sinkFor: (generation: number) => MessageSink;
  /** The agent lost the session of `generation`: what it asked the client there will not be answered. */
  readonly onLost: (generation: number) => void;
}

/** Lost connections that mean the message was not delivered, so sending it again is safe. */
const retryable = (error: unknown): boolean => error instanceof SessionGoneError || error instanceof AgentUnreachableError;

/**
 * The bridge's session at the agent, kept across the agent's restarts and takeovers. It keeps what a new
 * session needs: the client's `initialize` (and `initialized`), its logging level and resource
 * subscriptions. When the old session is gone (404, MCP 2025-11-25 Transports "Session Management", or
 * nothing listening for a while) it replays them into a new session on its own and tells the client that
 * the lists may have changed; meanwhile it holds the GET stream of whatever session is current.
 */
export class SessionKeeper {
  private initialize?: Request;
  private initialized = false;
  private pendingInitialize: Promise<void> = Promise.resolve();
  private current?: Session;
  private generation = 0;
  private reconnecting?: Promise<Session>;
  private wake?: () => void;
  private internalIds = 0;
  private logLevel?: unknown;
  private readonly subscriptions = new Set<string>();
  private listening?: { readonly generation: number; readonly controller: AbortController };
  private closed = false;

  constructor(private readonly options: SessionKeeperOptions) {}

  /** The session messages go to now, if there is one. */
  get session(): Session | undefined {
    return this.current;
  }

  /**
   * The client initializes (again): it starts over, in a new session. `open` sends its `initialize` in the
   * session of `generation` and calls `opened` with the session the answer opened.
   */
  begin(request: Request, open: (generation: number, opened: (session: Session) => void) => Promise<void>): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    this.stopListening();
    if (previous) void this.options.link.end(previous);
    this.initialize = request;
    this.initialized = false;
    const done = open(++this.generation, (session) => (this.current = session));
    this.pendingInitialize = done;
    return done;
  }

  /** The client sent `notifications/initialized`: a new session gets it too. */
  markInitialized(): void {
    this.initialized = true;
  }

  /** Opens the GET stream of the current session, if it is not open. */
  listen(): void {
    if (this.current) this.startListening(this.current);
  }

  /** What a new session must be told again. */
  remember(request: Request): void {
    const uri = request.params?.uri;
    if (request.method === 'logging/setLevel') this.logLevel = request.params;
    else if (request.method === 'resources/subscribe' && typeof uri === 'string') this.subscriptions.add(uri);
    else if (request.method === 'resources/unsubscribe' && typeof uri === 'string') this.subscriptions.delete(uri);
  }

  /** Posts a message in the current session; once more in a new one if the agent lost the session before it arrived. */
  async deliver(message: Message, sink: (generation: number) => MessageSink): Promise<void> {
    const first = await this.ready();
    if (!first) return this.withAgent(() => this.options.link.post(message, undefined, sink(0)));
    try {
      await this.options.link.post(message, first, sink(first.generation));
    } catch (error) {
      if (!retryable(error)) throw error;
      this.lost(first);
      const next = await this.ready();
      if (!next) throw error;
      // The new session was opened with `initialized` already.
      if (message.method !== 'notifications/initialized') await this.options.link.post(message, next, sink(next.generation));
    }
  }

  /** Runs `attempt` until the agent answers, or the wait is over. */
  async withAgent(attempt: () => Promise<void>): Promise<void> {
    const giveUp = Date.now() + this.options.waitForAgentMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof AgentUnreachableError) || Date.now() + delay > giveUp || this.closed) throw error;
      }
      await this.sleep(delay);
    }
  }

  /** Ends the agent session (the client has gone). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    this.wake?.();
    if (this.current) await this.options.link.end(this.current);
  }

  /** The session to send in: the current one, or a new one once the agent is back (waiting a while for it). */
  private async ready(): Promise<Session | undefined> {
    await this.pendingInitialize.catch(() => undefined);
    if (this.current) return this.current;
    if (!this.initialize) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the 1MCP agent at ${this.options.link.url.href} did not come back within ${this.options.waitForAgentMs / 1000} s`)), this.options.waitForAgentMs);
    });
    try {
      return await Promise.race([this.reconnect(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private reconnect(): Promise<Session> {
    this.reconnecting ??= this.reopen().finally(() => (this.reconnecting = undefined));
    this.wake?.();
    return this.reconnecting;
  }

  /** Opens a new session as the client did, retrying while nothing listens at the agent's address. */
  private async reopen(): Promise<Session> {
    for (let delay = 100; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      if (this.closed) throw new Error('the bridge is closing');
      try {
        return await this.openSession();
      } catch (error) {
        if (!(error instanceof AgentUnreachableError)) throw error;
      }
      await this.sleep(delay);
    }
  }

  private async openSession(): Promise<Session> {
    const initialize = this.initialize as Request;
    const generation = ++this.generation;
    const ignore = this.options.sinkFor(generation);
    let answer: { message: Message; sessionId?: string } | undefined;
    const id = this.internalId();
    await this.options.link.post({ ...initialize, id } as JSONRPCMessage, undefined, (message, sessionId) => {
      if (!('method' in message) && 'id' in message && message.id === id) answer = { message: message as Message, sessionId };
      else ignore(message, sessionId);
    });
    const result = answer?.message.result as { protocolVersion?: string; capabilities?: Record<string, { listChanged?: boolean } | undefined> } | undefined;
    if (!result) throw new Error(`the agent refused to initialize again: ${JSON.stringify(answer?.message.error ?? 'no answer')}`);
    const session: Session = { id: answer?.sessionId, protocolVersion: result.protocolVersion, generation };
    if (this.initialized) await this.options.link.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session, ignore);
    const replay: [string, unknown][] = [...(this.logLevel ? [['logging/setLevel', this.logLevel] as [string, unknown]] : []), ...[...this.subscriptions].map((uri): [string, unknown] => ['resources/subscribe', { uri }])];
    for (const [method, params] of replay) {
      await this.options.link.post({ jsonrpc: '2.0', id: this.internalId(), method, params } as JSONRPCMessage, session, (m) => ('method' in m ? ignore(m, undefined) : undefined));
    }
    this.current = session;
    this.options.logger.info(`Connected to the agent again (session ${generation})`);
    if (this.initialized) this.startListening(session);
    // The agent may serve other backends now: let the client list again what it can list.
    for (const kind of ['tools', 'prompts', 'resources']) {
      if (result.capabilities?.[kind]?.listChanged) this.options.send({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
    }
    return session;
  }

  /** The agent lost `session`: what it asked the client is void, and a new session is opened in the background. */
  private lost(session: Session): void {
    if (this.current !== session) return;
    this.current = undefined;
    this.stopListening();
    this.options.logger.info('The agent went away; reconnecting');
    this.options.onLost(session.generation);
    if (this.initialize && !this.closed) void this.reconnect().catch((error: unknown) => this.options.logger.warn(`Could not reconnect: ${errorMessage(error)}`));
  }

  private startListening(session: Session): void {
    if (this.listening?.generation === session.generation) return;
    this.stopListening();
    const controller = new AbortController();
    this.listening = { generation: session.generation, controller };
    void this.listenStream(session, controller.signal);
  }

  private stopListening(): void {
    this.listening?.controller.abort();
    this.listening = undefined;
  }

  /** The GET stream: what the agent sends on its own (list changes, requests not tied to a call). */
  private async listenStream(session: Session, signal: AbortSignal): Promise<void> {
    for (let delay = 250; !signal.aborted && this.current === session; delay = Math.min(delay * 2, MAX_LISTEN_DELAY_MS)) {
      try {
        if (!(await this.options.link.listen(session, this.options.sinkFor(session.generation), signal))) return;
      } catch (error) {
        if (signal.aborted) return;
        if (retryable(error)) return this.lost(session);
        this.options.logger.debug(`The agent's event stream failed: ${errorMessage(error)}`);
        // Not authorized any more (revoked): stay quiet until the client calls again, which asks the user.
        if (!(error instanceof AgentGoneError)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private internalId(): string {
    return `onemcp-bridge-${++this.internalIds}`;
  }
}
