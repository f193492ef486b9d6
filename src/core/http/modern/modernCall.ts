import { randomBytes } from 'node:crypto';
import { ErrorCode, McpError, type ClientCapabilities, type Result, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ProxyError } from '../../rpcError';
import type { Aggregator } from '../../aggregate/aggregator';
import type { Caller, ClientRequestOptions } from '../../aggregate/clientSession';
import type { RoutedRequest } from '../../aggregate/routedRequest';
import type { ModernReply } from './modernReply';

/** How long a call waits for its client to come back with answers (or to collect a finished result). */
const PENDING_CALL_MS = 10 * 60_000;

/** What a retry must match to continue a call: the same principal, method and target (MCP 2026-07-28 MRTR, "Server Requirements"). */
export interface CallKey {
  readonly owner?: string;
  readonly method: string;
  readonly target: string;
}

interface Question {
  readonly request: ServerRequest;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/** The capability a client must declare for the agent to put a backend's request to it. */
const NEEDS: Record<string, keyof ClientCapabilities> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/**
 * Calls that wait for their client, by the `requestState` the client was given. The state is a random
 * handle to a call kept here, so nothing in it can be forged; a retry must also come from the same
 * principal for the same method and target, and within {@link PENDING_CALL_MS}.
 */
export class PendingCalls {
  private readonly calls = new Map<string, ModernCall>();

  register(call: ModernCall): string {
    const token = randomBytes(24).toString('base64url');
    this.calls.set(token, call);
    return token;
  }

  /** The call a retry continues, when its state is known and the retry matches the call. */
  resume(token: string, key: CallKey): ModernCall | undefined {
    const call = this.calls.get(token);
    if (!call || call.key.owner !== key.owner || call.key.method !== key.method || call.key.target !== key.target) return undefined;
    return call;
  }

  delete(token: string | undefined): void {
    if (token !== undefined) this.calls.delete(token);
  }

  /** Ends every waiting call (the agent is closing, or a grant was revoked). */
  cancel(filter: (call: ModernCall) => boolean = () => true): void {
    for (const call of [...this.calls.values()]) if (filter(call)) call.cancel();
  }
}

/**
 * One forwarded request of a stateless client, across the rounds of a multi round-trip request
 * (MCP 2026-07-28 MRTR). The backend's call stays open at the agent while the client answers: a
 * request the backend sends its client (elicitation, sampling, roots; a handshake-era backend does so
 * mid-call) ends the client's current round with an `input_required` result whose `inputRequests`
 * carry it; the client's retry brings `inputResponses`, which answer the backend's pending requests,
 * and waits for what comes next: the result, or the next questions.
 */
export class ModernCall {
  private reply?: ModernReply;
  private outcome?: { readonly result: Result } | { readonly error: unknown };
  private readonly questions = new Map<string, Question>();
  private asked = 0;
  private flushing = false;
  private token?: string;
  private expiry?: NodeJS.Timeout;
  private readonly abort = new AbortController();

  constructor(
    private readonly pending: PendingCalls,
    readonly key: CallKey,
    private readonly capabilities: ClientCapabilities,
    /** Whether the method may answer `input_required` (tools/call, prompts/get, resources/read). */
    private readonly takesInput: boolean,
  ) {}

  /** Forwards the request and answers `reply` with whatever comes first. */
  start(hub: Aggregator, caller: Caller, routed: RoutedRequest, reply: ModernReply): void {
    this.attach(reply);
    // The request keeps the client's progress token, and its progress comes back under it (relay()).
    hub
      // What the caller sees of the result is made in the chain, so a backend answer it cannot use becomes this call's error too.
      .forwardRouted(caller, routed, {
        signal: this.abort.signal,
        requestId: reply.id,
        sendNotification: async (notification) => this.relay(notification),
        sendRequest: (request, options) => this.ask(request, options),
      })
      .then((result) => this.settle({ result }), (error: unknown) => this.settle({ error }));
  }

  /** A retry: its answers go to the backend's pending requests; `reply` waits for what comes next. */
  resume(inputResponses: unknown, reply: ModernReply): void {
    if (typeof inputResponses === 'object' && inputResponses !== null) {
      for (const [key, answer] of Object.entries(inputResponses)) {
        const question = this.questions.get(key);
        if (!question) continue;
        this.questions.delete(key);
        question.resolve(answer as Result);
      }
    }
    this.attach(reply);
  }

  /** Ends the call: the backend's request is cancelled and its questions refused. */
  cancel(): void {
    clearTimeout(this.expiry);
    this.pending.delete(this.token);
    this.abort.abort(new McpError(ErrorCode.RequestTimeout, 'The client did not continue the request'));
    for (const question of this.questions.values()) question.reject(new ProxyError(ErrorCode.InternalError, 'The client did not answer'));
    this.questions.clear();
  }

