import type { Client, McpSubscription, Transport } from '@modelcontextprotocol/client';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport as HandshakeTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ResultSchema, type ClientRequest, type Progress, type Result, type ServerCapabilities, type ServerNotification, type ServerRequest, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { safeParse, type AnySchema, type SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { BackendClient, BackendClientHandlers, RequestAsker } from './backendClient';
import type { ServerConfig } from '../config/types';
import { createTransport, parseUrl, type TransportOptions } from './createTransport';
import type * as ModernSdk from './modernSdk';
import { CARRIED_EXTENSIONS, META, MODERN_PROTOCOL_VERSION } from '../protocol';

let sdk: typeof ModernSdk | undefined;

/**
 * The SDK v2 client, loaded on first use: only a 2026-07-28 backend needs it, and the build keeps it in
 * a file of its own beside the bundle (loaded at start, it cost the idle agent 12 MiB).
 */
function modernSdk(): typeof ModernSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require on first use is what keeps it out of start-up
  sdk ??= require('./modernSdk') as typeof ModernSdk;
  return sdk;
}

/** How long a dropped listen stream waits before it is opened again. */
const RELISTEN_MS = 1_000;

/** How many rounds of questions a forwarded request may take, and the pause before a round that asks nothing (as the SDK's own driver). */
const MAX_INPUT_ROUNDS = 10;
const STATE_ONLY_ROUND_MS = 250;
/** What an `input_required` result may ask (MCP 2026-07-28 MRTR). */
const INPUT_METHODS = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);

type SendOptions = RequestOptions & { readonly allowInputRequired?: boolean };

/**
 * The agent's client of a backend that speaks MCP 2026-07-28, on the SDK v2 client pinned to that
 * revision: `server/discover` on connect, the per-request envelope on every request, and multi
 * round-trip requests: a forwarded request's `input_required` is answered by the client of that request
 * ({@link forward}); the agent's own requests go through the SDK's driver to the handlers a handshake-era
 * backend's requests reach. Change notifications arrive on a `subscriptions/listen` stream, which also
 * carries the resource subscriptions the agent holds.
 */
export class ModernBackendClient implements BackendClient {
  onclose?: () => void;
  private readonly client: Client;
  private subscription?: McpSubscription;
  private listening: Promise<void> = Promise.resolve();
  private readonly resourceUris = new Set<string>();
  /** The backend's tools whose arguments travel in `Mcp-Param-*` headers too, by name. */
  private readonly headerTools = new Map<string, Tool>();
  private closed = false;

