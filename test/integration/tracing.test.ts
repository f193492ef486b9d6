// Calls as OpenTelemetry traces: a real agent exporting over OTLP/HTTP to a receiver on 127.0.0.1:0, a
// real backend that reports the trace context it was sent, and the MCP semantic conventions' attributes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectClient, firstText, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { serveOnLoopback } from '../helpers/loopback';

/** One OTLP/JSON attribute: `{ key, value: { stringValue | intValue | … } }`. */
interface OtlpAttribute {
  readonly key: string;
  readonly value: Record<string, unknown>;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: readonly OtlpAttribute[];
  readonly status?: { readonly code?: number; readonly message?: string };
}
/** OTLP SpanKind (opentelemetry-proto trace.proto). */
const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

/** An OTLP/HTTP receiver: what arrives at /v1/traces and /v1/metrics, JSON bodies parsed. */
async function startReceiver(): Promise<{ base: string; posts: { path: string; type: string; body: Buffer }[]; spans(): OtlpSpan[]; resources(): OtlpAttribute[][]; close(): Promise<void> }> {
  const posts: { path: string; type: string; body: Buffer }[] = [];
  const { base, close } = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const traces = (): { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] =>
    posts.filter((p) => p.path === '/v1/traces' && p.type.includes('json')).flatMap((p) => (JSON.parse(p.body.toString('utf8')) as { resourceSpans: [] }).resourceSpans);
  return {
    base,
    posts,
    spans: () => traces().flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    resources: () => traces().map((r) => r.resource.attributes),
    close,
  };
}

function attributes(span: OtlpSpan | { attributes: readonly OtlpAttribute[] }): Record<string, unknown> {
  return Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

describe('tracing calls with OpenTelemetry', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await client.close();
    await running.close();
    await receiver.close();
  });

  it('loads no OpenTelemetry while no endpoint is configured', async () => {
    const plain = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } }, { watchConfig: false, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' } });
    try {
      await settled(plain.agent);
      const untraced = await connectClient(plain.url);
      await untraced.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'x' } });
      await untraced.close();
      assert.ok(!Object.keys(require.cache).some((file) => file.includes('otelSdk') || file.includes('@opentelemetry')), 'the OpenTelemetry SDK was loaded');
      assert.ok(!plain.logs.some((line) => line.includes('OpenTelemetry')));
    } finally {
      await plain.close();
    }
  });

  it('sends a SERVER span per call and a CLIENT child for the request to the backend, continuing the client’s trace', async () => {
    running = await startAgent(
      { mcpServers: { alpha: fixtureEntry('alpha') } },
      { watchConfig: false, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.base, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'tracing-test' } },
    );
    await settled(running.agent);
    client = await connectClient(running.url);
    const traceId = hex(16);
    const parentId = hex(8);
    const result = await client.callTool({ name: 'alpha_1mcp_meta', arguments: {}, _meta: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=value' } });
    const received = JSON.parse(firstText(result)) as { traceparent?: string; tracestate?: string };

    await waitFor(() => receiver.spans().filter((s) => s.traceId === traceId).length >= 2, 'the spans of the call');
    const spans = receiver.spans().filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === SERVER);
    const toBackend = spans.find((s) => s.kind === CLIENT);
    assert.ok(server && toBackend, JSON.stringify(spans));
    assert.equal(server.name, 'tools/call alpha_1mcp_meta');
    assert.equal(server.parentSpanId, parentId, 'the client’s span is the parent');
    assert.deepEqual(attributes(server), {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'alpha_1mcp_meta',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.session.id': (client.transport as StreamableHTTPClientTransport).sessionId,
      'jsonrpc.request.id': attributes(server)['jsonrpc.request.id'],
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
    });
    assert.match(String(attributes(server)['jsonrpc.request.id']), /^\d+$/);
    assert.equal(toBackend.parentSpanId, server.spanId, 'the request to the backend is a child of the call');
    assert.equal(toBackend.name, 'tools/call meta', 'named as the backend knows the tool');
    assert.deepEqual([attributes(toBackend)['gen_ai.tool.name'], attributes(toBackend)['server.address']], ['meta', 'alpha']);
    assert.equal(received.traceparent, `00-${traceId}-${toBackend.spanId}-01`, 'the backend is sent the trace context of the agent’s request');
    assert.equal(received.tracestate, 'vendor=value');
    assert.ok(receiver.resources().some((r) => attributes({ attributes: r })['service.name'] === 'tracing-test'));
  });

  it('marks a tool error and a refusal with error.type', async () => {
    const traceId = hex(16);
    const meta = { traceparent: `00-${traceId}-${hex(8)}-01` };
    await client.callTool({ name: 'alpha_1mcp_fail', arguments: {}, _meta: meta });
    await assert.rejects(client.callTool({ name: 'alpha_1mcp_nothing', arguments: {}, _meta: meta }));
    await waitFor(() => receiver.spans().filter((s) => s.traceId === traceId && s.kind === SERVER).length === 2, 'the spans of both calls');
    const [failed, unknown] = ['tools/call alpha_1mcp_fail', 'tools/call alpha_1mcp_nothing'].map((name) => receiver.spans().find((s) => s.traceId === traceId && s.name === name));
    assert.equal(attributes(failed ?? { attributes: [] })['error.type'], 'tool_error');
    assert.equal(failed?.status?.code, STATUS_ERROR);
    assert.equal(attributes(unknown ?? { attributes: [] })['error.type'], '-32602');
    assert.match(unknown?.status?.message ?? '', /not found/);
  });

  it('records the mcp.server.operation.duration histogram', async () => {
    await running.agent.close();
    await waitFor(() => receiver.posts.some((p) => p.path === '/v1/metrics' && p.body.toString('utf8').includes('mcp.server.operation.duration')), 'the duration metric');
  });

  it('exports over http/protobuf by default, to the traces endpoint given alone', async () => {
    const proto = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } }, { watchConfig: false, env: { ...process.env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.base}/v1/traces` } });
    try {
      await settled(proto.agent);
      const c = await connectClient(proto.url);
      await c.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'x' } });
      await c.close();
      await waitFor(() => receiver.posts.some((p) => p.path === '/v1/traces' && p.type === 'application/x-protobuf'), 'a protobuf export');
    } finally {
      await proto.close();
    }
  });

  it('never slows or fails a call when the endpoint is unreachable, and says so once', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } }, { watchConfig: false, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    try {
      await settled(down.agent);
      const c = await connectClient(down.url);
      const failures = (): string[] => down.logs.filter((line) => line.includes('OpenTelemetry: could not export'));
      await waitFor(async () => {
        assert.equal(firstText(await c.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'still' } })), 'alpha: still');
        return failures().length > 0;
      }, 'the failed export to be logged');
      for (let i = 0; i < 5; i++) assert.equal(firstText(await c.callTool({ name: 'alpha_1mcp_echo', arguments: { text: `call ${i}` } })), `alpha: call ${i}`);
      await c.close();
      assert.equal(failures().length, 1);
      assert.match(failures()[0] ?? '', /Calls are not affected/);
    } finally {
      await down.close();
    }
  });
});
