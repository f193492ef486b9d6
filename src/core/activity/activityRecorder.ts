import { performance } from 'node:perf_hooks';
import type { ClientRequest, RequestId, Result } from '@modelcontextprotocol/sdk/types.js';
import { Emitter } from '../event';
import { REFUSAL_META } from '../integrity/refusal';
import { errorMessage, type Logger } from '../logger';
import { redactSecrets } from '../redact';
import { settlesWithin } from '../settlesWithin';
import { receivedSize } from '../sharedJson';
import { ActivityFile, type RotationLimits } from './activityFile';
import { RECORDED_METHODS, type ActivityChange, type ActivityEra, type ActivityOutcome, type ActivityRecord, type RefusedBy } from './activityRecord';
import { ACTIVITY_MEMORY, ActivityRing, type ActivityReader, type ActivitySnapshot } from './activityRing';
import { CallRefused } from './callRefused';
import type { CallSpan, CallTracer } from './callTracer';
import { redactArguments } from './redactArguments';

/** Who makes a call, as the record names it. */
export interface CallerIdentity {
  /** The name the client gave in `clientInfo`. */
  readonly client?: string;
  /** With client authorization, the session owner: `<OAuth client id>/<grant id>`. */
  readonly owner?: string;
  /** The handshake-era session id. */
  readonly session?: string;
  readonly era: ActivityEra;
}

/** What a call names: the method, the target as the client named it, and where it leads. */
export interface RecordedCall {
  readonly method: string;
  readonly target: string;
  readonly server?: string;
  /** The target by the server's own name. */
  readonly serverTarget?: string;
  readonly requestId?: RequestId;
  /** The client's params: its arguments (recorded only when the config asks) and `_meta` (its trace context). */
  readonly params?: Record<string, unknown>;
}

/** A forwarded call under way: ended once, by {@link ok} or {@link failed}. */
export interface ActivityCall {
  /** What to send the server: the routed request, carrying the trace context of the agent's own request when tracing. */
  readonly request: ClientRequest;
  /** `received`: the server's result (its size is recorded); `shown`: what the caller got of it (a task by the id the caller holds). */
  ok(received: Result, shown: Result): void;
  /** `cancelled`: the client cancelled it, or went away. */
  failed(error: unknown, cancelled: boolean): void;
}

export interface ActivityRecorderOptions {
  readonly logger: Logger;
  /** Records kept in memory (default 1,000). */
  readonly memory?: number;
  /** Where records are appended, when the agent has a state folder. */
  readonly file?: ActivityFile;
  /** Whether the config asks for arguments (`"activity": { "arguments": true }`); read at every call. */
  readonly recordArguments?: () => boolean;
  /** The registered name of an OAuth client. */
  readonly oauthClientName?: (clientId: string) => string | undefined;
}

/** How long closing waits for the last spans to go out (an unreachable collector must not hold a window's close up). */
const TRACER_SHUTDOWN_MS = 1_000;

/** The longest reason kept: the record says why, the logs hold the rest. */
const MAX_REASON = 300;

/**
 * Records every call a client makes through the agent (tools/call, resources/read, prompts/get), both
 * eras: in memory (a ring of the latest), in the file, to listeners (views, followers, `/activity`
 * streams) and, when an OTLP endpoint is configured, as traces. On the call path it takes two clock
 * reads and one small object; serializing and writing happen in batches, later.
 */
export class ActivityRecorder {
  private readonly ring: ActivityRing;
  private readonly changed = new Emitter<ActivityChange>();
  /** A call was recorded, or history was read back from the file (the records are others as a whole). */
  readonly onDidChange = this.changed.event;
  private tracer?: CallTracer;
  private readonly createdAt = Date.now();

  constructor(private readonly options: ActivityRecorderOptions) {
    this.ring = new ActivityRing(options.memory);
  }

  /** The records in memory. */
  get reader(): ActivityReader {
    return this.ring;
  }

  snapshot(): ActivitySnapshot {
    return this.ring.snapshot();
  }

  /** Traces calls from now on (an OTLP endpoint is configured). */
  useTracer(tracer: CallTracer): void {
    this.tracer = tracer;
  }

