// The activity record with real clients: two named OAuth clients (the SDK's own client auth, approved on
// the dashboard), a 2026-07-28 client, real backends; what the agent keeps, what `/activity` and its
// event stream answer, what `onemcp activity` prints, and that no secret of a call's arguments is kept.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, promises as fs, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ActivityRecord } from '../../src/core/activity/activityRecord';
import { authorizedClient, connect, logLines, startAgent, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import { onemcp } from '../helpers/cli';
import { BUILT_CLI, firstText, fixtureEntry, waitFor } from '../helpers/harness';
import { connectModernClient, envelope, postModern } from '../helpers/modernClient';

const AUTH_BACKEND = path.join(__dirname, '..', 'fixtures', 'authBackend.ts');
/** A secret under a secret-looking key, and a token-shaped value under an ordinary one. */
const SECRET = `hunter2-${randomUUID()}`;
const TOKEN = `ghp_${randomUUID().replaceAll('-', '')}AbCd`;

describe('the activity record', () => {
  let h: Harness;
  let configPath: string;
  let file: string;
  let a: { client: Client; provider: TestOAuthProvider };
  let b: { client: Client; provider: TestOAuthProvider };
  const config = (activity?: object, tools: Record<string, unknown> = {}): string => {
    const backend = (name: string, tag: string) => ({ command: process.execPath, args: ['--import', 'tsx', AUTH_BACKEND, name], tags: [tag] });
    return JSON.stringify({ mcpServers: { alpha: backend('alpha', 'a'), beta: backend('beta', 'b'), tools: fixtureEntry('tools', { tags: ['a'], ...tools }) }, ...(activity && { activity }) });
  };
  const records = (): ActivityRecord[] => h.agent.activity.list();
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, ONE_MCP_PORT: h.mcpUrl.port, ONE_MCP_HOST: '127.0.0.1' });

  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'onemcp-activity-'));
    configPath = path.join(dir, 'activity-mcp.json');
    file = path.join(dir, 'state', 'activity.jsonl');
    writeFileSync(configPath, config());
    h = await startAgent({ dir, options: { configPath, activity: { file } } });
    a = await authorizedClient(h, ['a', 'b'], h.mcpUrl, new TestOAuthProvider('http://127.0.0.1:43125/callback', 'Editor A'), 'client-a');
    b = await authorizedClient(h, ['a'], h.mcpUrl, new TestOAuthProvider('http://127.0.0.1:43126/callback', 'Tool B'), 'client-b');
  });
  after(async () => {
    await a.client.close();
    await b.client.close();
    await h.close();
  });

  it('records who called what, how long it took and how it ended: ok, a tool error, a refusal by scope', async () => {
    assert.equal(firstText(await a.client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} })), 'I am alpha');
    assert.equal((await a.client.callTool({ name: 'tools_1mcp_fail', arguments: {} })).isError, true);
    await assert.rejects(b.client.callTool({ name: 'beta_1mcp_whoami', arguments: {} }), /not found/);
    assert.equal(firstText(await b.client.callTool({ name: 'tools_1mcp_echo', arguments: { text: 'hi' } })), 'tools: hi');

    const [ok, failed, refused, echoed] = records();
    const sessionOf = (client: Client): string | undefined => (client.transport as StreamableHTTPClientTransport).sessionId;
    assert.equal(records().length, 4);
    assert.deepEqual(
      { client: ok?.client, oauthClient: ok?.oauthClient, session: ok?.session, method: ok?.method, target: ok?.target, server: ok?.server, serverTarget: ok?.serverTarget, outcome: ok?.outcome, era: ok?.era },
      { client: 'client-a', oauthClient: { id: a.provider.clientId, name: 'Editor A' }, session: sessionOf(a.client), method: 'tools/call', target: 'alpha_1mcp_whoami', server: 'alpha', serverTarget: 'whoami', outcome: 'ok', era: 'handshake' },
    );
    assert.ok(typeof ok?.durationMs === 'number' && ok.durationMs >= 0);
    assert.ok((ok?.bytes ?? 0) > 'I am alpha'.length, `the answer's size: ${ok?.bytes}`);
    assert.equal(ok?.arguments, undefined, 'no arguments without the opt-in');
    assert.deepEqual([failed?.outcome, failed?.server, failed?.reason], ['error', 'tools', 'The tool reported an error (isError)']);
    assert.deepEqual([refused?.client, refused?.oauthClient?.name, refused?.outcome, refused?.refusedBy, refused?.server], ['client-b', 'Tool B', 'refused', 'scope', 'beta']);
    assert.match(refused?.reason ?? '', /outside the grant/);
    assert.deepEqual([echoed?.client, echoed?.session, echoed?.outcome], ['client-b', sessionOf(b.client), 'ok']);
  });

  it('records a 2026-07-28 client too, and a request refused for asking beyond its grant', async () => {
    const bearer = { authorization: `Bearer ${b.provider.tokens()?.access_token ?? ''}` };
    const modern = await connectModernClient(h.mcpUrl.href, { headers: bearer });
    try {
      await modern.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
    } finally {
      await modern.close();
    }
    const beyond = await postModern(`${h.mcpUrl.href}?tags=b`, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'beta_1mcp_whoami', arguments: {}, _meta: envelope() } }, { ...bearer, 'mcp-name': 'beta_1mcp_whoami' });
    assert.equal(beyond.status, 403);
    const [call, refusal] = records().slice(-2);
    assert.deepEqual([call?.client, call?.oauthClient?.name, call?.era, call?.session, call?.outcome], ['modern-test-client', 'Tool B', '2026-07-28', undefined, 'ok']);
    assert.deepEqual([refusal?.client, refusal?.target, refusal?.outcome, refusal?.refusedBy, refusal?.era], ['raw', 'beta_1mcp_whoami', 'refused', 'scope', '2026-07-28']);
  });

  it('answers GET /activity on this machine: the latest calls, by client and by server', async () => {
    const get = async (query = ''): Promise<ActivityRecord[]> => {
      const response = await fetch(`${h.base}/activity${query}`);
      assert.equal(response.status, 200, query);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      return ((await response.json()) as { records: ActivityRecord[] }).records;
    };
    assert.deepEqual(await get(), JSON.parse(JSON.stringify(records())));
    assert.deepEqual((await get('?client=client-b')).map((r) => r.target), ['beta_1mcp_whoami', 'tools_1mcp_echo']);
    assert.deepEqual((await get('?client=editor%20a')).map((r) => r.target), ['alpha_1mcp_whoami', 'tools_1mcp_fail'], 'the registered name, any case');
    assert.deepEqual((await get('?server=beta')).map((r) => [r.client, r.outcome]), [['client-b', 'refused']]);
    assert.deepEqual(await get('?limit=1'), JSON.parse(JSON.stringify(records().slice(-1))));
    const bad = await fetch(`${h.base}/activity?limit=lots`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /limit/);
  });

  it('streams each call as it is recorded on GET /activity/events, after the latest ?limit=', async () => {
    const events: ActivityRecord[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${h.base}/activity/events?limit=1&server=tools`, resolve).once('error', reject));
    assert.equal(stream.statusCode, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        if (data) events.push(JSON.parse(data) as ActivityRecord);
        buffer = buffer.slice(end + 2);
      }
    });
    try {
      await waitFor(() => events.length === 1, 'the latest call to tools');
      assert.equal(events[0]?.target, 'tools_1mcp_echo');
      await a.client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
      await a.client.callTool({ name: 'tools_1mcp_echo', arguments: { text: 'live' } });
      await waitFor(() => events.length === 2, 'the new call to tools');
      assert.deepEqual([events[1]?.client, events[1]?.server, events[1]?.outcome], ['client-a', 'tools', 'ok'], 'only the server asked for');
    } finally {
      stream.destroy();
    }
  });

  it('prints the calls with onemcp activity: one line each, JSON lines with --json, filtered', async () => {
    const plain = await onemcp(['activity', '--limit', '1000'], env());
    assert.equal(plain.code, 0, plain.stderr);
    const lines = plain.stdout.trim().split('\n');
    assert.equal(lines.length, records().length);
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}client-a {2}alpha › whoami {2}[\d.]+ m?s {2}[\d.]+ K?B {2}ok$/);
    assert.match(lines[1] ?? '', /client-a {2}tools › fail .* error: The tool reported an error \(isError\)$/);
    assert.match(lines[2] ?? '', /client-b {2}beta › whoami {2}0 ms {2}refused \(scope\): Backend "beta" is outside the grant/);

    const json = await onemcp(['activity', '--json', '--client', 'client-b', '--server', 'tools'], env());
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      json.stdout.trim().split('\n').map((line) => JSON.parse(line) as ActivityRecord),
      JSON.parse(JSON.stringify(records().filter((r) => r.client === 'client-b' && r.server === 'tools'))),
    );

    const none = await onemcp(['activity', '--port', '1'], env());
    assert.equal(none.code, 1);
    assert.match(none.stderr, /No agent at http:\/\/127\.0\.0\.1:1/);
  });

  it('follows the calls with onemcp activity --follow', async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'activity', '--follow', '--limit', '0', '--client', 'client-a'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // The stream is open once the agent sees its request; each call then comes as it is recorded.
      await waitFor(async () => {
        await a.client.callTool({ name: 'tools_1mcp_echo', arguments: { text: 'followed' } });
        return out.includes('tools › echo');
      }, 'a followed call');
      assert.doesNotMatch(out, /client-b/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  });

  it('keeps no secret of the arguments: none without the opt-in, cut out with it', async () => {
    const secretArguments = { text: `use ${TOKEN}`, apiToken: SECRET, nested: { password: SECRET, note: 'plain words stay' } };
    await a.client.callTool({ name: 'tools_1mcp_echo', arguments: secretArguments });
    assert.equal(records().at(-1)?.arguments, undefined);

    writeFileSync(configPath, config({ arguments: true }));
    assert.equal(await h.agent.reload(), true);
    await a.client.callTool({ name: 'tools_1mcp_echo', arguments: secretArguments });
    assert.deepEqual(records().at(-1)?.arguments, { text: 'use [redacted]', apiToken: '[redacted]', nested: { password: '[redacted]', note: 'plain words stay' } });

    const served = await (await fetch(`${h.base}/activity?limit=1000`)).text();
    const printed = await onemcp(['activity', '--json', '--limit', '1000'], env());
    for (const [where, text] of [['memory', JSON.stringify(records())], ['/activity', served], ['onemcp activity --json', printed.stdout], ['the log', logLines.join('')]] as const) {
      assert.ok(!text.includes(SECRET) && !text.includes(TOKEN), `a secret of the arguments in ${where}`);
    }
    assert.match(printed.stdout, /"apiToken":"\[redacted\]"/);
  });

  it('records resource reads and prompts, a call its client cancelled, and refusals by selection and by the config', async () => {
    const info = (await a.client.listResources()).resources.find((r) => r.uri === 'fixture://info');
    assert.ok(info, 'the tools fixture offers its info resource');
    await a.client.readResource({ uri: info.uri });
    await a.client.getPrompt({ name: 'tools_1mcp_greet', arguments: { who: 'Ada' } });
    const [read, prompt] = records().slice(-2);
    assert.deepEqual([read?.method, read?.target, read?.server, read?.outcome], ['resources/read', info.uri, 'tools', 'ok']);
    assert.ok((read?.bytes ?? 0) > 0, 'the size of what was read');
    assert.deepEqual([prompt?.method, prompt?.target, prompt?.server, prompt?.serverTarget, prompt?.outcome], ['prompts/get', 'tools_1mcp_greet', 'tools', 'greet', 'ok']);

    const abort = new AbortController();
    const cancelled = a.client.callTool({ name: 'tools_1mcp_wait', arguments: { steps: 100, stepMs: 50 } }, undefined, { signal: abort.signal, onprogress: () => abort.abort() });
    await assert.rejects(cancelled);
    const stopped = await waitFor(() => records().find((r) => r.target === 'tools_1mcp_wait'), 'the cancelled call');
    assert.deepEqual([stopped.outcome, stopped.reason], ['cancelled', 'Cancelled by the client']);

    const narrow = await connect(new URL(`${h.mcpUrl.href}?tags=a`), a.provider, undefined, 'client-a-narrow');
    try {
      await assert.rejects(narrow.callTool({ name: 'beta_1mcp_whoami', arguments: {} }), /outside this session's selection/);
    } finally {
      await narrow.close();
    }
    const unselected = records().at(-1);
    assert.deepEqual([unselected?.client, unselected?.outcome, unselected?.refusedBy, unselected?.server], ['client-a-narrow', 'refused', 'selection', 'beta']);

    writeFileSync(configPath, config({ arguments: true }, { disabledTools: ['pid'] }));
    assert.equal(await h.agent.reload(), true);
    await assert.rejects(a.client.callTool({ name: 'tools_1mcp_pid', arguments: {} }));
    const disabled = records().at(-1);
    assert.deepEqual([disabled?.target, disabled?.outcome, disabled?.refusedBy, disabled?.server], ['tools_1mcp_pid', 'refused', 'policy', 'tools']);
  });

  it('appends every record to the file in the state folder, without the secrets', async () => {
    const count = records().length;
    await h.agent.close();
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
    assert.equal(lines.length, count);
    assert.deepEqual(lines.map((line) => JSON.parse(line) as ActivityRecord), JSON.parse(JSON.stringify(records())));
    const text = lines.join('\n');
    assert.ok(!text.includes(SECRET) && !text.includes(TOKEN), 'a secret of the arguments in the file');
    if (process.platform !== 'win32') assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  });

  it('reads the history back when the agent starts again, before the calls of the new run', async () => {
    const earlier = JSON.parse(JSON.stringify(records())) as ActivityRecord[];
    const again = await startAgent({ dir: path.dirname(configPath), options: { configPath, activity: { file } } });
    try {
      const { client } = await authorizedClient(again, ['a'], again.mcpUrl, new TestOAuthProvider('http://127.0.0.1:43127/callback', 'Later'), 'client-c');
      await client.callTool({ name: 'alpha_1mcp_whoami', arguments: {} });
      await client.close();
      await waitFor(() => again.agent.activity.list().length === earlier.length + 1, 'the history and the new call');
      const all = again.agent.activity.list();
      assert.deepEqual(JSON.parse(JSON.stringify(all.slice(0, -1))), earlier);
      assert.equal(all.at(-1)?.client, 'client-c');
    } finally {
      await again.close();
    }
  });
});