  private attach(reply: ModernReply): void {
    clearTimeout(this.expiry);
    if (this.outcome) {
      this.deliver(reply, this.outcome);
      return;
    }
    // A client that retries twice at once: the newer retry continues the call.
    this.reply?.error({ code: ErrorCode.InvalidRequest, message: 'Superseded by a newer retry of the same request' });
    this.reply = reply;
    reply.onCancel(() => {
      if (this.reply === reply) this.cancel();
    });
    if (this.questions.size > 0) this.flushSoon();
  }

  private relay(notification: ServerNotification): void {
    const token = this.reply?.progressToken;
    if (notification.method !== 'notifications/progress' || token === undefined) return;
    this.reply?.notify({ jsonrpc: '2.0', method: notification.method, params: { ...notification.params, progressToken: token } });
  }

  private ask(request: ServerRequest, options: ClientRequestOptions): Promise<Result> {
    const needed = Object.hasOwn(NEEDS, request.method) ? NEEDS[request.method] : undefined;
    if (!this.takesInput) return Promise.reject(new ProxyError(ErrorCode.InvalidRequest, `${request.method} cannot be put to a 2026-07-28 client during ${this.key.method}`));
    if (needed && this.capabilities[needed] === undefined) {
      return Promise.reject(new ProxyError(ErrorCode.InvalidRequest, `The client did not declare the ${needed} capability`));
    }
    return new Promise<Result>((resolve, reject) => {
      const key = `${request.method.split('/')[0] ?? 'input'}-${++this.asked}`;
      this.questions.set(key, { request, resolve, reject });
      options.signal.addEventListener('abort', () => {
        if (this.questions.delete(key)) reject(options.signal.reason);
      }, { once: true });
      this.flushSoon();
    });
  }

  /** Sends the open questions as `input_required` once the backend has asked all it asks at once. */
  private flushSoon(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const reply = this.reply;
      if (!reply?.open || this.outcome || this.questions.size === 0) return;
      this.token ??= this.pending.register(this);
      const inputRequests = Object.fromEntries([...this.questions].map(([key, q]) => [key, { method: q.request.method, params: withoutMeta(q.request.params) }]));
      this.reply = undefined;
      reply.result({ resultType: 'input_required', inputRequests, requestState: this.token });
      this.expireLater();
    });
  }

  private settle(outcome: { readonly result: Result } | { readonly error: unknown }): void {
    const reply = this.reply;
    if (reply?.open) {
      this.deliver(reply, outcome);
      return;
    }
    // Nobody can come back for it: the call was cancelled, or never handed the client a requestState.
    if (this.token === undefined || this.abort.signal.aborted) return;
    // The client is between rounds: keep the outcome for its retry.
    this.outcome = outcome;
    this.expireLater();
  }

  private deliver(reply: ModernReply, outcome: { readonly result: Result } | { readonly error: unknown }): void {
    this.reply = undefined;
    clearTimeout(this.expiry);
    this.pending.delete(this.token);
    // The backend finished without waiting for these answers.
    for (const question of this.questions.values()) question.reject(new ProxyError(ErrorCode.InternalError, 'The request has ended'));
    this.questions.clear();
    if ('result' in outcome) reply.result(completed(this.key.method, outcome.result));
    else reply.error(jsonRpcError(outcome.error));
  }

  private expireLater(): void {
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.cancel(), PENDING_CALL_MS);
    this.expiry.unref();
  }
}

/** A final result in this revision's shape: `resultType`, and cache hints on `resources/read` (MCP 2026-07-28 Caching). */
export function completed(method: string, result: Result): Result {
  if (method !== 'resources/read') return { ...result, resultType: 'complete' };
  return { ttlMs: 0, cacheScope: 'private', ...result, resultType: 'complete' };
}

/** An error as a JSON-RPC error object, as the SDK's Server would answer it. */
export function jsonRpcError(error: unknown): { code: number; message: string; data?: unknown } {
  if (error instanceof McpError) return { code: error.code, message: error.message, ...(error.data !== undefined && { data: error.data }) };
  const code = (error as { code?: unknown } | undefined)?.code;
  return { code: Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError, message: error instanceof Error ? error.message : String(error) };
}

function withoutMeta(params: ServerRequest['params']): Record<string, unknown> | undefined {
  if (!params) return undefined;
  const { _meta: _ignored, ...rest } = params as Record<string, unknown>;
  return rest;
}