  /**
   * Reads the latest records of the file back into memory, before those of this run (a restart or a
   * takeover keeps history). Runs beside the start: calls recorded meanwhile are kept. Never rejects:
   * a file it cannot read is logged.
   */
  async load(): Promise<void> {
    const file = this.options.file;
    if (!file) return;
    const since = this.createdAt;
    let earlier: ActivityRecord[];
    try {
      earlier = (await file.tail(this.options.memory ?? ACTIVITY_MEMORY)).filter((record) => record.time < since);
    } catch (error) {
      this.options.logger.warn(`The activity record could not be read back from ${file.file}: ${errorMessage(error)}`);
      return;
    }
    if (earlier.length === 0) return;
    const live = this.ring.list();
    this.ring.clear();
    for (const record of [...earlier, ...live]) this.ring.push(record);
    this.changed.fire({ kind: 'reset' });
  }

  /** A call is forwarded to a server; undefined when it is neither recorded nor traced. */
  begin(who: CallerIdentity | undefined, call: RecordedCall, request: ClientRequest): ActivityCall | undefined {
    const tracer = this.tracer;
    if (!tracer && !RECORDED_METHODS.has(call.method)) return undefined;
    const span = tracer?.start({ method: call.method, target: call.target, requestId: call.requestId, session: who?.session, era: who?.era ?? 'handshake', meta: call.params?._meta });
    const sent = span && call.server !== undefined ? withTraceContext(request, span.toServer(call.server, call.serverTarget ?? call.target)) : request;
    return new PendingCall(this, who, call, sent, span, this.options.recordArguments?.() ? redactArguments(call.params?.arguments) : undefined);
  }

  /** A call refused (or failed) before it reached a server. */
  refused(who: CallerIdentity | undefined, call: RecordedCall, error: unknown): void {
    const span = this.tracer?.start({ method: call.method, target: call.target, requestId: call.requestId, session: who?.session, era: who?.era ?? 'handshake', meta: call.params?._meta });
    const where = error instanceof CallRefused ? { server: error.server, serverTarget: error.serverTarget } : {};
    this.finish(who, { ...call, ...where }, Date.now(), 0, failure(error, false), undefined, span);
  }

  /** Ends a call: its record goes to memory, the file and listeners; its span ends. */
  finish(who: CallerIdentity | undefined, call: RecordedCall, time: number, durationMs: number, end: CallEnd, args: unknown, span: CallSpan | undefined): void {
    span?.end({ outcome: end.outcome, errorType: end.errorType, message: end.reason });
    if (!RECORDED_METHODS.has(call.method)) return;
    const owner = who?.owner;
    const clientId = owner?.slice(0, owner.indexOf('/'));
    const resource = call.method === 'resources/read';
    const record: ActivityRecord = {
      time,
      client: who?.client,
      oauthClient: clientId ? { id: clientId, name: this.options.oauthClientName?.(clientId) ?? 'unknown' } : undefined,
      session: who?.session,
      method: call.method,
      // A URI may carry a key in its query; a name cannot.
      target: resource ? redactSecrets(call.target) : call.target,
      server: call.server,
      serverTarget: call.serverTarget === undefined || call.serverTarget === call.target ? undefined : resource ? redactSecrets(call.serverTarget) : call.serverTarget,
      durationMs: Math.round(durationMs * 100) / 100,
      outcome: end.outcome,
      refusedBy: end.refusedBy,
      reason: end.reason,
      task: end.task,
      bytes: end.bytes,
      era: who?.era ?? 'handshake',
      arguments: args,
    };
    this.ring.push(record);
    this.options.file?.append(record);
    this.changed.fire({ kind: 'recorded', record });
  }

  /** Writes the records still queued for the file. */
  flush(): Promise<void> {
    return this.options.file?.flush() ?? Promise.resolve();
  }

  /** Writes what is queued and stops tracing (sending what is still queued, for a moment at most). */
  async close(): Promise<void> {
    const stopping = this.tracer?.shutdown().catch((error: unknown) => this.options.logger.debug(`OpenTelemetry shutdown: ${errorMessage(error)}`));
    await Promise.all([this.options.file?.flush(), stopping && settlesWithin(stopping, TRACER_SHUTDOWN_MS)]);
    this.changed.dispose();
  }
}

