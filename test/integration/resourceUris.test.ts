import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, everythingEntry, firstText, settled, startAgent, waitFor, type RunningAgent } from '../helpers/harness';
import { connectModernClient } from '../helpers/modernClient';

const APP_SERVER = path.resolve(__dirname, '..', 'fixtures', 'appServer.ts');
const BASIC_APP = path.resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-basic-vanillajs', 'dist', 'index.js');
const UI = { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } };

const appEntry = (name: string, tags: string[]) => ({ command: process.execPath, args: ['--import', 'tsx', APP_SERVER], env: { FIXTURE_NAME: name }, tags });
const text = (contents: unknown[]): string => (contents[0] as { text?: string } | undefined)?.text ?? '';
type Block = { type: string; uri?: string; resource?: { uri: string } };
const blocks = (result: unknown): Block[] => (result as { content: Block[] }).content;

/** A host that declares the MCP Apps extension, as VS Code or Claude do. */
async function uiHost(url: string): Promise<Client> {
  return connectClient(url, { extensions: UI });
}

/** A client straight to a stdio server, declaring the MCP Apps extension. */
async function direct(command: string, args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'direct', version: '1' }, { capabilities: { extensions: UI } });
  await client.connect(new StdioClientTransport({ command, args, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' }));
  return client;
}

describe('resource URIs as their servers named them', () => {
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    running = await startAgent({
      mcpServers: {
        everything: everythingEntry({ tags: ['reference'] }),
        apps: appEntry('apps', ['apps']),
        copy: appEntry('copy', ['copy']),
        basic: { command: process.execPath, args: [BASIC_APP, '--stdio'], tags: ['basic'] },
      },
    });
    await settled(running.agent);
    client = await uiHost(running.url);
  });
  after(async () => {
    await client?.close();
    await running?.close();
  });

  it("reads the resource links of server-everything's get-resource-links, and its embedded resource, as named", async () => {
    const links = blocks(await client.callTool({ name: 'everything_1mcp_get-resource-links', arguments: { count: 4 } })).filter((b) => b.type === 'resource_link');
    assert.equal(links.length, 4);
    for (const link of links) {
      assert.match(link.uri ?? '', /^demo:\/\/resource\/dynamic\/(text|blob)\/\d+$/);
      const read = await client.readResource({ uri: link.uri ?? '' });
      assert.equal(read.contents[0]?.uri, link.uri);
    }
    const embedded = blocks(await client.callTool({ name: 'everything_1mcp_get-resource-reference', arguments: { resourceType: 'Text', resourceId: 3 } })).find((b) => b.type === 'resource');
    assert.equal(embedded?.resource?.uri, 'demo://resource/dynamic/text/3');
    assert.equal((await client.readResource({ uri: 'demo://resource/dynamic/text/3' })).contents[0]?.uri, 'demo://resource/dynamic/text/3');
  });

  it('reads a URI no list or template accounts for from the backend that named it in a result; the first to name it keeps it', async () => {
    const first = blocks(await client.callTool({ name: 'apps_1mcp_make-link', arguments: { n: 7 } }))[1];
    assert.equal(first?.uri, 'scratch://generated/7');
    assert.equal(text((await client.readResource({ uri: 'scratch://generated/7' })).contents), 'scratch://generated/7 made by apps');
    const second = blocks(await client.callTool({ name: 'copy_1mcp_make-link', arguments: { n: 7 } }))[1];
    assert.equal(second?.uri, 'copy+scratch://generated/7');
    assert.equal(text((await client.readResource({ uri: 'copy+scratch://generated/7' })).contents), 'scratch://generated/7 made by copy');
    assert.equal(text((await client.readResource({ uri: 'scratch://generated/7' })).contents), 'scratch://generated/7 made by apps');
    const embedded = blocks(await client.callTool({ name: 'copy_1mcp_embed', arguments: {} }))[0];
    assert.equal(embedded?.resource?.uri, 'scratch://embedded/1');
    assert.equal(text((await client.readResource({ uri: 'scratch://embedded/1' })).contents), 'scratch://embedded/1 made by copy');
    // Named to this client only: another client was told nothing of it.
    const other = await connectClient(running.url);
    await assert.rejects(other.readResource({ uri: 'scratch://generated/7' }), /-32602: Resource "scratch:\/\/generated\/7" not found/);
    await other.close();
  });

  it('tells apart a URI two backends list, in lists, links, prompts, reads and updates alike', async () => {
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    assert.ok(uris.includes('apps+shared://readme') && uris.includes('copy+shared://readme') && !uris.includes('shared://readme'), uris.join(', '));
    assert.equal(blocks(await client.callTool({ name: 'copy_1mcp_link-shared', arguments: {} }))[0]?.uri, 'copy+shared://readme');
    const prompt = await client.getPrompt({ name: 'copy_1mcp_brief' });
    assert.equal((prompt.messages[0]?.content as Block).resource?.uri, 'copy+shared://readme');
    const read = await client.readResource({ uri: 'copy+shared://readme' });
    assert.deepEqual(read.contents, [{ uri: 'copy+shared://readme', mimeType: 'text/plain', text: 'readme of copy' }]);
    await assert.rejects(client.readResource({ uri: 'shared://readme' }), /read it as "apps\+shared:\/\/readme" or "copy\+shared:\/\/readme"/);
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.subscribeResource({ uri: 'copy+shared://readme' });
    await client.subscribeResource({ uri: 'apps+shared://readme' });
    await client.callTool({ name: 'copy_1mcp_touch-readme', arguments: {} });
    await waitFor(() => updates.length > 0, 'a resources/updated notification');
    await client.callTool({ name: 'apps_1mcp_touch-readme', arguments: {} });
    await waitFor(() => updates.length > 1, 'the second resources/updated notification');
    assert.deepEqual(updates, ['copy+shared://readme', 'apps+shared://readme']);
    await client.unsubscribeResource({ uri: 'copy+shared://readme' });
  });

  it("shows a client that sees one of the two every URI as it is, the app's UI included", async () => {
    const one = await uiHost(`${running.url}?tags=apps`);
    try {
      assert.deepEqual((await one.listResources()).resources.map((r) => r.uri), ['ui://clock/app.html', 'shared://readme']);
      const tool = (await one.listTools()).tools.find((t) => t.name === 'apps_1mcp_show-clock');
      assert.equal((tool?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri, 'ui://clock/app.html');
      assert.equal(text((await one.readResource({ uri: 'shared://readme' })).contents), 'readme of apps');
    } finally {
      await one.close();
    }
    // Where both are seen, the app's UI is told apart in the tool as in the list.
    const both = (await client.listTools()).tools.filter((t) => t.name.endsWith('_1mcp_show-clock')).map((t) => [(t._meta?.ui as { resourceUri: string }).resourceUri, t._meta?.['ui/resourceUri']]);
    assert.deepEqual(both, [['apps+ui://clock/app.html', 'apps+ui://clock/app.html'], ['copy+ui://clock/app.html', 'copy+ui://clock/app.html']]);
    const app = await client.readResource({ uri: 'copy+ui://clock/app.html' });
    assert.match(text(app.contents), /clock of copy/);
  });

  it('gives a 2026-07-28 client the same URIs, and what a backend named in one request is read in the next', async () => {
    const modern = await connectModernClient(running.url);
    try {
      const link = blocks(await modern.callTool({ name: 'apps_1mcp_make-link', arguments: { n: 9 } }))[1];
      assert.equal(link?.uri, 'scratch://generated/9');
      const read = await modern.readResource({ uri: 'scratch://generated/9' });
      assert.equal(text(read.contents), 'scratch://generated/9 made by apps');
      const uris = (await modern.listResources()).resources.map((r) => r.uri);
      assert.ok(uris.includes('copy+shared://readme') && uris.includes('demo://resource/static/document/features.md'), uris.join(', '));
      assert.equal(text((await modern.readResource({ uri: 'apps+shared://readme' })).contents), 'readme of apps');
    } finally {
      await modern.close();
    }
  });
});

describe('MCP Apps and everything else on items and results pass through unchanged', () => {
  let running: RunningAgent;
  let host: Client;

  before(async () => {
    running = await startAgent({ mcpServers: { apps: appEntry('apps', []), basic: { command: process.execPath, args: [BASIC_APP, '--stdio'] } } });
    await settled(running.agent);
    host = await uiHost(running.url);
  });
  after(async () => {
    await host?.close();
    await running?.close();
  });

  it('tells clients the extensions backends declare, and backends the MCP Apps extension the agent carries', async () => {
    assert.deepEqual(host.getServerCapabilities()?.extensions, { 'io.modelcontextprotocol/ui': {} });
    assert.deepEqual(JSON.parse(firstText(await host.callTool({ name: 'apps_1mcp_client-extensions', arguments: {} }))), UI);
    // A server that offers its UI tool only to capable hosts offers it through the agent, to every client.
    const plain = await connectClient(running.url);
    assert.ok((await plain.listTools()).tools.some((t) => t.name === 'apps_1mcp_show-clock'));
    // A client without UI support gets the tool's text: its answer.
    assert.equal(firstText(await plain.callTool({ name: 'apps_1mcp_show-clock', arguments: {} })), '12:00 at apps');
    await plain.close();
  });

  it('keeps titles, icons, annotations and _meta of tools, resources, prompts and results as the server gave them', async () => {
    const straight = await direct(process.execPath, ['--import', 'tsx', APP_SERVER], { FIXTURE_NAME: 'apps' });
    try {
      const rename = (t: Tool) => ({ ...t, name: `apps_1mcp_${t.name}` });
      assert.deepEqual((await host.listTools()).tools.filter((t) => t.name.startsWith('apps_1mcp_')), (await straight.listTools()).tools.map(rename));
      assert.deepEqual((await host.listResources()).resources.filter((r) => !r.uri.startsWith('ui://get-time')), (await straight.listResources()).resources);
      assert.deepEqual((await host.listPrompts()).prompts, (await straight.listPrompts()).prompts.map((p) => ({ ...p, name: `apps_1mcp_${p.name}` })));
      assert.deepEqual(await host.getPrompt({ name: 'apps_1mcp_brief' }), await straight.getPrompt({ name: 'brief' }));
      for (const [tool, args] of [['show-clock', {}], ['make-link', { n: 1 }], ['embed', {}]] as const) {
        assert.deepEqual(await host.callTool({ name: `apps_1mcp_${tool}`, arguments: args }), await straight.callTool({ name: tool, arguments: args }), tool);
      }
      assert.deepEqual(await host.readResource({ uri: 'ui://clock/app.html' }), await straight.readResource({ uri: 'ui://clock/app.html' }));
    } finally {
      await straight.close();
    }
  });

  it("serves the published ext-apps example: its UI tool, and its UI resource with the app's mimeType", async () => {
    const straight = await direct(process.execPath, [BASIC_APP, '--stdio']);
    try {
      const tool = (await host.listTools()).tools.find((t) => t.name === 'basic_1mcp_get-time');
      assert.deepEqual(tool, { ...(await straight.listTools()).tools[0], name: 'basic_1mcp_get-time' });
      const uri = (tool?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
      assert.equal(uri, 'ui://get-time/mcp-app.html');
      const viaAgent = await host.readResource({ uri: uri ?? '' });
      assert.equal(viaAgent.contents[0]?.mimeType, 'text/html;profile=mcp-app');
      assert.match(text(viaAgent.contents), /<html/i);
      assert.deepEqual(viaAgent, await straight.readResource({ uri: uri ?? '' }));
      const called = await host.callTool({ name: 'basic_1mcp_get-time', arguments: {} });
      assert.match(firstText(called), /^\d{4}-\d{2}-\d{2}T/);
    } finally {
      await straight.close();
    }
  });
});
