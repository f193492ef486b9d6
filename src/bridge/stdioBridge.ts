import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, type Logger } from '../core/logger';
import { AgentRequests } from './agentRequests';
import { errorAnswer } from './bridgeErrors';
import { AgentGoneError, AgentUnreachableError, SessionGoneError, type AgentLink, type AgentSession, type MessageSink } from './agentLink';

const MAX_RETRY_MS = 2_000;
const MAX_LISTEN_DELAY_MS = 5_000;

type Message = JSONRPCMessage & Record<string, unknown>;
type Request = Message & { id: RequestId; method: string; params?: Record<string, unknown> };

interface Session extends AgentSession {
  /** Counts sessions: what the agent asked in an earlier one cannot be answered in a later one. */
  readonly generation: number;
}

export interface StdioBridgeOptions {
  readonly link: AgentLink;
  /** Writes one message to the client (a line on stdout). */
  readonly send: (message: JSONRPCMessage) => void;
  readonly logger: Logger;
  /** How long a message waits for an agent that is not there before the client gets an error. */
  readonly waitForAgentMs: number;
  /** Called with the client's `initialize` params (its name names the bridge's OAuth registration). */
  readonly onInitialize?: (params: Record<string, unknown> | undefined) => void;
}

/** Lost connections that mean the message was not delivered, so sending it again is safe. */
const retryable = (error: unknown): boolean => error instanceof SessionGoneError || error instanceof AgentUnreachableError;

/**
 * The stdio MCP server a client starts, forwarding every message both ways to the agent's `/mcp`
 * unchanged (requests, answers, errors, notifications; and requests from backends to the client:
 * sampling, elicitation, roots). It keeps what a new session needs: the client's `initialize` (and
 * `initialized`), its logging level and resource subscriptions. When the agent restarts or another
 * window takes it over, the old session is gone (404, MCP 2025-11-25 Transports "Session Management",
 * or nothing listening for a while): the bridge replays them into a new session on its own and tells
 * the client that the lists may have changed. A request in flight when the agent went away gets a
 * JSON-RPC error; one sent once the agent is back goes through. The agent's requests to the client get
 * ids of the bridge's own, so that an answer meant for a session that is gone is not sent to the next.
 */
export class StdioBridge {
  private initialize?: Request;
  private initialized = false;
  private pendingInitialize: Promise<void> = Promise.resolve();
  private session?: Session;
  private generation = 0;
  private reconnecting?: Promise<Session>;
  private wake?: () => void;
  private readonly agentRequests = new AgentRequests();
  private internalIds = 0;
  private logLevel?: unknown;
  private readonly subscriptions = new Set<string>();
  private listening?: { readonly generation: number; readonly controller: AbortController };
  private closed = false;

  constructor(private readonly options: StdioBridgeOptions) {}

  /** One message from the client. */
  receive(message: JSONRPCMessage): void {
    void this.handle(message as Message).catch((error: unknown) => this.options.logger.error(`Could not forward a message: ${errorMessage(error)}`));
  }

  /** Ends the agent session (the client has gone). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    this.wake?.();
    if (this.session) await this.options.link.end(this.session);
  }

  private handle(message: Message): Promise<void> {
    if ('method' in message && 'id' in message) {
      const request = message as Request;
      return request.method === 'initialize' ? this.forwardInitialize(request) : this.forwardRequest(request);
    }
    if ('method' in message) return this.forwardNotification(message);
    return this.forwardAnswer(message);
  }

  private forwardInitialize(request: Request): Promise<void> {
    // A client that initializes again starts over, in a new session.
    const previous = this.session;
    this.session = undefined;
    this.stopListening();
    if (previous) void this.options.link.end(previous);
    this.initialize = request;
    this.initialized = false;
    this.options.onInitialize?.(request.params);
    const generation = ++this.generation;
    const done = this.exchange(request, async (sink) => this.withAgent(() => this.options.link.post(request, undefined, sink(generation))), (answer, sessionId) => {
      const result = answer.result as { protocolVersion?: string } | undefined;
      if (result) this.session = { id: sessionId, protocolVersion: result.protocolVersion, generation };
    });
    this.pendingInitialize = done;
    return done;
  }

  private forwardRequest(request: Request): Promise<void> {
    this.remember(request);
    return this.exchange(request, (sink) => this.deliver(request, sink));
  }

  /** Sends `request`, hands the client the answer, or an error when none came. */
  private async exchange(request: Request, send: (sink: (generation: number) => MessageSink) => Promise<void>, onAnswer?: (answer: Message, sessionId: string | undefined) => void): Promise<void> {
    let answered = false;
    const sink = (generation: number): MessageSink => (message, sessionId) => {
      if (!('method' in message) && 'id' in message && message.id === request.id) {
        answered = true;
        onAnswer?.(message as Message, sessionId);
        this.options.send(message);
      } else {
        this.fromAgent(message as Message, generation);
      }
    };
    try {
      await send(sink);
      if (!answered) throw new Error(`the 1MCP agent at ${this.options.link.url.href} went away before answering (its answer ended without one); calls made once it is back go through`);
    } catch (error) {
      if (answered) return;
      this.options.logger.debug(`${request.method} failed: ${errorMessage(error)}`);
      this.options.send(errorAnswer(request.id, error));
    }
  }

  private async forwardNotification(notification: Message): Promise<void> {
    const initialized = notification.method === 'notifications/initialized';
    if (initialized) this.initialized = true;
    try {
      await this.deliver(notification, (generation) => this.sinkFor(generation));
    } catch (error) {
      this.options.logger.warn(`Could not forward ${String(notification.method)}: ${errorMessage(error)}`);
    }
    if (initialized && this.session) this.startListening(this.session);
  }

