// "confirm": the agent asks before a tool the config names runs. A handshake client that declared
// elicitation is asked with elicitation/create on the call, a 2026-07-28 client with input_required; a
// decline does not run the tool, a yes runs it once, "Allow for this session" stops the asking for that
// session; a client that cannot be asked is refused with the reason. Where VS Code serves the agent,
// the editor's answer counts too (the first answer wins).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { REFUSAL_META } from '../../src/core/integrity/refusal';
import { connectClient, everythingEntry, firstText, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { envelope, postModern } from '../helpers/modernClient';

const NOTES_SERVER = path.resolve(__dirname, '..', 'fixtures', 'notesServer.ts');
const notes = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ command: process.execPath, args: ['--import', 'tsx', NOTES_SERVER], ...extra });

/** A handshake client that declared elicitation and answers each question with the next of `answers`. */
async function askedClient(url: string, answers: ElicitResult[]): Promise<{ client: Client; questions: ElicitRequest['params'][] }> {
  const questions: ElicitRequest['params'][] = [];
  const client = new Client({ name: 'confirm-client', version: '1' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    questions.push(request.params);
    return answers.shift() ?? { action: 'decline' };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, questions };
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}) => client.callTool({ name: `notes_1mcp_${name}`, arguments: args }) as Promise<CallToolResult>;

