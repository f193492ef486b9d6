import { errorMessage, type Logger } from '../logger';
import type { ActivityRecorder } from './activityRecorder';
import { OTLP_PROTOCOLS, type CallTracer, type OtlpConfig, type OtlpProtocol } from './callTracer';
import type * as OtelSdk from './otelSdk';

/** An OTLP variable (or the setting) the agent cannot use; tracing stays off, the agent runs. */
export class TracingConfigError extends Error {
  readonly code = 'TRACING_CONFIG';
}

const DEFAULT_SERVICE_NAME = '1mcp-agent';

/**
 * The OTLP export the environment asks for (OpenTelemetry "OTLP Exporter Configuration"): the base
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` and `/v1/metrics` under it) or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
 * as it is, `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf` or `http/json`), `OTEL_EXPORTER_OTLP_HEADERS`
 * and `OTEL_SERVICE_NAME`; `endpoint` (VS Code's `onemcp.otlpEndpoint`) is a base endpoint that takes the
 * place of the variable. Undefined when none is set, or `OTEL_SDK_DISABLED` / `OTEL_TRACES_EXPORTER=none`.
 */
export function otlpConfig(env: NodeJS.ProcessEnv, endpoint?: string): OtlpConfig | undefined {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  if (value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true' || value('OTEL_TRACES_EXPORTER') === 'none') return undefined;
  const base = endpoint?.trim() || value('OTEL_EXPORTER_OTLP_ENDPOINT');
  const tracesUrl = (endpoint?.trim() ? undefined : value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')) ?? (base && signalUrl(base, 'traces'));
  if (!tracesUrl) return undefined;
  const metricsOff = value('OTEL_METRICS_EXPORTER') === 'none';
  const metricsUrl = metricsOff ? undefined : (value('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? (base && signalUrl(base, 'metrics')));
  const protocol = value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new TracingConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL "${protocol}" is not supported: use ${OTLP_PROTOCOLS.join(' or ')}`);
  }
  for (const url of [tracesUrl, metricsUrl]) {
    if (url !== undefined && !/^https?:\/\//.test(url)) throw new TracingConfigError(`The OTLP endpoint "${url}" is not an http(s) URL`);
  }
  return {
    tracesUrl,
    metricsUrl,
    protocol: protocol as OtlpProtocol,
    headers: { ...parseHeaders(value('OTEL_EXPORTER_OTLP_HEADERS')), ...parseHeaders(value('OTEL_EXPORTER_OTLP_TRACES_HEADERS')) },
    serviceName: value('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  };
}

/** `<base>/v1/<signal>`, as the OTLP exporter specification builds it from the base endpoint. */
function signalUrl(base: string, signal: 'traces' | 'metrics'): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/** `key1=value1,key2=value2`, values percent-encoded (W3C Baggage's format, as the specification says). */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/**
 * The tracer for `config`, built from the OpenTelemetry SDK: a file of its own beside the bundles
 * (dist/otel.js), required here on first use, so that an agent without an endpoint never loads it.
 */
export function loadTracer(config: OtlpConfig, logger: Logger): CallTracer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require on first use is what keeps OpenTelemetry out of start-up
  const sdk = require('./otelSdk') as typeof OtelSdk;
  return sdk.createOtelTracer(config, logger);
}

/**
 * Traces `recorder`'s calls when an OTLP endpoint is configured (`env`, or `endpoint` in its place); the
 * OpenTelemetry SDK is loaded only then. A setting it cannot use is logged, and calls go untraced.
 */
export function traceCalls(recorder: ActivityRecorder | undefined, env: NodeJS.ProcessEnv, endpoint: string | undefined, logger: Logger): void {
  if (!recorder) return;
  try {
    const config = otlpConfig(env, endpoint);
    if (config) recorder.useTracer(loadTracer(config, logger));
  } catch (error) {
    logger.warn(`Calls are not traced: ${errorMessage(error)}`);
  }
}
