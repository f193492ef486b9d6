import type { ActivityEra, ActivityOutcome } from './activityRecord';

/** A call as the tracer sees it when it arrives. */
export interface TracedCall {
  readonly method: string;
  /** The tool or prompt as the client named it (the span's target); a resource's URI. */
  readonly target: string;
  readonly requestId?: string | number;
  readonly session?: string;
  readonly era: ActivityEra;
  /** The client's `params._meta`: the trace context it continues, if any (`traceparent`, `tracestate`). */
  readonly meta?: unknown;
}

/** How a traced call ended. */
export interface TracedEnd {
  readonly outcome: ActivityOutcome;
  /** `error.type`: the JSON-RPC error code, `tool_error` for a result with `isError`, `cancelled`, `refused`. */
  readonly errorType?: string;
  /** The span status' description: the error's message. */
  readonly message?: string;
}

/** One client request being traced: the agent's SERVER span, and the CLIENT span of its request to a server. */
export interface CallSpan {
  /**
   * Starts the CLIENT span of the agent's request to `server` and returns the trace context the request
   * carries in `params._meta` (W3C `traceparent`, and `tracestate` when there is one).
   */
  toServer(server: string, serverTarget: string): Record<string, string>;
  end(end: TracedEnd): void;
}

/**
 * Traces calls following the OpenTelemetry semantic conventions for MCP (a SERVER span per client
 * request, a CLIENT span per request to a backend, trace context in `params._meta`). Implemented with the
 * OpenTelemetry SDK in a file of its own, loaded only when an OTLP endpoint is configured (tracing.ts).
 */
export interface CallTracer {
  start(call: TracedCall): CallSpan;
  /** Sends what is still queued (within a short time) and stops. */
  shutdown(): Promise<void>;
}

/** How spans and metrics are sent (OTLP/HTTP): protobuf by default, as the OpenTelemetry SDKs do. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Where and how traces (and the duration metric) are exported. */
export interface OtlpConfig {
  readonly tracesUrl: string;
  /** Absent when only a traces endpoint is given, or `OTEL_METRICS_EXPORTER=none`. */
  readonly metricsUrl?: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
}