describe('confirm: "destructive" asks the calling client before a destructive tool runs', () => {
  let running: RunningAgent;
  const deletions = async (client: Client): Promise<string> => firstText(await call(client, 'deletions'));

  before(async () => {
    running = await startAgent({ mcpServers: { notes: notes({ confirm: 'destructive' }) } });
    await settled(running.agent);
  });
  after(async () => running?.close());

  it('a read-only tool runs without a question; a declined destructive one does not run', async () => {
    const { client, questions } = await askedClient(running.url, [{ action: 'decline' }]);
    try {
      assert.equal(firstText(await call(client, 'list_notes')), '2');
      assert.equal(questions.length, 0);
      const declined = await call(client, 'delete_notes', { reason: 'cleanup' });
      assert.equal(declined.isError, true);
      assert.match(firstText(declined), /^1MCP did not run notes › delete_notes: its configuration asks for the user's confirmation first \("confirm"\), and the user declined it in confirm-client\.$/);
      assert.equal(declined._meta?.[REFUSAL_META], 'declined');
      const record = running.agent.activity.list().at(-1);
      assert.deepEqual([record?.target, record?.outcome, record?.refusedBy], ['notes_1mcp_delete_notes', 'refused', 'policy'], 'the activity record: refused by policy, not a tool error');
      assert.match(record?.reason ?? '', /the user declined it in confirm-client/);
      assert.equal(questions.length, 1);
      assert.match(questions[0]?.message ?? '', /^Allow confirm-client to run notes › delete_notes\?\n\nArguments:\n\{\n {2}"reason": "cleanup"\n\}$/);
      assert.deepEqual(Object.keys((questions[0] as { requestedSchema: { properties: object } }).requestedSchema.properties), ['allowForSession']);
      assert.equal(await deletions(client), '0');
      assert.ok(running.logs.some((l) => /INFO {2}\[notes\] "delete_notes" for client "confirm-client": not run, the user declined it in confirm-client/.test(l)));
      assert.ok(!running.logs.some((l) => l.includes('cleanup')), 'no arguments in the log');
    } finally {
      await client.close();
    }
  });

  it('accepted, it runs once; "Allow for this session" runs it without asking again in that session only', async () => {
    const { client, questions } = await askedClient(running.url, [{ action: 'accept', content: {} }, { action: 'accept', content: { allowForSession: true } }]);
    try {
      assert.equal(firstText(await call(client, 'delete_notes', { reason: 'once' })), 'deleted 2 notes');
      assert.equal(await deletions(client), '1');
      await call(client, 'delete_notes', { reason: 'for the session' });
      await call(client, 'delete_notes', { reason: 'remembered' });
      assert.equal(questions.length, 2, 'the third call was not asked');
      assert.equal(await deletions(client), '3');
      assert.ok(running.logs.some((l) => /\[notes\] "delete_notes" for client "confirm-client": allowed by the user of confirm-client for this session/.test(l)));
    } finally {
      await client.close();
    }
    const other = await askedClient(running.url, [{ action: 'decline' }]);
    try {
      assert.equal((await call(other.client, 'delete_notes', { reason: 'another session' })).isError, true);
      assert.equal(other.questions.length, 1, 'another session is asked again');
    } finally {
      await other.client.close();
    }
  });

  it('a client that cannot be asked is refused with the reason, and the tool does not run', async () => {
    const client = await connectClient(running.url);
    try {
      const refused = await call(client, 'delete_notes', { reason: 'no way to ask' });
      assert.equal(refused.isError, true);
      assert.match(firstText(refused), /1MCP did not run notes › delete_notes: .*and test-client cannot be asked \(it did not declare elicitation\)\. Run it from a client that supports elicitation \(or from VS Code\), or change "confirm" in mcp\.json\./);
      assert.equal(refused._meta?.[REFUSAL_META], 'unanswerable');
      assert.equal(await deletions(client), '3');
    } finally {
      await client.close();
    }
  });

  it('a 2026-07-28 client is asked with input_required: declined it does not run, accepted it runs once', async () => {
    const post = (id: number, extra: Record<string, unknown>, capabilities: object = { elicitation: {} }) =>
      postModern(running.url, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'notes_1mcp_delete_notes', arguments: { reason: 'modern' }, _meta: envelope({ 'io.modelcontextprotocol/clientCapabilities': capabilities }), ...extra } }, { 'mcp-name': 'notes_1mcp_delete_notes' });
    for (const [answer, outcome] of [['decline', /the user declined it in raw/], ['accept', /^deleted 2 notes$/]] as const) {
      const first = await post(1, {});
      const result = first.body.result as { resultType: string; inputRequests: Record<string, { method: string; params: { message: string; requestedSchema: { properties: object } } }>; requestState: string };
      assert.equal(result.resultType, 'input_required');
      const [key, question] = Object.entries(result.inputRequests)[0] ?? [];
      assert.equal(question?.method, 'elicitation/create');
      assert.match(question?.params.message ?? '', /^Allow raw to run notes › delete_notes\?\n\nArguments:\n\{\n {2}"reason": "modern"\n\}$/);
      assert.deepEqual(question?.params.requestedSchema.properties, {}, 'no session to remember an answer for');
      const retry = await post(2, { inputResponses: { [key ?? '']: { action: answer } }, requestState: result.requestState });
      assert.match(firstText(retry.body.result), outcome);
    }
    const cannot = await post(3, {}, {});
    const refused = cannot.body.result as CallToolResult & { resultType: string };
    assert.equal(refused.resultType, 'complete');
    assert.equal(refused.isError, true);
    assert.match(firstText(refused), /raw cannot be asked \(it did not declare elicitation\)/);
    const client = await connectClient(running.url);
    assert.equal(await deletions(client), '4', 'only the accepted call ran');
    await client.close();
  });
});

