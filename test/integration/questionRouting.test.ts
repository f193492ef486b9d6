import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { QuestionRefusal } from '../../src/core/aggregate/aggregator';
import { TOLD, createAskingServer } from '../fixtures/askingServer';
import { startModernBackend } from '../fixtures/modernBackend';
import { firstText, settled, startAgent, startHttpBackend, startSseBackend, waitFor, type RunningAgent } from '../helpers/harness';
import { HOST_CAPABILITIES } from '../helpers/hostClient';
import { connectModernClient } from '../helpers/modernClient';

const ASKING_SCRIPT = path.resolve(__dirname, '..', 'fixtures', 'askingServer.ts');
const KINDS = [
  { kind: 'elicit', method: 'elicitation/create' },
  { kind: 'sample', method: 'sampling/createMessage' },
  { kind: 'roots', method: 'roots/list' },
] as const;
const CANNOT_TELL = /The agent cannot tell which client this (elicitation\/create|sampling\/createMessage|roots\/list) is for/;

/** One client of the agent: what it was asked and the log messages it received. */
interface Party {
  readonly name: string;
  readonly client: Client;
  readonly asked: string[];
  readonly logs: unknown[];
}

/** An SDK client named `name` that answers every question with its own name, and records what it was asked. */
async function party(url: string, name: string): Promise<Party> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: HOST_CAPABILITIES });
  const asked: string[] = [];
  const logs: unknown[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.method);
    return { action: 'accept', content: { name } };
  });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    asked.push(request.method);
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: name } };
  });
  client.setRequestHandler(ListRootsRequestSchema, async (request) => {
    asked.push(request.method);
    return { roots: [{ uri: `file:///work/${name}`, name }] };
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(notification.params.data));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { name, client, asked, logs };
}

/** A call's result, and the messages of the progress it received (each fixture tool names itself in them). */
interface Call {
  readonly result: CallToolResult;
  readonly progress: readonly (string | undefined)[];
}

/** How a client (of either era) calls a tool, with progress. */
type CallTool = (tool: string, args: Record<string, unknown>, onprogress: (progress: { message?: string }) => void) => Promise<CallToolResult>;

/** Starts a call: `reached` once it has reached the backend (its first progress), `done` with its end. */
function start(call: CallTool, tool: string, args: Record<string, unknown>): { reached: Promise<void>; done: Promise<Call> } {
  const progress: (string | undefined)[] = [];
  let reached!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const done = call(tool, args, (p) => {
    progress.push(p.message);
    reached();
  }).then((result) => ({ result, progress }));
  return { reached: Promise.race([arrived, done.then(() => undefined)]), done };
}

const handshake = (client: Client): CallTool => (name, args, onprogress) => client.callTool({ name, arguments: args }, undefined, { onprogress }) as Promise<CallToolResult>;
const modern = (client: ModernClient): CallTool => (name, args, onprogress) => client.callTool({ name, arguments: args }, { onprogress }) as Promise<CallToolResult>;

