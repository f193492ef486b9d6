import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { TOOL_NAME_PATTERN } from '../../src/core/aggregate/naming';
import type { HealthReport } from '../../src/core/state/healthReport';
import { LONG_TOOL_NAME } from '../fixtures/testServer';
import { connectClient, everythingEntry, firstText, fixtureEntry, settled, startAgent, startHttpBackend, type RunningAgent } from '../helpers/harness';

describe('one endpoint over many backends', () => {
  let web: Awaited<ReturnType<typeof startHttpBackend>>;
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    web = await startHttpBackend('web');
    running = await startAgent({
      mcpServers: {
        alpha: fixtureEntry('alpha', { tags: ['a'], disabledTools: ['fail'] }),
        everything: everythingEntry({ tags: ['reference'] }),
        web: { url: web.url, tags: ['b'] },
        broken: { command: process.execPath, args: ['-e', 'process.stderr.write("boom: missing API key\\n"); process.exit(3)'], restartOnExit: false },
        missing: { command: 'definitely-not-a-command-onemcp', restartOnExit: false },
        off: fixtureEntry('off', { disabled: true }),
      },
    });
    await settled(running.agent);
    client = await connectClient(running.url);
  });

  after(async () => {
    await client?.close();
    await running?.close();
    await web?.close();
  });

  it('reports each backend status, and failures do not affect the others', () => {
    const byName = Object.fromEntries(running.agent.state.backends.map((b) => [b.name, b]));
    assert.equal(byName.alpha?.status, 'connected');
    assert.equal(byName.everything?.status, 'connected');
    assert.equal(byName.web?.status, 'connected');
    assert.equal(byName.off?.status, 'disabled');
    assert.equal(byName.broken?.status, 'error');
    assert.match(byName.broken?.reason ?? '', /code 3/);
    assert.deepEqual(byName.broken?.stderr, ['boom: missing API key']);
    assert.equal(byName.missing?.status, 'error');
    assert.match(byName.missing?.reason ?? '', /command not found: definitely-not-a-command-onemcp/);
  });

  it('lists the tools of every connected backend, namespaced and valid', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const expected of ['alpha_1mcp_echo', 'web_1mcp_echo', 'everything_1mcp_echo', 'everything_1mcp_get-sum']) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    }
    for (const name of names) assert.match(name, TOOL_NAME_PATTERN);
    assert.ok(!names.some((n) => n.startsWith('off_')), 'disabled backend exposes nothing');
    const long = tools.filter((t) => t.description === 'Has a long name').map((t) => t.name);
    assert.equal(long.length, 2, 'alpha and web each expose the long-named tool');
    assert.notEqual(long[0], long[1]);
    for (const name of long) assert.ok(name.length <= 64 && name.length > 50, name);
  });

  it('calls a tool on each backend and returns its result unchanged', async () => {
    assert.equal(firstText(await client.callTool({ name: 'alpha_1mcp_echo', arguments: { text: 'hi' } })), 'alpha: hi');
    const sum = await client.callTool({ name: 'web_1mcp_add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(sum.structuredContent, { sum: 5 });
    assert.equal(firstText(await client.callTool({ name: 'everything_1mcp_echo', arguments: { message: 'yo' } })), 'Echo: yo');
    const failing = await client.callTool({ name: 'web_1mcp_fail', arguments: {} });
    assert.equal(failing.isError, true);
  });

  it('routes a shortened long tool name back to its original', async () => {
    const { tools } = await client.listTools();
    const exposed = tools.find((t) => t.description === 'Has a long name' && t.name.startsWith('alpha'));
    assert.ok(exposed && exposed.name !== `alpha_1mcp_${LONG_TOOL_NAME}`);
    assert.equal(firstText(await client.callTool({ name: exposed.name, arguments: {} })), 'long');
  });

  it('hides disabledTools and refuses to call them', async () => {
    const { tools } = await client.listTools();
    assert.ok(!tools.some((t) => t.name === 'alpha_1mcp_fail'));
    assert.ok(tools.some((t) => t.name === 'web_1mcp_fail'));
    await assert.rejects(client.callTool({ name: 'alpha_1mcp_fail', arguments: {} }), /disabled/);
    await assert.rejects(client.callTool({ name: 'nobody_1mcp_nothing', arguments: {} }), /not found/);
  });

  it('reads resources under the URIs their servers gave them, telling apart only what two backends both offer', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    // alpha and web are the same fixture: both list fixture://info and both have the template fixture://items/{id}.
    assert.ok(uris.includes('alpha+fixture://info') && uris.includes('web+fixture://info'), uris.join(', '));
    assert.ok(!uris.includes('fixture://info'));
    const read = await client.readResource({ uri: 'alpha+fixture://info' });
    assert.deepEqual(read.contents, [{ uri: 'alpha+fixture://info', mimeType: 'text/plain', text: 'info from alpha' }]);
    await assert.rejects(client.readResource({ uri: 'fixture://info' }), /offered by several backends this session sees: read it as "alpha\+fixture:\/\/info" or "web\+fixture:\/\/info"/);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'web+fixture://items/{id}'));
    const item = await client.readResource({ uri: 'web+fixture://items/42' });
    assert.equal((item.contents[0] as { text: string }).text, 'item 42 from web');
    assert.equal(item.contents[0]?.uri, 'web+fixture://items/42');
    // The published server's URIs collide with nobody's: they stay as it named them.
    const everything = resources.find((r) => r.uri.startsWith('demo://'));
    assert.ok(everything, 'the published server lists resources');
    const doc = await client.readResource({ uri: everything.uri });
    assert.equal(doc.contents[0]?.uri, everything.uri);
  });

  it('gets prompts and completes their arguments and template variables', async () => {
    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'alpha_1mcp_greet'));
    const prompt = await client.getPrompt({ name: 'alpha_1mcp_greet', arguments: { who: 'Ada' } });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Hello Ada from alpha' });
    const byPrompt = await client.complete({ ref: { type: 'ref/prompt', name: 'web_1mcp_greet' }, argument: { name: 'who', value: 'A' } });
    assert.deepEqual(byPrompt.completion.values, ['Ada', 'Alan']);
    const byTemplate = await client.complete({ ref: { type: 'ref/resource', uri: 'alpha+fixture://items/{id}' }, argument: { name: 'id', value: 'ap' } });
    assert.deepEqual(byTemplate.completion.values, ['apple', 'apricot']);
  });

  it('combines backend instructions and advertises what backends offer', () => {
    const instructions = client.getInstructions() ?? '';
    assert.match(instructions, /## alpha\nFixture server alpha\./);
    assert.match(instructions, /## web\nFixture server web\./);
    const caps = client.getServerCapabilities();
    assert.ok(caps?.tools && caps.resources && caps.prompts && caps.completions && caps.logging);
  });

  it('serves /health with a per-backend summary: why a backend failed, but no commands or URLs', async () => {
    const response = await fetch(`${running.base}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as HealthReport;
    assert.equal(body.status, 'ok');
    assert.deepEqual(
      body.backends.map((b) => [b.name, b.status]),
      [['alpha', 'connected'], ['everything', 'connected'], ['web', 'connected'], ['broken', 'error'], ['missing', 'error'], ['off', 'disabled']],
    );
    const broken = body.backends.find((b) => b.name === 'broken');
    assert.deepEqual([broken?.lastError?.exitCode, broken?.lastError?.stderr], [3, 'boom: missing API key']);
    const text = JSON.stringify(body);
    assert.ok(!text.includes(web.url) && !text.includes('process.exit'), 'no URLs or command lines');
  });
});
