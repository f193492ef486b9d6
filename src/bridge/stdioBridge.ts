import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, type Logger } from '../core/logger';
import { AgentRequests } from './agentRequests';
import { errorAnswer } from './bridgeErrors';
import type { AgentLink, MessageSink } from './agentLink';
import { SessionKeeper, type Message, type Request } from './sessionKeeper';

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

/**
 * The stdio MCP server a client starts, forwarding every message both ways to the agent's `/mcp`
 * unchanged (requests, answers, errors, notifications; and requests from backends to the client:
 * sampling, elicitation, roots). Its {@link SessionKeeper} keeps the session at the agent across
 * restarts and takeovers. A request in flight when the agent went away gets a JSON-RPC error; one sent
 * once the agent is back goes through. The agent's requests to the client get ids of the bridge's own,
 * so that an answer meant for a session that is gone is not sent to the next.
 */
export class StdioBridge {
  private readonly agentRequests = new AgentRequests();
  private readonly keeper: SessionKeeper;

  constructor(private readonly options: StdioBridgeOptions) {
    this.keeper = new SessionKeeper({
      link: options.link,
      logger: options.logger,
      waitForAgentMs: options.waitForAgentMs,
      send: options.send,
      sinkFor: (generation) => this.sinkFor(generation),
      onLost: (generation) => {
        for (const id of this.agentRequests.dropSession(generation)) {
          this.options.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the 1MCP agent went away' } });
        }
      },
    });
  }

  /** One message from the client. */
  receive(message: JSONRPCMessage): void {
    void this.handle(message as Message).catch((error: unknown) => this.options.logger.error(`Could not forward a message: ${errorMessage(error)}`));
  }

  /** Ends the agent session (the client has gone). */
  close(): Promise<void> {
    return this.keeper.close();
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
    return this.keeper.begin(request, (generation, opened) => {
      this.options.onInitialize?.(request.params);
      return this.exchange(request, async (sink) => this.keeper.withAgent(() => this.options.link.post(request, undefined, sink(generation))), (answer, sessionId) => {
        const result = answer.result as { protocolVersion?: string } | undefined;
        if (result) opened({ id: sessionId, protocolVersion: result.protocolVersion, generation });
      });
    });
  }

  private forwardRequest(request: Request): Promise<void> {
    this.keeper.remember(request);
    return this.exchange(request, (sink) => this.keeper.deliver(request, sink));
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
    if (initialized) this.keeper.markInitialized();
    try {
      await this.keeper.deliver(notification, (generation) => this.sinkFor(generation));
    } catch (error) {
      this.options.logger.warn(`Could not forward ${String(notification.method)}: ${errorMessage(error)}`);
    }
    if (initialized) this.keeper.listen();
  }

  /** The client's answer to a request of the agent: back under the agent's id, to the session that asked. */
  private async forwardAnswer(answer: Message): Promise<void> {
    const origin = this.agentRequests.take(answer.id as RequestId);
    const session = this.keeper.session;
    if (!origin || !session || session.generation !== origin.generation) {
      this.options.logger.debug(`Dropped an answer to ${String(answer.id)}: the session that asked is gone`);
      return;
    }
    await this.options.link.post({ ...answer, id: origin.id } as JSONRPCMessage, session, this.sinkFor(origin.generation)).catch((error: unknown) => {
      this.options.logger.warn(`Could not forward an answer: ${errorMessage(error)}`);
    });
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
}
