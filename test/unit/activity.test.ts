import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ClientRequest, Result } from '@modelcontextprotocol/sdk/types.js';
import { ActivityFile } from '../../src/core/activity/activityFile';
import type { ActivityRecord } from '../../src/core/activity/activityRecord';
import { createRecorder } from '../../src/core/activity/activityRecorder';
import { ActivityRing } from '../../src/core/activity/activityRing';
import { activityLine, bytesText, durationText, outcomeText } from '../../src/core/activity/activityText';
import { redactArguments } from '../../src/core/activity/redactArguments';
import { otlpConfig, TracingConfigError } from '../../src/core/activity/tracing';
import { createStreamLogger, silentLogger } from '../../src/core/logger';

const MINUTE = 60_000;
const NOW = Date.UTC(2030, 0, 1, 12);

function record(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return { time: NOW, client: 'client-a', method: 'tools/call', target: 'alpha_1mcp_echo', server: 'alpha', serverTarget: 'echo', durationMs: 1.5, outcome: 'ok', era: 'handshake', ...overrides };
}

describe('activity record', () => {
  describe('the ring in memory', () => {
    it('keeps the latest records, oldest first, filtered by client (clientInfo or registered name) and server', () => {
      const ring = new ActivityRing(3);
      for (let i = 0; i < 5; i++) ring.push(record({ target: `t${i}`, client: i % 2 ? 'client-b' : 'client-a', server: i < 3 ? 'alpha' : 'beta' }));
      assert.deepEqual(ring.list().map((r) => r.target), ['t2', 't3', 't4']);
      assert.deepEqual(ring.list({}, 2).map((r) => r.target), ['t3', 't4']);
      assert.deepEqual(ring.list({ client: 'CLIENT-B' }).map((r) => r.target), ['t3']);
      assert.deepEqual(ring.list({ server: 'beta' }).map((r) => r.target), ['t3', 't4']);
      ring.push(record({ target: 'oauth', client: undefined, oauthClient: { id: 'c1', name: 'Editor A' } }));
      assert.deepEqual(ring.list({ client: 'editor a' }).map((r) => r.target), ['oauth']);
    });

    it('counts the last hour’s calls and failures, also those it no longer keeps', () => {
      const ring = new ActivityRing(2);
      ring.push(record({ time: NOW - 90 * MINUTE, outcome: 'error' }));
      ring.push(record({ time: NOW - 30 * MINUTE, outcome: 'refused' }));
      ring.push(record({ time: NOW - 10 * MINUTE, outcome: 'ok' }));
      ring.push(record({ time: NOW - 40 * MINUTE, outcome: 'error' }));
      ring.push(record({ time: NOW, outcome: 'cancelled' }));
      assert.deepEqual(ring.lastHour(NOW), { calls: 4, failures: 2 });
      const copy = new ActivityRing(2);
      copy.restore(ring.snapshot());
      assert.deepEqual(copy.lastHour(NOW), { calls: 4, failures: 2 });
      assert.deepEqual(copy.list(), ring.list());
    });
  });

  describe('arguments, when the config asks for them', () => {
    it('cuts out values under secret-looking keys and values that look like tokens', () => {
      const token = `ghp_${'a1B2'.repeat(10)}`;
      const redacted = redactArguments({
        query: 'weather in Paris',
        apiKey: 'k',
        client_secret: 's',
        Authorization: 'Bearer abc',
        accessToken: 't',
        DB_PASSWORD: 'p',
        author: 'Ada',
        keyword: 'mcp',
        note: `my token is ${token}`,
        list: [{ password: 'x', page: 2 }],
      });
      assert.deepEqual(redacted, {
        query: 'weather in Paris',
        apiKey: '[redacted]',
        client_secret: '[redacted]',
        Authorization: '[redacted]',
        accessToken: '[redacted]',
        DB_PASSWORD: '[redacted]',
        author: 'Ada',
        keyword: 'mcp',
        note: 'my token is [redacted]',
        list: [{ password: '[redacted]', page: 2 }],
      });
    });

    it('cuts long strings, long lists and deep nesting short', () => {
      const long = redactArguments({ text: 'x'.repeat(600), items: Array.from({ length: 60 }, (_, i) => i) }) as { text: string; items: unknown[] };
      assert.equal(long.text, `${'x'.repeat(500)}… (100 more characters)`);
      assert.equal(long.items.length, 51);
      assert.equal(long.items.at(-1), '… (10 more items)');
      assert.deepEqual(redactArguments({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }), { a: { b: { c: { d: { e: { f: '…' } } } } } });
    });
  });

  describe('the recorder', () => {
    it('records the task a call started by the id its client holds, and a task-augmented call the server answered at once as any call', () => {
      const recorder = createRecorder({}, silentLogger, {});
      assert.ok(recorder);
      const who = { client: 'client-a', session: 's-1', era: 'handshake' } as const;
      const params = { name: 'alpha_1mcp_research', arguments: {}, task: { ttl: 60_000 } };
      const call = { method: 'tools/call', target: 'alpha_1mcp_research', server: 'alpha', serverTarget: 'research', params };
      const request = { method: 'tools/call', params } as ClientRequest;
      const created = (taskId: string): Result => ({ task: { taskId, status: 'working', createdAt: new Date(NOW).toISOString(), lastUpdatedAt: new Date(NOW).toISOString(), ttl: 60_000 } });
      // The server's id, and the one the agent gave the client for it.
      recorder.begin(who, call, request)?.ok(created('server-task-1'), created('task-7'));
      const answer = { content: [{ type: 'text', text: 'done' }] };
      recorder.begin(who, call, request)?.ok(answer, answer);
      const [started, answered] = recorder.reader.list();
      assert.deepEqual([started?.outcome, started?.task, started?.server, started?.serverTarget], ['ok', 'task-7', 'alpha', 'research']);
      assert.deepEqual([answered?.outcome, answered?.task], ['ok', undefined]);
      assert.match(activityLine(started as ActivityRecord), /alpha › research .* ok, started task task-7$/);
    });
  });

  describe('words', () => {
    it('writes durations, sizes and outcomes as every view does', () => {
      assert.deepEqual([durationText(0), durationText(0.5), durationText(1.25), durationText(12.4), durationText(1500), durationText(42_000)], ['0 ms', '0.5 ms', '1.25 ms', '12 ms', '1.5 s', '42 s']);
      assert.deepEqual([bytesText(512), bytesText(1234), bytesText(3_400_000)], ['512 B', '1.2 KB', '3.4 MB']);
      assert.equal(outcomeText(record({ outcome: 'refused', refusedBy: 'scope', reason: 'outside the grant' })), 'refused (scope): outside the grant');
      assert.equal(outcomeText(record({ outcome: 'cancelled', reason: 'Cancelled by the client' })), 'cancelled');
      assert.equal(outcomeText(record({ task: 'task-7' })), 'ok, started task task-7');
      assert.match(activityLine(record({ bytes: 1234 })), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}client-a {2}alpha › echo {2}1\.5 ms {2}1\.2 KB {2}ok$/);
    });
  });

  describe('the file', () => {
    it('rotates at its size limit, keeps as many rotated files as asked, and reads the latest records back across them', async () => {
      const dir = await fs.mkdtemp(path.join(tmpdir(), 'onemcp-activity-file-'));
      const file = path.join(dir, 'state', 'activity.jsonl');
      const activity = new ActivityFile(file, silentLogger, { maxBytes: 1_000, keep: 2 });
      const written = Array.from({ length: 40 }, (_, i) => record({ target: `call-${i}`, time: NOW + i }));
      for (const [i, r] of written.entries()) {
        activity.append(r);
        if (i % 7 === 6) await activity.flush();
      }
      await activity.flush();
      const names = (await fs.readdir(path.dirname(file))).sort();
      assert.deepEqual(names, ['activity.jsonl', 'activity.jsonl.1', 'activity.jsonl.2']);
      for (const name of names) assert.ok((await fs.stat(path.join(path.dirname(file), name))).size <= 1_000, name);
      const kept = (await Promise.all(names.map((name) => fs.readFile(path.join(path.dirname(file), name), 'utf8')))).join('').trim().split('\n');
      assert.ok(kept.length < written.length, 'the oldest rotated file was deleted');
      const tail = await activity.tail(12);
      assert.deepEqual(tail.map((r) => r.target), written.slice(-12).map((r) => r.target));
      assert.equal((await activity.tail(1000)).length, kept.length);
    });

    it('skips a line cut short by a crash, and says once when it cannot write', async () => {
      const dir = await fs.mkdtemp(path.join(tmpdir(), 'onemcp-activity-file-'));
      const file = path.join(dir, 'activity.jsonl');
      await fs.writeFile(file, `${JSON.stringify(record({ target: 'before' }))}\n{"time":1,"meth`);
      assert.deepEqual((await new ActivityFile(file, silentLogger).tail(10)).map((r) => r.target), ['before']);

      const lines: string[] = [];
      const blocked = new ActivityFile(path.join(file, 'not-a-folder', 'activity.jsonl'), createStreamLogger('warn', (line) => lines.push(line)));
      for (let i = 0; i < 3; i++) {
        blocked.append(record());
        await blocked.flush();
      }
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /could not be written .* later failures are not logged/);
    });
  });

  describe('the OTLP settings', () => {
    it('reads the standard variables: a base endpoint, or the traces endpoint as it is', () => {
      assert.equal(otlpConfig({}), undefined);
      assert.deepEqual(otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'mine', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b,x=1' }), {
        tracesUrl: 'http://collector:4318/v1/traces',
        metricsUrl: 'http://collector:4318/v1/metrics',
        protocol: 'http/protobuf',
        headers: { 'api-key': 'a b', x: '1' },
        serviceName: 'mine',
      });
      const tracesOnly = otlpConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
      assert.deepEqual([tracesOnly?.tracesUrl, tracesOnly?.metricsUrl, tracesOnly?.protocol, tracesOnly?.serviceName], ['https://x/traces', undefined, 'http/json', '1mcp-agent']);
    });

    it('takes the setting in place of the base endpoint, and stays off when told', () => {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:4318/t' };
      assert.equal(otlpConfig(env, 'http://setting:4318')?.tracesUrl, 'http://setting:4318/v1/traces');
      assert.equal(otlpConfig({ ...env, OTEL_SDK_DISABLED: 'true' }), undefined);
      assert.equal(otlpConfig({ ...env, OTEL_TRACES_EXPORTER: 'none' }), undefined);
      assert.equal(otlpConfig({ ...env, OTEL_METRICS_EXPORTER: 'none' })?.metricsUrl, undefined);
    });

    it('refuses what it cannot export to, saying why', () => {
      assert.throws(() => otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), (e: unknown) => e instanceof TracingConfigError && /grpc.*http\/protobuf or http\/json/.test(e.message));
      assert.throws(() => otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /not an http\(s\) URL/);
    });
  });
});
