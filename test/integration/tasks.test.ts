import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  RELATED_TASK_META_KEY,
  TaskStatusNotificationSchema,
  type CallToolResult,
  type TaskStatusNotificationParams,
} from '@modelcontextprotocol/sdk/types.js';
import { authorizedClient, connect, startAgent as startAuthAgent, type Harness } from '../helpers/authHarness';
import { connectClient, everythingEntry, firstText, fixtureEntry, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { connectModernClient } from '../helpers/modernClient';

const RESEARCH = 'everything_1mcp_simulate-research-query';

/** A client that answers elicitations with the first interpretation offered, and records what it was asked. */
async function researcher(url: string, asked: { taskId?: string; message: string }[] = []): Promise<Client> {
  const client = new Client({ name: 'researcher', version: '1' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    const related = request.params._meta?.[RELATED_TASK_META_KEY] as { taskId?: string } | undefined;
    asked.push({ taskId: related?.taskId, message: request.params.message });
    return { action: 'accept', content: { interpretation: 'historical' } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await client.listTools();
  return client;
}

/** Runs a task-augmented call to the end as the SDK's client does: created, statuses, then the result. */
async function runTask(client: Client, args: Record<string, unknown>): Promise<{ taskId: string; statuses: string[]; result: CallToolResult }> {
  let taskId = '';
  const statuses: string[] = [];
  for await (const message of client.experimental.tasks.callToolStream({ name: RESEARCH, arguments: args })) {
    if (message.type === 'taskCreated') taskId = message.task.taskId;
    else if (message.type === 'taskStatus') statuses.push(message.task.status);
    else if (message.type === 'result') return { taskId, statuses, result: message.result as CallToolResult };
    else throw new Error(`the task failed: ${JSON.stringify(message.error)}`);
  }
  throw new Error('the stream ended without a result');
}

describe('tasks pass through (server-everything simulate-research-query)', () => {
  let running: RunningAgent;
  let client: Client;
  const asked: { taskId?: string; message: string }[] = [];
  const statuses: TaskStatusNotificationParams[] = [];

  before(async () => {
    running = await startAgent({ mcpServers: { everything: everythingEntry(), alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
    client = await researcher(running.url, asked);
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void statuses.push(n.params));
  });
  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('declares tasks, as the backend does, and keeps the tool\'s task support', async () => {
    assert.deepEqual(client.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const tool = (await client.listTools()).tools.find((t) => t.name === RESEARCH);
    assert.equal(tool?.execution?.taskSupport, 'required');
  });

  it('runs a task-augmented call: created, working, completed, result; status notifications under the id the client holds', async () => {
    const { taskId, result } = await runTask(client, { topic: 'tides' });
    assert.match(taskId, /^[A-Za-z0-9_-]{24}$/, 'an id of the agent\'s own');
    assert.match(firstText(result), /# Research Report: tides/);
    assert.deepEqual(result._meta?.[RELATED_TASK_META_KEY], { taskId });
    const task = await client.experimental.tasks.getTask(taskId);
    assert.equal(task.taskId, taskId);
    assert.equal(task.status, 'completed');
    await waitFor(() => statuses.some((s) => s.taskId === taskId && s.status === 'completed'), 'the completed status notification');
    // Every status this client heard is of its one task, under the id it holds (never the backend's).
    assert.ok(statuses.every((s) => s.taskId === taskId), JSON.stringify(statuses.map((s) => s.taskId)));
    // So does the activity record of the call that started it.
    const started = running.agent.activity.list().filter((r) => r.target === RESEARCH);
    assert.deepEqual(started.map((r) => [r.outcome, r.task]), [['ok', taskId]]);
  });

  it("puts the task's elicitation to the client that created it, under its id, and the answer back", async () => {
    const { taskId, statuses: seen, result } = await runTask(client, { topic: 'python', ambiguous: true });
    assert.ok(seen.includes('input_required'), seen.join(', '));
    assert.deepEqual(asked.map((a) => a.taskId), [taskId]);
    assert.match(asked[0]?.message ?? '', /could have multiple interpretations/);
    assert.match(firstText(result), /Clarification\*\*: historical/);
  });

  it("puts a task's question to its creator while another client's call to the same stdio backend is in flight", async () => {
    const other = await researcher(running.url);
    const stop = new AbortController();
    let inFlight = false;
    const busy = other
      .callTool({ name: 'everything_1mcp_trigger-long-running-operation', arguments: { duration: 60, steps: 60 } }, undefined, { signal: stop.signal, onprogress: () => void (inFlight = true) })
      .catch(() => undefined);
    try {
      await waitFor(() => inFlight, "the other client's call in flight");
      const before = asked.length;
      const { taskId, result } = await runTask(client, { topic: 'python', ambiguous: true });
      assert.deepEqual(asked.slice(before).map((a) => a.taskId), [taskId]);
      assert.match(firstText(result), /Clarification\*\*: historical/);
    } finally {
      stop.abort();
      await busy;
      await other.close();
    }
  });

  it("lists the caller's tasks and only those; another session cannot reach them", async () => {
    const { taskId } = await runTask(client, { topic: 'listing' });
    const listed = (await client.experimental.tasks.listTasks()).tasks.map((t) => t.taskId);
    assert.ok(listed.includes(taskId));
    const other = await researcher(running.url);
    try {
      assert.deepEqual((await other.experimental.tasks.listTasks()).tasks, []);
      await assert.rejects(other.experimental.tasks.getTask(taskId), new RegExp(`-32602: Task "${taskId}" not found`));
      await assert.rejects(other.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema), /-32602/);
    } finally {
      await other.close();
    }
  });

  it('cancels a task at its backend', async () => {
    const created = await client.request({ method: 'tools/call', params: { name: RESEARCH, arguments: { topic: 'slow' }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    const taskId = created.task.taskId;
    const cancelled = await client.experimental.tasks.cancelTask(taskId);
    assert.equal(cancelled.taskId, taskId);
    assert.equal(cancelled.status, 'cancelled');
  });

  it('answers an unknown task id with -32602', async () => {
    await assert.rejects(client.experimental.tasks.getTask('no-such-task'), /-32602: Task "no-such-task" not found/);
  });

  it('gives a client that calls a task-only tool without a task the result of an ordinary call', async () => {
    const result = await client.request({ method: 'tools/call', params: { name: RESEARCH, arguments: { topic: 'plain call' } } }, CallToolResultSchema);
    assert.match(firstText(result), /# Research Report: plain call/);
    assert.equal(result._meta?.[RELATED_TASK_META_KEY], undefined);
    // Recorded as the ordinary call the client made: the task the agent made of it is not the client's.
    const call = running.agent.activity.list().at(-1);
    assert.deepEqual([call?.target, call?.outcome, call?.task], [RESEARCH, 'ok', undefined]);
    assert.ok((call?.bytes ?? 0) > 'Research Report: plain call'.length, `the result's size: ${call?.bytes}`);
  });

  it('gives a 2026-07-28 client the result too, its elicitation as input_required', async () => {
    const modern = await connectModernClient(running.url);
    try {
      const plain = await modern.callTool({ name: RESEARCH, arguments: { topic: 'modern' } });
      assert.match(firstText(plain), /# Research Report: modern/);
      modern.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { interpretation: 'current' } }));
      const clarified = await modern.callTool({ name: RESEARCH, arguments: { topic: 'python', ambiguous: true } });
      assert.match(firstText(clarified), /Clarification\*\*: current/);
    } finally {
      await modern.close();
    }
  });

  it('tells a client without tasks nothing of them: no tasks capability where no backend has it', async () => {
    const noTasks = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    try {
      await settled(noTasks.agent);
      const plain = await connectClient(noTasks.url);
      assert.equal(plain.getServerCapabilities()?.tasks, undefined);
      await assert.rejects(plain.request({ method: 'tasks/list', params: {} }, CallToolResultSchema), /-32601/);
      await plain.close();
    } finally {
      await noTasks.close();
    }
  });
});

describe('tasks are confined like calls: by token scope and selection', () => {
  let h: Harness;
  const research = (backend: string) => `${backend}_1mcp_simulate-research-query`;
  const create = async (client: Client, backend: string): Promise<string> => {
    const created = await client.request({ method: 'tools/call', params: { name: research(backend), arguments: { topic: backend }, task: {} } }, CreateTaskResultSchema);
    return created.task.taskId;
  };

  before(async () => {
    h = await startAuthAgent({ servers: { ra: everythingEntry({ tags: ['a'] }), rb: everythingEntry({ tags: ['b'] }) } });
  });
  after(() => h?.close());

  it('a token for tag a cannot read, wait for, cancel or list a task of tag b', async () => {
    const both = await authorizedClient(h, ['a', 'b']);
    const onlyA = await authorizedClient(h, ['a']);
    try {
      const ofB = await create(both.client, 'rb');
      const ofA = await create(onlyA.client, 'ra');
      assert.equal((await both.client.experimental.tasks.getTask(ofB)).taskId, ofB);
      for (const attempt of [
        onlyA.client.experimental.tasks.getTask(ofB),
        onlyA.client.experimental.tasks.cancelTask(ofB),
        onlyA.client.request({ method: 'tasks/result', params: { taskId: ofB } }, CallToolResultSchema),
      ]) {
        await assert.rejects(attempt, new RegExp(`-32602: Task "${ofB}" not found`));
      }
      assert.deepEqual((await onlyA.client.experimental.tasks.listTasks()).tasks.map((t) => t.taskId), [ofA]);
      // Another client's task, even on a backend both see, is not reached either.
      await assert.rejects(both.client.experimental.tasks.getTask(ofA), /-32602/);
      assert.deepEqual((await both.client.experimental.tasks.listTasks()).tasks.map((t) => t.taskId), [ofB]);
      // The same token in a session that selects only tag a reaches its tasks of tag a alone.
      const selected = await connect(new URL(`${h.mcpUrl.href}?tags=a`), both.provider);
      await assert.rejects(selected.experimental.tasks.getTask(ofB), /-32602/);
      assert.deepEqual((await selected.experimental.tasks.listTasks()).tasks, []);
      await selected.close();
    } finally {
      await both.client.close();
      await onlyA.client.close();
    }
  });
});