/** How a call ended, as the record and the span say it. */
interface CallEnd {
  readonly outcome: ActivityOutcome;
  readonly refusedBy?: RefusedBy;
  readonly reason?: string;
  readonly errorType?: string;
  readonly bytes?: number;
  readonly task?: string;
}

/** The id of the task a result says was created (`{ task: { taskId } }`), if it says so. */
function startedTask(result: Result): string | undefined {
  const id = (result.task as { taskId?: unknown } | undefined)?.taskId;
  return typeof id === 'string' ? id : undefined;
}

class PendingCall implements ActivityCall {
  private readonly time = Date.now();
  private readonly started = performance.now();

  constructor(
    private readonly recorder: ActivityRecorder,
    private readonly who: CallerIdentity | undefined,
    private readonly call: RecordedCall,
    readonly request: ClientRequest,
    private readonly span: CallSpan | undefined,
    private readonly args: unknown,
  ) {}

  ok(received: Result, shown: Result): void {
    const bytes = receivedSize(received);
    const end: CallEnd = refusedByTheAgent(shown._meta)
      ? { outcome: 'refused', refusedBy: 'policy', reason: shorten(redactSecrets(resultText(shown))), errorType: 'tool_error' }
      : shown.isError === true
        ? { outcome: 'error', reason: 'The tool reported an error (isError)', errorType: 'tool_error', bytes }
        : { outcome: 'ok', bytes, task: startedTask(shown) };
    this.recorder.finish(this.who, this.call, this.time, performance.now() - this.started, end, this.args, this.span);
  }

  failed(error: unknown, cancelled: boolean): void {
    this.recorder.finish(this.who, this.call, this.time, performance.now() - this.started, failure(error, cancelled), this.args, this.span);
  }
}

function failure(error: unknown, cancelled: boolean): CallEnd {
  if (cancelled) return { outcome: 'cancelled', reason: 'Cancelled by the client', errorType: 'cancelled' };
  if (error instanceof CallRefused) return { outcome: 'refused', refusedBy: error.by, reason: shorten(error.reason), errorType: String(error.code) };
  const { code, data } = (error ?? {}) as { code?: unknown; data?: unknown };
  if (refusedByTheAgent(data)) return { outcome: 'refused', refusedBy: 'policy', reason: shorten(redactSecrets(errorMessage(error))), errorType: String(code) };
  return { outcome: 'error', reason: shorten(redactSecrets(errorMessage(error))), errorType: typeof code === 'number' ? String(code) : '_OTHER' };
}

/** Whether a result's `_meta` or an error's `data` says the agent itself did not run the tool (held back, or not confirmed by the user). */
function refusedByTheAgent(carrier: unknown): boolean {
  return typeof carrier === 'object' && carrier !== null && REFUSAL_META in carrier;
}

/** The text of a result's content. */
function resultText(result: Result): string {
  const content = Array.isArray(result.content) ? (result.content as { type?: unknown; text?: unknown }[]) : [];
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

function shorten(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}

/** `request` with `context` (W3C trace context) in its `params._meta`, replacing the client's. */
function withTraceContext(request: ClientRequest, context: Record<string, string>): ClientRequest {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const meta = { ...(params._meta as Record<string, unknown> | undefined), ...context };
  return { ...request, params: { ...params, _meta: meta } } as ClientRequest;
}

/** Where and how much of the activity record is kept (the agent's `activity` option). */
export interface ActivityOptions {
  /** The JSON-lines file in the agent's state folder; in memory only when absent. */
  readonly file?: string;
  /** When the file rotates and how many rotated files are kept (default 10 MB, 3). */
  readonly rotation?: RotationLimits;
  /** Records kept in memory (default 1,000). */
  readonly memory?: number;
}

/** The recorder `options` describe (none for `false`); `config` says what the agent's config and auth know. */
export function createRecorder(options: ActivityOptions | false = {}, logger: Logger, config: Pick<ActivityRecorderOptions, 'recordArguments' | 'oauthClientName'>): ActivityRecorder | undefined {
  if (options === false) return undefined;
  const file = options.file === undefined ? undefined : new ActivityFile(options.file, logger, options.rotation);
  return new ActivityRecorder({ logger, memory: options.memory, file, ...config });
}