describe('a backend\'s question reaches the client whose call asked it, never another', { timeout: 120_000 }, () => {
  let running: RunningAgent;
  let web: Awaited<ReturnType<typeof startHttpBackend>>;
  let json: Awaited<ReturnType<typeof startHttpBackend>>;
  let legacy: Awaited<ReturnType<typeof startSseBackend>>;
  let modernWeb: Awaited<ReturnType<typeof startModernBackend>>;
  let a: Party;
  let b: Party;
  const refusals: QuestionRefusal[] = [];

  before(async () => {
    [web, json, legacy, modernWeb] = await Promise.all([
      startHttpBackend('web', { create: (name) => createAskingServer(name) }),
      startHttpBackend('json', { json: true, create: (name) => createAskingServer(name) }),
      startSseBackend('legacy', { create: (name) => createAskingServer(name) }),
      startModernBackend('modern'),
    ]);
    running = await startAgent({
      mcpServers: {
        local: { command: process.execPath, args: ['--import', 'tsx', ASKING_SCRIPT], env: { FIXTURE_NAME: 'local' } },
        web: { url: web.url },
        json: { url: json.url },
        legacy: { type: 'sse', url: legacy.url },
        modern: { url: modernWeb.url },
      },
    });
    const states = await settled(running.agent);
    for (const [name, state] of Object.entries(states)) assert.equal(state.status, 'connected', `${name}: ${state.reason ?? ''}`);
    running.agent.hub.onDidRefuseQuestion((refusal) => void refusals.push(refusal));
    a = await party(running.url, 'client-A');
    b = await party(running.url, 'client-B');
  });

  after(async () => {
    await a?.client.close();
    await b?.client.close();
    await running?.close();
    await Promise.all([web?.close(), json?.close(), legacy?.close(), modernWeb?.close()]);
  });

  /** A calls `tool` on `backend`; once the call has reached it, B starts a slow call to the same backend. */
  async function overlapping(backend: string, tool: string, args: Record<string, unknown>, first: CallTool = handshake(a.client)): Promise<{ a: Call; b: Call }> {
    const asking = start(first, `${backend}_1mcp_${tool}`, { ...args, afterSlow: true });
    await asking.reached;
    const slow = start(handshake(b.client), `${backend}_1mcp_slow`, {});
    const [aCall, bCall] = await Promise.all([asking.done, slow.done]);
    // Progress is the request's own: neither call receives the other's.
    assert.deepEqual(bCall.progress, ['slow']);
    assert.ok(aCall.progress.includes(tool) && !aCall.progress.includes('slow'), JSON.stringify(aCall.progress));
    assert.equal(firstText(bCall.result), 'slow done');
    return { a: aCall, b: bCall };
  }

  function resetRecords(): void {
    for (const p of [a, b]) {
      p.asked.length = 0;
      p.logs.length = 0;
    }
    refusals.length = 0;
  }

  for (const backend of ['local', 'legacy'] as const) {
    const transport = backend === 'local' ? 'stdio' : 'legacy SSE';
    describe(`${transport}: the backend cannot say which call a question is for`, () => {
      for (const { kind, method } of KINDS) {
        it(`${method} while calls of A and B are in flight: B is never asked, A's call ends with the clear error`, async () => {
          resetRecords();
          const calls = await overlapping(backend, 'ask', { kind });
          assert.equal(calls.a.result.isError, true);
          assert.match(firstText(calls.a.result), CANNOT_TELL);
          assert.deepEqual(b.asked, []);
          assert.deepEqual(a.asked, []);
          assert.equal(refusals.length, 1);
          assert.equal(refusals[0]?.backend, backend);
          assert.equal(refusals[0]?.method, method);
          assert.equal(refusals[0]?.reason, 'ambiguous');
          assert.equal(refusals[0]?.callers.length, 2);
          const warning = running.logs.find((line) => line.includes(`[${backend}]`) && line.includes(method) && /cannot tell which client/.test(line));
          assert.ok(warning, 'the refusal is logged, naming backend and method');
          assert.match(warning, /\bwarn/i);
        });

        it(`${method} while only A calls: A is asked and answers`, async () => {
          resetRecords();
          const result = await a.client.callTool({ name: `${backend}_1mcp_ask`, arguments: { kind } });
          assert.equal(firstText(result), 'answered by client-A');
          assert.deepEqual(a.asked, [method]);
          assert.deepEqual(b.asked, []);
          assert.deepEqual(refusals, []);
        });
      }

      it('a log message during A\'s call while B\'s is in flight goes into neither call; with A alone, to A', async () => {
        resetRecords();
        const calls = await overlapping(backend, 'tell', {});
        assert.equal(firstText(calls.a.result), 'told');
        assert.deepEqual(b.logs, []);
        assert.deepEqual(a.logs, []);
        await a.client.callTool({ name: `${backend}_1mcp_tell`, arguments: {} });
        assert.deepEqual(a.logs, [TOLD]);
        assert.deepEqual(b.logs, []);
      });
    });
  }

  describe('streamable HTTP with event-stream answers: a question comes on the answer of the call it belongs to', () => {
    for (const { kind, method } of KINDS) {
      it(`${method} of A's call reaches A while B's newer call is in flight`, async () => {
        resetRecords();
        const calls = await overlapping('web', 'ask', { kind });
        assert.equal(firstText(calls.a.result), 'answered by client-A');
        assert.deepEqual(a.asked, [method]);
        assert.deepEqual(b.asked, []);
        assert.deepEqual(refusals, []);
      });
    }

    it('a question the backend sends apart from any call (the GET stream) is refused like stdio\'s when both are in flight', async () => {
      resetRecords();
      const calls = await overlapping('web', 'ask', { kind: 'elicit', unrelated: true });
      assert.match(firstText(calls.a.result), CANNOT_TELL);
      assert.deepEqual(a.asked, []);
      assert.deepEqual(b.asked, []);
      assert.equal(refusals[0]?.backend, 'web');
    });

    it('a log message on A\'s call goes to A only', async () => {
      resetRecords();
      await overlapping('web', 'tell', {});
      assert.deepEqual(a.logs, [TOLD]);
      assert.deepEqual(b.logs, []);
    });
  });

  it('streamable HTTP with JSON answers (where no question can come): both calls are answered and nothing of A\'s reaches B', async () => {
    resetRecords();
    // The backend drops what a JSON answer cannot carry, progress included: the calls cannot be ordered by it.
    const telling = a.client.callTool({ name: 'json_1mcp_tell', arguments: { afterSlow: true } });
    const slow = b.client.callTool({ name: 'json_1mcp_slow', arguments: {} });
    assert.equal(firstText(await telling), 'told');
    assert.equal(firstText(await slow), 'slow done');
    assert.deepEqual(b.logs, []);
    assert.deepEqual(b.asked, []);
    assert.deepEqual(a.asked, []);
  });

  it('a 2026-07-28 backend: input_required belongs to the call that returned it, so A is asked while B\'s newer call is in flight', async () => {
    resetRecords();
    const calls = await overlapping('modern', 'whoami-after-slow', {});
    assert.equal(firstText(calls.a.result), 'Hello client-A');
    assert.deepEqual(a.asked, ['elicitation/create']);
    assert.deepEqual(b.asked, []);
  });

  describe('a 2026-07-28 client in front of handshake-era backends', () => {
    let m: ModernClient;
    before(async () => {
      m = await connectModernClient(running.url, { name: 'modern-A' });
    });
    after(async () => {
      await m?.close();
    });

    it('a question on its call\'s answer stream becomes input_required for that request only', async () => {
      resetRecords();
      const calls = await overlapping('web', 'ask', { kind: 'elicit' }, modern(m));
      assert.equal(firstText(calls.a.result), 'answered by modern-A');
      assert.deepEqual(b.asked, []);
    });

    it('on stdio, with B\'s call in flight too, it is refused and B is never asked', async () => {
      resetRecords();
      const calls = await overlapping('local', 'ask', { kind: 'elicit' }, modern(m));
      assert.match(firstText(calls.a.result), CANNOT_TELL);
      assert.deepEqual(b.asked, []);
    });
  });
});