describe('confirm: patterns at the top level, and the editor answering where VS Code serves the agent', () => {
  let running: RunningAgent;

  before(async () => {
    running = await startAgent({ confirm: ['delete_*', 'dele?ions'], mcpServers: { notes: notes() } }, { servedBy: { kind: 'editor', label: 'test window', pid: process.pid } });
    await settled(running.agent);
  });
  after(async () => running?.close());

  it('asks for the tools its patterns name, in the editor when the client cannot be asked', async () => {
    const client = await connectClient(running.url);
    try {
      assert.equal(firstText(await call(client, 'list_notes')), '2', 'a name no pattern matches runs as it is');
      const denied = call(client, 'delete_notes', { reason: 'editor says no' });
      const [waiting] = await waitFor(() => running.agent.state.pendingConfirmations.length > 0 && running.agent.state.pendingConfirmations, 'the question in the state');
      assert.deepEqual([waiting?.server, waiting?.tool, waiting?.client, waiting?.remembers], ['notes', 'delete_notes', 'test-client', true]);
      assert.match(waiting?.arguments ?? '', /"reason": "editor says no"/);
      await running.agent.answerConfirmation(waiting?.id ?? '', 'deny');
      const result = await denied;
      assert.equal(result.isError, true);
      assert.match(firstText(result), /the user declined it in VS Code/);
      assert.equal(running.agent.state.pendingConfirmations.length, 0);
      await assert.rejects(running.agent.answerConfirmation(waiting?.id ?? '', 'allow'), /no longer waiting/);

      const allowed = call(client, 'deletions');
      const [next] = await waitFor(() => running.agent.state.pendingConfirmations.length > 0 && running.agent.state.pendingConfirmations, 'the second question');
      await running.agent.answerConfirmation(next?.id ?? '', 'allow');
      assert.equal(firstText(await allowed), '0');
    } finally {
      await client.close();
    }
  });

  it('the first answer wins: the editor answers while the client is still being asked, and the client’s question is withdrawn', async () => {
    let asked: (id: unknown) => void = () => undefined;
    const questionArrived = new Promise<unknown>((resolve) => (asked = resolve));
    const client = new Client({ name: 'slow-client', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, (_request, extra) => {
      asked(extra.requestId);
      return new Promise<ElicitResult>((resolve) => extra.signal.addEventListener('abort', () => resolve({ action: 'decline' })));
    });
    const transport = new StreamableHTTPClientTransport(new URL(running.url));
    await client.connect(transport);
    // What reaches the client, as it arrives: the SDK client ignores a cancellation of request id 0 (its
    // `if (!requestId)`), so the withdrawal is checked on the wire.
    const cancelled: unknown[] = [];
    const receive = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage) => {
      if ('method' in message && message.method === 'notifications/cancelled') cancelled.push(message.params?.requestId);
      receive?.(message);
    };
    try {
      const pending = call(client, 'delete_notes', { reason: 'race' });
      const questionId = await questionArrived;
      const [waiting] = running.agent.state.pendingConfirmations;
      await running.agent.answerConfirmation(waiting?.id ?? '', 'allow');
      assert.equal(firstText(await pending), 'deleted 2 notes');
      assert.deepEqual(cancelled, [questionId], 'the question was withdrawn before the result came');
      assert.ok(running.logs.some((l) => /\[notes\] "delete_notes" for client "slow-client": allowed in VS Code/.test(l)));
    } finally {
      await client.close();
    }
  });
});

describe('confirm: a tool that runs only as a task (server-everything simulate-research-query)', () => {
  const RESEARCH = 'everything_1mcp_simulate-research-query';
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    running = await startAgent({ mcpServers: { everything: { ...everythingEntry(), confirm: ['simulate-research-query'] } } });
    await settled(running.agent);
    client = await connectClient(running.url);
    // The SDK's client makes a task of a call only to a tool it has listed as one that runs only as a task.
    await client.listTools();
  });
  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('called without a task by a client that cannot be asked: refused with the reason, no task made', async () => {
    const refused = (await client.request({ method: 'tools/call', params: { name: RESEARCH, arguments: { topic: 'plain' } } }, CallToolResultSchema)) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.equal(refused._meta?.[REFUSAL_META], 'unanswerable');
    assert.match(firstText(refused), /^1MCP did not run everything › simulate-research-query: .*"confirm".*cannot be asked/);
    assert.deepEqual((await client.experimental.tasks.listTasks()).tasks, []);
  });

  it('called as a task: the refusal is an error, since a task was asked for, and no task is made', async () => {
    const stream = client.experimental.tasks.callToolStream({ name: RESEARCH, arguments: { topic: 'as a task' } });
    const messages = [];
    for await (const message of stream) messages.push(message);
    const [only, ...rest] = messages;
    assert.equal(rest.length, 0);
    assert.equal(only?.type, 'error');
    assert.match(only?.type === 'error' ? only.error.message : '', /1MCP did not run everything › simulate-research-query: .*cannot be asked/);
    const record = running.agent.activity.list().at(-1);
    assert.deepEqual([record?.target, record?.outcome, record?.refusedBy], [RESEARCH, 'refused', 'policy']);
    assert.deepEqual((await client.experimental.tasks.listTasks()).tasks, []);
  });
});
