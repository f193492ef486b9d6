/**
 * The calls as OpenTelemetry traces, following the semantic conventions for MCP (opentelemetry.io/docs/specs/semconv/gen-ai/mcp):
 * a SERVER span per client request, a CLIENT span per request the agent sends a backend, the W3C trace
 * context taken from and put into `params._meta`, and the `mcp.server.operation.duration` histogram.
 *
 * The entry of dist/otel.js, a file of its own beside the bundles: tracing.ts requires it only when an
 * OTLP endpoint is configured, so nothing of the OpenTelemetry SDK is loaded (or shipped in the other
 * bundles) otherwise. Nothing here registers a global provider: other extensions' tracing is left alone.
 */
import { performance } from 'node:perf_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Histogram, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator, setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { errorMessage, type Logger } from '../logger';
import { redactSecrets } from '../redact';
import { AGENT_NAME, AGENT_VERSION } from '../version';
import type { CallSpan, CallTracer, OtlpConfig, TracedCall, TracedEnd } from './callTracer';

/** The histogram's buckets, in seconds, as the MCP conventions advise for `mcp.server.operation.duration`. */
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** An export that hangs gives up after this long; it never holds a call up, which only queues its span. */
const EXPORT_TIMEOUT_MS = 5_000;
const METRICS_INTERVAL_MS = 30_000;

const propagator = new W3CTraceContextPropagator();
const fromMeta: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (typeof carrier[key] === 'string' ? carrier[key] : undefined),
};
const intoRecord: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The tracer of OtlpConfig: spans go out in batches over OTLP/HTTP (protobuf or JSON). */
export function createOtelTracer(config: OtlpConfig, logger: Logger): CallTracer {
  const resource = resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': AGENT_VERSION });
  const exporterOptions = (url: string) => ({ url, headers: { ...config.headers }, timeoutMillis: EXPORT_TIMEOUT_MS });
  const json = config.protocol === 'http/json';
  const spanExporter = json ? new JsonTraceExporter(exporterOptions(config.tracesUrl)) : new ProtoTraceExporter(exporterOptions(config.tracesUrl));
  const provider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: spanExporter, scheduledDelayMillis: 1_000, exportTimeoutMillis: EXPORT_TIMEOUT_MS })] });
  const tracer = provider.getTracer(AGENT_NAME, AGENT_VERSION);
  const meters = config.metricsUrl
    ? new MeterProvider({
        resource,
        readers: [
          new PeriodicExportingMetricReader({
            exporter: json ? new JsonMetricExporter(exporterOptions(config.metricsUrl)) : new ProtoMetricExporter(exporterOptions(config.metricsUrl)),
            exportIntervalMillis: METRICS_INTERVAL_MS,
            exportTimeoutMillis: EXPORT_TIMEOUT_MS,
          }),
        ],
      })
    : undefined;
  const durations = meters?.getMeter(AGENT_NAME, AGENT_VERSION).createHistogram('mcp.server.operation.duration', {
    unit: 's',
    description: 'MCP request duration as observed on the receiver from the time it was received until the result is sent.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  // Exports fail in the background (the SDK reports them here); say so once, calls carry on regardless.
  let reported = false;
  setGlobalErrorHandler((error) => {
    if (reported) return;
    reported = true;
    logger.warn(`OpenTelemetry: could not export to ${config.tracesUrl}: ${errorMessage(error)}. Calls are not affected; further export failures are not logged.`);
  });
  logger.info(`OpenTelemetry: tracing calls to ${config.tracesUrl} (${config.protocol})`);
  return {
    start: (call) => new OtelCallSpan(tracer, durations, call),
    shutdown: async () => {
      await Promise.all([provider.shutdown(), meters?.shutdown()]);
    },
  };
}

class OtelCallSpan implements CallSpan {
  private readonly started = performance.now();
  private readonly parent: Context;
  private readonly server: Span;
  private client?: Span;
  private readonly metric: Attributes;

  constructor(private readonly tracer: ReturnType<TracerProvider['getTracer']>, private readonly durations: Histogram | undefined, private readonly call: TracedCall) {
    const meta = call.meta;
    this.parent = typeof meta === 'object' && meta !== null ? propagator.extract(ROOT_CONTEXT, meta as Record<string, unknown>, fromMeta) : ROOT_CONTEXT;
    const target = targetAttributes(call.method, call.target);
    // A resource's URI is no attribute for a metric: one series per URI.
    const { 'mcp.resource.uri': _uri, ...metric } = target;
    this.metric = metric;
    const attributes: Attributes = { ...target, 'network.transport': 'tcp', 'network.protocol.name': 'http' };
    if (call.requestId !== undefined) attributes['jsonrpc.request.id'] = String(call.requestId);
    if (call.session !== undefined) attributes['mcp.session.id'] = call.session;
    if (call.era === '2026-07-28') attributes['mcp.protocol.version'] = call.era;
    this.server = tracer.startSpan(spanName(call.method, call.target), { kind: SpanKind.SERVER, attributes }, this.parent);
  }

  toServer(server: string, serverTarget: string): Record<string, string> {
    const attributes: Attributes = { ...targetAttributes(this.call.method, serverTarget), 'server.address': server };
    this.client = this.tracer.startSpan(spanName(this.call.method, serverTarget), { kind: SpanKind.CLIENT, attributes }, trace.setSpan(this.parent, this.server));
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, this.client), carrier, intoRecord);
    return carrier;
  }

  end(end: TracedEnd): void {
    for (const span of [this.client, this.server]) {
      if (!span) continue;
      if (end.errorType !== undefined) {
        span.setAttribute('error.type', end.errorType);
        if (/^-?\d+$/.test(end.errorType)) span.setAttribute('rpc.response.status_code', end.errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: end.message });
      }
      span.end();
    }
    this.durations?.record((performance.now() - this.started) / 1000, end.errorType === undefined ? this.metric : { ...this.metric, 'error.type': end.errorType });
  }
}

/** `{mcp.method.name} {target}` for tools and prompts; the method alone otherwise (a URI is no low-cardinality name). */
function spanName(method: string, target: string): string {
  return method === 'tools/call' || method === 'prompts/get' ? `${method} ${target}` : method;
}

function targetAttributes(method: string, target: string): Attributes {
  if (method === 'tools/call') return { 'mcp.method.name': method, 'gen_ai.tool.name': target, 'gen_ai.operation.name': 'execute_tool' };
  if (method === 'prompts/get') return { 'mcp.method.name': method, 'gen_ai.prompt.name': target };
  if (method === 'resources/read') return { 'mcp.method.name': method, 'mcp.resource.uri': redactSecrets(target) };
  return { 'mcp.method.name': method };
}