describe('a question that belongs to no call goes only to the one session that sees the backend', { timeout: 60_000 }, () => {
  let running: RunningAgent;
  const parties: Party[] = [];

  before(async () => {
    const asking = (name: string) => ({ command: process.execPath, args: ['--import', 'tsx', ASKING_SCRIPT], env: { FIXTURE_NAME: name }, tags: [name] });
    running = await startAgent({ mcpServers: { solo: asking('solo'), other: asking('other') } });
    await settled(running.agent);
  });

  after(async () => {
    for (const p of parties) await p.client.close();
    await running?.close();
  });

  async function join(name: string, tags: string): Promise<Party> {
    const joined = await party(`${running.url}?tags=${tags}`, name);
    parties.push(joined);
    return joined;
  }

  it('roots/list after a roots change reaches the one session that sees the backend; with two that see it, it is refused', async () => {
    const x = await join('client-X', 'solo');
    const y = await join('client-Y', 'other');
    await x.client.sendRootsListChanged();
    await waitFor(() => x.logs.length > 0, 'the backend to log whose roots it got');
    assert.deepEqual(x.logs, ['roots of client-X']);
    assert.deepEqual(x.asked, ['roots/list']);

    const z = await join('client-Z', 'solo');
    x.logs.length = 0;
    await z.client.sendRootsListChanged();
    await waitFor(() => x.logs.length > 0 && z.logs.length > 0, 'the backend to log the refusal to both sessions that see it');
    assert.match(String(z.logs[0]), /^roots refused: .*The agent cannot tell which client this roots\/list is for: it belongs to no call in flight, and 2 clients see this backend/);
    assert.deepEqual(x.asked, ['roots/list']);
    assert.deepEqual(z.asked, []);
    assert.deepEqual(y.asked, []);
    assert.deepEqual(y.logs, []);
  });
});
