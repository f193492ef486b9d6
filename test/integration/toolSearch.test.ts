import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createCatalogServer } from '../fixtures/catalogServer';
import { catalogServer } from '../fixtures/toolCatalogs';
import { connectModernClient } from '../helpers/modernClient';
import { connectClient, everythingEntry, firstText, fixtureEntry, settled, startAgent, startHttpBackend, waitFor, type RunningAgent } from '../helpers/harness';

type Backend = Awaited<ReturnType<typeof startHttpBackend>>;
interface Found {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: { readonly type: string };
  readonly server: string;
}

const CATALOGS = ['github', 'atlassian', 'slack', 'gmail', 'calendar', 'filesystem', 'drive', 'notion', 'playwright'];

/** A client that names itself and answers elicitation the way a host application would. */
async function client(url: string, name = 'search-test'): Promise<Client> {
  const c = new Client({ name, version: '1' }, { capabilities: { elicitation: { form: {} } } });
  c.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada Lovelace', check: true } }));
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

async function search(c: Client, query: string, limit?: number): Promise<Found[]> {
  const result = (await c.callTool({ name: 'search_tools', arguments: { query, ...(limit !== undefined && { limit }) } })) as CallToolResult;
  assert.notEqual(result.isError, true, firstText(result));
  const { tools } = result.structuredContent as { tools: Found[] };
  assert.deepEqual(JSON.parse(firstText(result)), { tools }, 'the text content is the structured content as JSON');
  return tools;
}

describe('tool search (?mode=search) over several real backends', () => {
  let running: RunningAgent;
  const backends: Backend[] = [];
  let full: Client;
  let searching: Client;

  before(async () => {
    for (const name of [...CATALOGS, 'sqlite']) backends.push(await startHttpBackend(name, { create: createCatalogServer }));
    const servers = Object.fromEntries(CATALOGS.map((name, i) => [name, { url: backends[i]?.url, tags: [...catalogServer(name).tags] }]));
    running = await startAgent({
      mcpServers: { ...servers, everything: everythingEntry({ tags: ['reference'] }), alpha: fixtureEntry('alpha', { tags: ['fixture'] }) },
      clients: { 'searching-client': { toolMode: 'search' } },
    });
    await settled(running.agent);
    full = await client(running.url);
    searching = await client(`${running.url}?mode=search`);
  });

  after(async () => {
    await full?.close();
    await searching?.close();
    await running?.close();
    await Promise.all(backends.map((b) => b.close()));
  });

  it('lists just search_tools and call_tool, in at most 5% of the full list’s bytes', async () => {
    const all = await full.listTools();
    const two = await searching.listTools();
    assert.ok(all.tools.length > 128, `${all.tools.length} tools behind the agent`);
    assert.deepEqual(two.tools.map((t) => t.name), ['search_tools', 'call_tool']);
    const ratio = JSON.stringify(two).length / JSON.stringify(all).length;
    assert.ok(ratio <= 0.05, `search-mode list is ${(ratio * 100).toFixed(1)}% of the full list`);
    assert.match(two.tools[0]?.description ?? '', /github, atlassian, slack/);
    // The instructions say which servers, and how many tools, stand behind the two tools.
    assert.match(searching.getInstructions() ?? '', /search_tools finds tools.*github \(45 tools\).*\b\d{3} tools in all/s);
  });

  it('finds the right tool for everyday requests written in the user’s words', async () => {
    const cases: [string, string][] = [
      ['open a new issue on the repo about the login bug', 'github_1mcp_create_issue'],
      ['send an email to my manager', 'gmail_1mcp_send_email'],
      ['move ticket PROJ-12 to done', 'atlassian_1mcp_jira_transition_issue'],
      ['reply in the thread', 'slack_1mcp_slack_reply_to_thread'],
      ['cancel the standup tomorrow', 'calendar_1mcp_delete_event'],
      ['take a screenshot of the page', 'playwright_1mcp_browser_take_screenshot'],
      ['rename report.txt to final-report.txt', 'filesystem_1mcp_move_file'],
      ['share the budget document with anna@example.com', 'drive_1mcp_drive_share_file'],
    ];
    for (const [query, expected] of cases) {
      const found = await search(searching, query);
      assert.ok(found.length <= 5);
      assert.ok(found.some((t) => t.name === expected), `"${query}" -> ${found.map((t) => t.name).join(', ')}`);
      const hit = found.find((t) => t.name === expected);
      assert.equal(hit?.inputSchema.type, 'object');
      assert.ok(hit?.description);
    }
    assert.equal((await search(searching, 'github_1mcp_merge_pull_request', 1))[0]?.name, 'github_1mcp_merge_pull_request');
    assert.equal((await search(searching, 'send an email', 12)).length, 12);
  });

  it('runs a found tool through call_tool exactly as a direct call, errors included', async () => {
    const args = { owner: 'octo', repo: 'app', title: 'Login fails' };
    const viaSearch = await searching.callTool({ name: 'call_tool', arguments: { name: 'github_1mcp_create_issue', arguments: args } });
    const direct = await full.callTool({ name: 'github_1mcp_create_issue', arguments: args });
    assert.deepEqual(viaSearch, direct);
    assert.equal(firstText(direct), `github/create_issue ${JSON.stringify(args)}`);
    // A search-mode session may also call a tool by its name directly.
    assert.deepEqual(await searching.callTool({ name: 'github_1mcp_create_issue', arguments: args }), direct);
    const refusal = async (c: Client, name: string, wrap: boolean): Promise<string> => {
      const call = wrap ? c.callTool({ name: 'call_tool', arguments: { name, arguments: {} } }) : c.callTool({ name, arguments: {} });
      const error = await call.then(() => undefined, (e: unknown) => e as Error);
      assert.ok(error, `${name} is refused`);
      return error.message;
    };
    assert.equal(await refusal(searching, 'github_1mcp_create_isue', true), await refusal(full, 'github_1mcp_create_isue', false));
    assert.match(await refusal(searching, 'github_1mcp_create_isue', true), /not found\. Did you mean "github_1mcp_create_issue"/);
    const malformed = (await searching.callTool({ name: 'call_tool', arguments: {} })) as CallToolResult;
    assert.equal(malformed.isError, true);
    assert.match(firstText(malformed), /call_tool needs the "name"/);
    const empty = (await searching.callTool({ name: 'search_tools', arguments: { query: ' ' } })) as CallToolResult;
    assert.equal(empty.isError, true);
    assert.match(firstText(empty), /^search_tools needs a "query"/);
  });

  it('passes progress, elicitation and cancellation through call_tool', async () => {
    const progress: number[] = [];
    const long = await searching.callTool(
      { name: 'call_tool', arguments: { name: 'everything_1mcp_trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    assert.match(firstText(long), /completed/i);
    assert.deepEqual(progress, [1, 2, 3]);
    const elicited = await searching.callTool({ name: 'call_tool', arguments: { name: 'everything_1mcp_trigger-elicitation-request', arguments: {} } });
    assert.match(JSON.stringify(elicited.content), /Ada Lovelace/);
    const controller = new AbortController();
    const waiting = searching.callTool({ name: 'call_tool', arguments: { name: 'alpha_1mcp_wait', arguments: { steps: 200, stepMs: 20 } } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('enough'),
    });
    await assert.rejects(waiting);
    await waitFor(async () => firstText(await full.callTool({ name: 'alpha_1mcp_cancellations', arguments: {} })) === '1', 'the backend to see the cancellation');
  });

  it('confines search and calls to a tag selection', async () => {
    const chat = await client(`${running.url}?mode=search&tags=chat`);
    const chatDirect = await client(`${running.url}?tags=chat`);
    try {
      const found = await search(chat, 'open a new issue on the repo', 20);
      assert.ok(found.length > 0 && found.every((t) => t.server === 'slack'), found.map((t) => t.name).join(', '));
      const refused = await chat.callTool({ name: 'call_tool', arguments: { name: 'github_1mcp_create_issue', arguments: {} } }).catch((e: Error) => e.message);
      const refusedDirect = await chatDirect.callTool({ name: 'github_1mcp_create_issue', arguments: {} }).catch((e: Error) => e.message);
      assert.equal(refused, refusedDirect);
      assert.match(String(refused), /outside this session's selection/);
    } finally {
      await chat.close();
      await chatDirect.close();
    }
  });

  it('leaves prompts and resources as they are', async () => {
    assert.deepEqual(await searching.listPrompts(), await full.listPrompts());
    assert.deepEqual(await searching.listResources(), await full.listResources());
  });

  it('follows the catalog: a backend added by hot reload, and a backend’s own list_changed (a new tool once accepted)', async () => {
    assert.ok(!(await search(searching, 'which tables are in the database')).some((t) => t.server === 'sqlite'));
    const config = JSON.parse(await fs.readFile(running.configPath, 'utf8')) as { mcpServers: Record<string, unknown> };
    config.mcpServers.sqlite = { url: backends[CATALOGS.length]?.url, tags: ['db'] };
    await fs.writeFile(running.configPath, JSON.stringify(config));
    await waitFor(async () => (await search(searching, 'which tables are in the database')).some((t) => t.name === 'sqlite_1mcp_list_tables'), 'the reloaded backend in search');

    const grown = async (): Promise<boolean> => (await search(searching, 'grown')).some((t) => t.name === 'alpha_1mcp_grown');
    assert.equal(await grown(), false);
    await searching.callTool({ name: 'call_tool', arguments: { name: 'alpha_1mcp_grow', arguments: {} } });
    // A new tool on a server whose tools were pinned is held back: search sees what tools/list sees.
    await waitFor(() => running.agent.state.toolReviews.some((r) => r.server === 'alpha' && r.tool === 'grown'), 'grown held back');
    assert.equal(await grown(), false);
    await assert.rejects(searching.callTool({ name: 'call_tool', arguments: { name: 'alpha_1mcp_grown', arguments: {} } }), /"alpha_1mcp_grown" \(tool "grown" of server "alpha"\) is held back/);
    await running.agent.acceptTools('alpha', ['grown']);
    await waitFor(grown, 'the grown tool in search');
  });

  it('auto searches only past 128 tools; a config default applies per client; ?mode= wins', async () => {
    const names = async (c: Client): Promise<string[]> => (await c.listTools()).tools.map((t) => t.name);
    const sessions: Client[] = [];
    const open = async (url: string, name?: string): Promise<Client> => {
      const c = await client(url, name);
      sessions.push(c);
      return c;
    };
    try {
      assert.deepEqual(await names(await open(`${running.url}?mode=auto`)), ['search_tools', 'call_tool']);
      assert.equal((await names(await open(`${running.url}?mode=auto&tags=chat`))).length, 19);
      assert.deepEqual(await names(await open(running.url, 'Searching-Client')), ['search_tools', 'call_tool']);
      assert.ok((await names(await open(`${running.url}?mode=all`, 'searching-client'))).length > 128);
      assert.ok((await names(await open(running.url))).length > 128);
      const legacy = new Client({ name: 'searching-client', version: '1' });
      await legacy.connect(new SSEClientTransport(new URL(`${running.base}/sse`)));
      sessions.push(legacy);
      assert.deepEqual(await names(legacy), ['search_tools', 'call_tool']);
      // The agent's state names each connected client with what it sees.
      await waitFor(() => running.agent.state.connectedClients?.some((c) => c.name === 'searching-client' && c.search), 'the state to list the client');
      const seen = running.agent.state.connectedClients ?? [];
      assert.ok(seen.some((c) => c.name === 'search-test' && !c.search && c.tools === 19));
      assert.ok(seen.some((c) => c.name === 'search-test' && c.search && c.tools > 128 && c.sessions >= 2));
      assert.ok(seen.every((c) => c.tools > 0));
    } finally {
      await Promise.all(sessions.map((c) => c.close()));
    }
    const response = await fetch(`${running.url}?mode=lazy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /\?mode= must be one of all, search, auto/);
  });

  it('auto switches to the two tools, with list_changed, once the tools a session sees pass 128', async () => {
    const auto = await client(`${running.url}?mode=auto&tags=issues`);
    let changes = 0;
    auto.setNotificationHandler(ToolListChangedNotificationSchema, () => void changes++);
    try {
      const before = (await auto.listTools()).tools.length;
      assert.ok(before > 0 && before <= 128, `${before} tools`);
      const config = JSON.parse(await fs.readFile(running.configPath, 'utf8')) as { mcpServers: Record<string, { tags: string[] }> };
      for (const name of ['slack', 'gmail', 'calendar']) config.mcpServers[name]?.tags.push('issues');
      await fs.writeFile(running.configPath, JSON.stringify(config));
      await waitFor(() => changes > 0, 'tools/list_changed');
      assert.deepEqual((await auto.listTools()).tools.map((t) => t.name), ['search_tools', 'call_tool']);
      assert.ok((await search(auto, 'reply in the thread')).some((t) => t.name === 'slack_1mcp_slack_reply_to_thread'));
    } finally {
      await auto.close();
    }
  });

  it('works the same for a 2026-07-28 client (stateless requests): list, search, call_tool with elicitation, instructions', async () => {
    const modern = await connectModernClient(`${running.url}?mode=search`, { name: 'Grace' });
    try {
      assert.deepEqual((await modern.listTools()).tools.map((t) => t.name), ['search_tools', 'call_tool']);
      assert.match(modern.getDiscoverResult()?.instructions ?? '', /search_tools finds tools.*github \(45 tools\)/s);
      const found = (await modern.callTool({ name: 'search_tools', arguments: { query: 'send an email to my manager' } })).structuredContent as { tools: Found[] };
      assert.ok(found.tools.some((t) => t.name === 'gmail_1mcp_send_email'));
      const args = { to: ['boss@example.com'], subject: 'Hi', body: 'x' };
      const viaSearch = await modern.callTool({ name: 'call_tool', arguments: { name: 'gmail_1mcp_send_email', arguments: args } });
      assert.equal(firstText(viaSearch), `gmail/send_email ${JSON.stringify(args)}`);
      const elicited = await modern.callTool({ name: 'call_tool', arguments: { name: 'everything_1mcp_trigger-elicitation-request', arguments: {} } });
      assert.match(JSON.stringify(elicited.content), /Grace/);
      await assert.rejects(modern.callTool({ name: 'call_tool', arguments: { name: 'github_1mcp_create_isue', arguments: {} } }), /not found\. Did you mean "github_1mcp_create_issue"/);
    } finally {
      await modern.close();
    }
  });

  it('keeps a full list for a session without a mode', async () => {
    const plain = await connectClient(running.url);
    try {
      assert.ok((await plain.listTools()).tools.some((t) => t.name === 'github_1mcp_create_issue'));
    } finally {
      await plain.close();
    }
  });
});