  /** The client's answer to a request of the agent: back under the agent's id, to the session that asked. */
  private async forwardAnswer(answer: Message): Promise<void> {
    const origin = this.agentRequests.take(answer.id as RequestId);
    if (!origin || !this.session || this.session.generation !== origin.generation) {
      this.options.logger.debug(`Dropped an answer to ${String(answer.id)}: the session that asked is gone`);
      return;
    }
    await this.options.link.post({ ...answer, id: origin.id } as JSONRPCMessage, this.session, this.sinkFor(origin.generation)).catch((error: unknown) => {
      this.options.logger.warn(`Could not forward an answer: ${errorMessage(error)}`);
    });
  }

  /** Posts a message in the current session; once more in a new one if the agent lost the session before it arrived. */
  private async deliver(message: Message, sink: (generation: number) => MessageSink): Promise<void> {
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

  /** A message from the agent to the client; requests get an id of the bridge's. */
  private fromAgent(message: Message, generation: number): void {
    if ('method' in message && 'id' in message) {
      const id = this.agentRequests.add({ generation, id: message.id as RequestId });
      this.options.send({ ...message, id } as JSONRPCMessage);
      return;
    }
    if (message.method === 'notifications/cancelled') {
      const params = (message.params ?? {}) as { requestId?: RequestId };
      const id = this.agentRequests.takeByOrigin(generation, params.requestId);
      if (id === undefined) return;
      this.options.send({ ...message, params: { ...params, requestId: id } } as JSONRPCMessage);
      return;
    }
    this.options.send(message);
  }

  private sinkFor(generation: number): MessageSink {
    return (message) => this.fromAgent(message as Message, generation);
  }

  /** The session to send in: the current one, or a new one once the agent is back (waiting a while for it). */
  private async ready(): Promise<Session | undefined> {
    await this.pendingInitialize.catch(() => undefined);
    if (this.session) return this.session;
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

  /** Runs `attempt` until the agent answers, or the wait is over. */
  private async withAgent(attempt: () => Promise<void>): Promise<void> {
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
    let answer: { message: Message; sessionId?: string } | undefined;
    const id = this.internalId();
    await this.options.link.post({ ...initialize, id } as JSONRPCMessage, undefined, (message, sessionId) => {
      if (!('method' in message) && 'id' in message && message.id === id) answer = { message: message as Message, sessionId };
      else this.fromAgent(message as Message, generation);
    });
    const result = answer?.message.result as { protocolVersion?: string; capabilities?: Record<string, { listChanged?: boolean } | undefined> } | undefined;
    if (!result) throw new Error(`the agent refused to initialize again: ${JSON.stringify(answer?.message.error ?? 'no answer')}`);
    const session: Session = { id: answer?.sessionId, protocolVersion: result.protocolVersion, generation };
    const ignore = this.sinkFor(generation);
    if (this.initialized) await this.options.link.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session, ignore);
    const replay: [string, unknown][] = [...(this.logLevel ? [['logging/setLevel', this.logLevel] as [string, unknown]] : []), ...[...this.subscriptions].map((uri): [string, unknown] => ['resources/subscribe', { uri }])];
    for (const [method, params] of replay) {
      await this.options.link.post({ jsonrpc: '2.0', id: this.internalId(), method, params } as JSONRPCMessage, session, (m) => ('method' in m ? ignore(m, undefined) : undefined));
    }
    this.session = session;
    this.options.logger.info(`Connected to the agent again (session ${generation})`);
    if (this.initialized) this.startListening(session);
    // The agent may serve other backends now: let the client list again what it can list.
    for (const kind of ['tools', 'prompts', 'resources']) {
      if (result.capabilities?.[kind]?.listChanged) this.options.send({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
    }
    return session;
  }

  /** The agent lost `session`: what it asked the client is cancelled, and a new session is opened in the background. */
  private lost(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.stopListening();
    this.options.logger.info('The agent went away; reconnecting');
    for (const id of this.agentRequests.dropSession(session.generation)) {
      this.options.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the 1MCP agent went away' } });
    }
    if (this.initialize && !this.closed) void this.reconnect().catch((error: unknown) => this.options.logger.warn(`Could not reconnect: ${errorMessage(error)}`));
  }

  /** What a new session must be told again. */
  private remember(request: Request): void {
    const uri = request.params?.uri;
    if (request.method === 'logging/setLevel') this.logLevel = request.params;
    else if (request.method === 'resources/subscribe' && typeof uri === 'string') this.subscriptions.add(uri);
    else if (request.method === 'resources/unsubscribe' && typeof uri === 'string') this.subscriptions.delete(uri);
  }

  private startListening(session: Session): void {
    if (this.listening?.generation === session.generation) return;
    this.stopListening();
    const controller = new AbortController();
    this.listening = { generation: session.generation, controller };
    void this.listen(session, controller.signal);
  }

  private stopListening(): void {
    this.listening?.controller.abort();
    this.listening = undefined;
  }

  /** The GET stream: what the agent sends on its own (list changes, requests not tied to a call). */
  private async listen(session: Session, signal: AbortSignal): Promise<void> {
    for (let delay = 250; !signal.aborted && this.session === session; delay = Math.min(delay * 2, MAX_LISTEN_DELAY_MS)) {
      try {
        if (!(await this.options.link.listen(session, this.sinkFor(session.generation), signal))) return;
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
