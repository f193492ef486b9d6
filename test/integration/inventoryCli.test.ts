// onemcp add | remove | enable | disable | tools | list, through the built CLI, against an agent the
// CLI serves from the same commented mcp.json: each change reaches its clients by hot reload, the
// file keeps every comment and line it had, and bad input writes nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { onemcp, serveCli, type ServingCli } from '../helpers/cli';
import { connectClient, FIXTURE_SERVER, fixtureEntry, startHttpBackend, tempDir, waitFor } from '../helpers/harness';
import { freePort } from '../helpers/ports';

const alpha = fixtureEntry('alpha');
const ORIGINAL = `// servers of this machine; edited by hand and by onemcp
{
  "mcpServers": {
    // the fixture, on one line
    "alpha": { "command": ${JSON.stringify(alpha.command)}, "args": ${JSON.stringify(alpha.args).replace(/,/g, ', ')}, "env": { "FIXTURE_NAME": "alpha" } }, // keep me
  },
  /* presets stay too */
  "presets": { "all": ["x"] }
}
`;

describe('onemcp inventory commands against a running agent', () => {
  let dir: string;
  let config: string;
  let env: NodeJS.ProcessEnv;
  let agent: ServingCli;
  let client: Client;
  let web: Awaited<ReturnType<typeof startHttpBackend>>;
  // Flags first: what follows `--` is the new server's command line.
  const run = (command: string, ...args: string[]) => onemcp([command, '--config', config, '--port', agent.port, ...args], env);
  const toolNames = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);
  const until = (what: string, check: (names: string[]) => boolean): Promise<string[]> => waitFor(async () => ((names) => check(names) && names)(await toolNames()), what);

  before(async () => {
    dir = await tempDir();
    config = path.join(dir, 'mcp.json');
    await fs.writeFile(config, ORIGINAL);
    env = { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg') };
    agent = await serveCli(config, env);
    await waitFor(() => /alpha: connected/.test(agent.output()), 'alpha to connect');
    client = await connectClient(agent.endpoint);
    web = await startHttpBackend('web');
  });
  after(async () => {
    await client?.close();
    await agent?.stop();
    await web?.close();
  });

  it('add: a command with tags and env, and a URL; the agent serves both, the file keeps its comments, the old file is kept', async () => {
    const added = await run('add', 'beta', '--tags', 'demo,local', '--env', 'FIXTURE_NAME=beta', '--', process.execPath, '--import', 'tsx', FIXTURE_SERVER);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`Added "beta" to ${config.replace(/[.]/g, '\\.')} \\(the old file: .*mcp\\.json\\.bak-`));
    assert.match(added.stdout, new RegExp(`The agent at http://127\\.0\\.0\\.1:${agent.port} \\(the 1MCP CLI, pid \\d+\\) applies it now`));
    await until('beta tools', (names) => names.includes('beta_1mcp_echo'));
    const viaUrl = await run('add', 'web', '--url', web.url, '--header', 'X-Team=blue');
    assert.equal(viaUrl.code, 0, viaUrl.stderr);
    await until('web tools', (names) => names.includes('web_1mcp_echo'));

    const text = await fs.readFile(config, 'utf8');
    for (const line of ORIGINAL.split('\n').filter((l) => !l.startsWith('  },'))) assert.ok(text.includes(line), `kept: ${line}`);
    assert.match(text, /"beta": \{\n {6}"command": .*\n {6}"args": \["--import", "tsx", ".*testServer\.ts"\],\n {6}"env": \{\n {8}"FIXTURE_NAME": "beta"\n {6}\},\n {6}"tags": \["demo", "local"\]\n {4}\}/);
    assert.match(text, /"web": \{\n {6}"url": "http:\/\/127\.0\.0\.1:\d+\/mcp",\n {6}"headers": \{\n {8}"X-Team": "blue"/);
    const backups = (await fs.readdir(dir)).filter((f) => f.startsWith('mcp.json.bak-')).sort();
    assert.equal(backups.length, 2);
    assert.equal(await fs.readFile(path.join(dir, backups[0] ?? ''), 'utf8'), ORIGINAL);
  });

  it('list: every server with its live status from the agent, as text and as JSON', async () => {
    const listed = await run('list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${config.replace(/[.]/g, '\\.')}\nAgent: http://127\\.0\\.0\\.1:${agent.port}\n`));
    assert.match(listed.stdout, /\nalpha {2}connected, \d+ tools\n/);
    assert.match(listed.stdout, /\nbeta {2}connected, \d+ tools {2}\[demo, local\]\n/);
    assert.match(listed.stdout, /\nweb {2}connected, \d+ tools\n {4}http:\/\/127\.0\.0\.1:\d+\/mcp\n/);
    assert.doesNotMatch(listed.stdout, /blue/, 'header values are not shown');
    const json = JSON.parse((await run('list', '--json')).stdout) as { config: string; agent: { url: string }; servers: { name: string; status: string; tools?: number; tags: string[] }[] };
    assert.equal(json.config, config);
    assert.equal(json.agent.url, `http://127.0.0.1:${agent.port}`);
    assert.deepEqual(json.servers.map((s) => [s.name, s.status, typeof s.tools]), [['alpha', 'connected', 'number'], ['beta', 'connected', 'number'], ['web', 'connected', 'number']]);
  });

  it('disable and enable: the agent stops and starts the server; list says disabled', async () => {
    const disabled = await run('disable', 'beta');
    assert.equal(disabled.code, 0, disabled.stderr);
    await until('beta gone', (names) => !names.some((n) => n.startsWith('beta_')));
    assert.match((await run('list')).stdout, /\nbeta {2}disabled {2}\[demo, local\]\n/);
    assert.match((await run('disable', 'beta')).stdout, /"beta" is already disabled; .* was not changed/);
    assert.equal((await run('enable', 'beta')).code, 0);
    await until('beta back', (names) => names.includes('beta_1mcp_echo'));
    assert.doesNotMatch(await fs.readFile(config, 'utf8'), /"disabled"/);
  });

  it('tools disable and enable: one tool is hidden and back, written on the one-line entry', async () => {
    const off = await run('tools', 'disable', 'alpha', 'echo');
    assert.equal(off.code, 0, off.stderr);
    const names = await until('alpha echo hidden', (n) => !n.includes('alpha_1mcp_echo'));
    assert.ok(names.includes('alpha_1mcp_add'));
    assert.match(await fs.readFile(config, 'utf8'), /\n {4}"alpha": \{ .*, "disabledTools": \["echo"\] \}, \/\/ keep me\n/);
    assert.match((await run('list')).stdout, /\nalpha {2}connected.*\n.*\n {4}disabled tools: echo\n/);
    // The name clients see works as well.
    assert.equal((await run('tools', 'enable', 'alpha', 'alpha_1mcp_echo')).code, 0);
    await until('alpha echo back', (n) => n.includes('alpha_1mcp_echo'));
  });

  it('remove: the server goes from the agent and the file; what is left is the original file plus beta', async () => {
    const removed = await run('remove', 'web');
    assert.equal(removed.code, 0, removed.stderr);
    await until('web gone', (names) => !names.some((n) => n.startsWith('web_')));
    const text = await fs.readFile(config, 'utf8');
    const beta = /\n {4}"beta": \{[\s\S]*?\n {4}\},/.exec(text)?.[0];
    assert.ok(beta, text);
    assert.equal(text.replace(beta, ''), ORIGINAL);
  });

  it('bad input: a clear error for each, and the file exactly as it was', async () => {
    const before = await fs.readFile(config, 'utf8');
    const cases: [string[], number, RegExp][] = [
      [['add', 'alpha', '--', 'node'], 1, /A server named "alpha" is already in the config/],
      [['add', 'gamma', '--url', 'not a url'], 2, /--url is not an http\(s\) URL: "not a url"/],
      [['add', 'gamma', '--url', 'file:///etc/passwd'], 2, /--url is not an http\(s\) URL/],
      [['add', 'gamma'], 2, /needs a command after --/],
      [['add', 'gamma', 'npx', 'server'], 2, /put the command after --/],
      [['add', 'gamma', '--url', 'https://x.example/mcp', '--', 'node'], 2, /--url or a command after --, not both/],
      [['add', 'gamma', '--env', 'NOEQUALS', '--', 'node'], 2, /--env takes NAME=value, got "NOEQUALS"/],
      [['add', 'gamma', '--header', 'X=1', '--', 'node'], 2, /--header is for a URL server/],
      [['add', 'gamma', '--tags', 'has space', '--', 'node'], 1, /server "gamma", field "tags\[0\]": tags may contain only/],
      [['add', 'bad/name', '--', 'node'], 1, /invalid name: server names may contain only/],
      [['remove', 'nope'], 1, /No server named "nope" in the config\. Its servers: alpha, beta/],
      [['enable', 'nope'], 1, /No server named "nope"/],
      [['disable', 'nope'], 1, /No server named "nope"/],
      [['remove'], 2, /needs the name of a server/],
      [['tools', 'hide', 'alpha', 'echo'], 2, /onemcp tools takes enable, disable, review or accept, got "hide"/],
      [['tools', 'disable', 'alpha'], 2, /takes a server and one of its tools/],
      [['tools', 'disable', 'nope', 'echo'], 1, /No server named "nope"/],
      [['add', 'gamma', '--host', '127.0.0.1', '--port', 'x', '--', 'node'], 2, /--port must be a number/],
    ];
    for (const [[command = '', ...args], code, message] of cases) {
      const result = await run(command, ...args);
      assert.equal(result.code, code, `${command} ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, `${command} ${args.join(' ')}`);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(await fs.readFile(config, 'utf8'), before);
  });

  it('list says "not running" when no agent serves the config, and which config the agent there serves', async () => {
    const nobody = await onemcp(['list', '--config', config, '--port', String(await freePort())], env);
    assert.match(nobody.stdout, /Agent: not running \(no agent at http:\/\/127\.0\.0\.1:\d+\)\n\nalpha {2}not running\n/);
    const other = path.join(dir, 'other.json');
    await fs.writeFile(other, JSON.stringify({ mcpServers: { solo: { command: 'x', disabled: true } } }));
    const elsewhere = await onemcp(['list', '--config', other, '--port', agent.port, '--json'], env);
    assert.deepEqual(JSON.parse(elsewhere.stdout).servers.map((s: { status: string }) => s.status), ['disabled']);
    assert.match((await onemcp(['list', '--config', other, '--port', agent.port], env)).stdout, new RegExp(`not running \\(the agent at http://127\\.0\\.0\\.1:${agent.port} serves ${config.replace(/[.]/g, '\\.')}\\)`));
    const added = await onemcp(['add', 'solo2', '--config', other, '--port', agent.port, '--', 'node'], env);
    assert.match(added.stdout, /No agent serves this config right now \(the agent at .* serves .*mcp\.json\); the change applies when one starts\./);
  });
});