  constructor(info: { name: string; version: string }, private readonly handlers: BackendClientHandlers) {
    this.client = new (modernSdk().Client)(info, {
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: {}, extensions: CARRIED_EXTENSIONS },
      versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } },
    });
    const ask = (request: unknown, ctx: { mcpReq: { signal: AbortSignal } }) => handlers.request(request as ServerRequest, ctx.mcpReq.signal) as never;
    this.client.setRequestHandler('elicitation/create', ask);
    this.client.setRequestHandler('sampling/createMessage', ask);
    this.client.setRequestHandler('roots/list', ask);
    this.client.setNotificationHandler('notifications/tools/list_changed', () => handlers.listChanged('tools'));
    this.client.setNotificationHandler('notifications/prompts/list_changed', () => handlers.listChanged('prompts'));
    this.client.setNotificationHandler('notifications/resources/list_changed', () => handlers.listChanged('resources'));
    this.client.setNotificationHandler('notifications/resources/updated', (n) => handlers.notification(withoutSubscriptionMeta(n) as ServerNotification));
    this.client.onerror = (error) => handlers.error(error);
    this.client.onclose = () => {
      if (!this.closed) this.onclose?.();
    };
  }

  /**
   * The transport for a backend that speaks MCP 2026-07-28: our stdio transport (the framing is the
   * same), or the SDK v2 streamable HTTP client, which sends this revision's per-request headers.
   */
  static transport(server: ServerConfig, options: TransportOptions): HandshakeTransport {
    if (server.type === 'stdio') return createTransport(server, options);
    if (server.type === 'sse') throw new Error('the HTTP+SSE transport cannot carry MCP 2026-07-28: use "type": "http"');
    const authProvider: OAuthClientProvider | undefined = options.authProvider;
    const transport = new (modernSdk().StreamableHTTPClientTransport)(parseUrl(server), { requestInit: { headers: { ...server.headers } }, ...(authProvider && { authProvider: authProvider as never }) });
    return transport as HandshakeTransport;
  }

  /** Connects (`server/discover` must offer 2026-07-28) and opens the listen stream for what the backend announces. */
  async connect(transport: HandshakeTransport, options: { timeout: number }): Promise<void> {
    // Our stdio transport has the v2 SDK's transport shape too (start, send, close and the callbacks).
    await this.client.connect(transport as Transport, options);
    await this.relisten();
  }

  async request<T extends AnySchema>(request: ClientRequest, schema: T, options: RequestOptions = {}): Promise<SchemaOutput<T>> {
    return parsed(schema, await this.send(request, options));
  }

  /**
   * A client's request on its way to the backend: progress comes back, under the caller's own token,
   * as the notifications `onnotification` relays before the result. An `input_required` result belongs
   * to this request: its questions reach the handlers with `onrequest`, this request's client, round
   * after round, and never through the SDK's driver, whose handlers are not told which request a
   * question came with.
   */
  async forward(
    request: ClientRequest,
    options: { signal?: AbortSignal; timeout: number; onnotification?: (notification: ServerNotification) => void; onrequest?: RequestAsker },
  ): Promise<Result> {
    const token = (request.params?._meta as { progressToken?: string | number } | undefined)?.progressToken;
    const relay = options.onnotification;
    const onprogress =
      token === undefined || !relay ? undefined : (progress: Progress) => relay({ method: 'notifications/progress', params: { ...progress, progressToken: token } });
    const ask = (question: ServerRequest, signal: AbortSignal): Promise<Result> => this.handlers.request(question, signal, options.onrequest);
    const sendOptions: SendOptions = { signal: options.signal, timeout: options.timeout, onprogress, allowInputRequired: true };
    let params = request.params;
    for (let round = 1; ; round++) {
      const result = await this.send({ ...request, params } as ClientRequest, sendOptions);
      if (result.resultType !== 'input_required') return parsed(ResultSchema, result);
      if (round > MAX_INPUT_ROUNDS) throw new Error(`The backend still required input after ${MAX_INPUT_ROUNDS} rounds of ${request.method}`);
      const inputResponses = await answerAll(result.inputRequests, ask, options.signal);
      if (!inputResponses) await delay(STATE_ONLY_ROUND_MS, undefined, { signal: options.signal });
      const requestState = typeof result.requestState === 'string' ? result.requestState : undefined;
      params = { ...request.params, ...(inputResponses && { inputResponses }), ...(requestState !== undefined && { requestState }) } as ClientRequest['params'];
    }
  }

  /** Notifications the handshake era sends a server (cancellation, progress, roots) have no 2026-07-28 counterpart: cancellation closes the request's stream. */
  async notification(): Promise<void> {}

  getServerCapabilities(): ServerCapabilities | undefined {
    const caps = this.client.getServerCapabilities() as ServerCapabilities | undefined;
    if (!caps) return undefined;
    const { logging: _perRequest, ...rest } = caps;
    return rest;
  }

  getInstructions(): string | undefined {
    return this.client.getInstructions() ?? this.client.getDiscoverResult()?.instructions;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.subscription?.close();
    await this.client.close();
  }

  /** Sends a request once; with `allowInputRequired`, an `input_required` result comes back as it is. */
  private async send(request: ClientRequest, options: SendOptions): Promise<Result> {
    if (request.method === 'resources/subscribe' || request.method === 'resources/unsubscribe') {
      // This revision subscribes on the listen stream (MCP 2026-07-28 Subscriptions).
      if (request.method === 'resources/subscribe') this.resourceUris.add(request.params.uri);
      else this.resourceUris.delete(request.params.uri);
      await this.relisten();
      return {};
    }
    // Log levels travel per request in this revision; the agent asks for none.
    if (request.method === 'logging/setLevel') return {};
    const { signal, onprogress, timeout, allowInputRequired } = options;
    const sent = { signal, onprogress, timeout, ...(allowInputRequired && { allowInputRequired }) };
    const toolDefinition = request.method === 'tools/call' ? this.headerTools.get(request.params.name) : undefined;
    // A tool with `x-mcp-header` arguments is called through callTool, which mirrors them into headers
    // (MCP 2026-07-28 Streamable HTTP, "Custom Headers from Tool Parameters"); the rest as they are.
    const result = (
      toolDefinition && request.method === 'tools/call'
        ? await this.client.callTool(request.params as never, { ...sent, toolDefinition } as never)
        : await this.client.request(request as never, sent as never)
    ) as Result;
    if (request.method === 'tools/list') this.rememberHeaderTools(result);
    return withoutServerInfo(result);
  }

  private rememberHeaderTools(result: Result): void {
    for (const tool of (result.tools ?? []) as Tool[]) {
      // Without its outputSchema: the agent passes results on as they are, and an input_required one has no structured content.
      if (JSON.stringify(tool.inputSchema).includes('"x-mcp-header"')) this.headerTools.set(tool.name, { ...tool, outputSchema: undefined });
      else this.headerTools.delete(tool.name);
    }
  }

  /** Reopens the listen stream, one reopening after another: two at once would leave one stream open unseen. */
  private relisten(): Promise<void> {
    this.listening = this.listening.catch(() => undefined).then(() => this.listen());
    return this.listening;
  }

  /** (Re)opens the listen stream with the notifications the backend offers and the resources the agent watches. */
  private async listen(): Promise<void> {
    const caps = this.getServerCapabilities() ?? {};
    const filter = {
      ...(caps.tools?.listChanged && { toolsListChanged: true }),
      ...(caps.prompts?.listChanged && { promptsListChanged: true }),
      ...(caps.resources?.listChanged && { resourcesListChanged: true }),
      ...(caps.resources?.subscribe && this.resourceUris.size > 0 && { resourceSubscriptions: [...this.resourceUris] }),
    };
    const previous = this.subscription;
    this.subscription = undefined;
    await previous?.close();
    if (Object.keys(filter).length === 0 || this.closed) return;
    try {
      const subscription = await this.client.listen(filter);
      this.subscription = subscription;
      void subscription.closed.then((how) => {
        if (how !== 'remote' || this.closed || this.subscription !== subscription) return;
        setTimeout(() => void this.relisten(), RELISTEN_MS).unref();
      });
    } catch (error) {
      this.handlers.error(new Error(`subscriptions/listen failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

/**
 * Answers one round's questions, all at once: the first that fails cancels the others and fails the
 * round. Undefined when the round asks nothing (it carries only a `requestState`).
 */
async function answerAll(
  inputRequests: unknown,
  ask: (question: ServerRequest, signal: AbortSignal) => Promise<Result>,
  outer: AbortSignal | undefined,
): Promise<Record<string, Result> | undefined> {
  const entries = Object.entries(typeof inputRequests === 'object' && inputRequests !== null ? inputRequests : {});
  if (entries.length === 0) return undefined;
  const round = new AbortController();
  const signal = outer ? AbortSignal.any([outer, round.signal]) : round.signal;
  const answers = entries.map(async ([key, question]): Promise<[string, Result]> => {
    try {
      const method = (question as { method?: unknown } | null)?.method;
      if (typeof method !== 'string' || !INPUT_METHODS.has(method)) throw new Error(`The backend's input request "${key}" is not elicitation, sampling or roots`);
      return [key, await ask(question as ServerRequest, signal)];
    } catch (error) {
      round.abort(error);
      throw error;
    }
  });
  return Object.fromEntries(await Promise.all(answers));
}

function parsed<T extends AnySchema>(schema: T, value: unknown): SchemaOutput<T> {
  const result = safeParse(schema, value);
  if (!result.success) throw new Error(`The backend's result does not match the schema: ${String(result.error)}`);
  return result.data as SchemaOutput<T>;
}

/** A backend's result as the agent passes it on: the backend's identity is not the agent's. */
function withoutServerInfo(result: Result): Result {
  const meta = result._meta as Record<string, unknown> | undefined;
  if (!meta || !(META.serverInfo in meta)) return result;
  const { [META.serverInfo]: _backend, ...rest } = meta;
  const { _meta: _all, ...withoutMeta } = result;
  return Object.keys(rest).length > 0 ? { ...withoutMeta, _meta: rest } : withoutMeta;
}

/** A notification from the listen stream, without the stream's subscription id (the agent's clients have their own). */
function withoutSubscriptionMeta(notification: { method: string; params?: Record<string, unknown> }): { method: string; params?: Record<string, unknown> } {
  const meta = notification.params?._meta as Record<string, unknown> | undefined;
  if (!meta) return notification;
  const { [META.subscriptionId]: _id, ...rest } = meta;
  return { ...notification, params: { ...notification.params, _meta: rest } };
}
