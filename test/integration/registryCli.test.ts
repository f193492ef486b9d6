// onemcp registry search | show and onemcp install, through the built CLI, against a local registry
// serving the v0.1 API from recorded entries, into a config an agent (the CLI) serves: the remote's
// tools are served after hot reload, a secret typed on a terminal reaches the npm server's process and
// never the file, and a registry that does not answer, or answers nonsense, changes nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ManualClock } from '../../src/core/clock';
import { RegistryClient } from '../../src/core/registry/registryClient';
import { onemcp, serveCli, type ServingCli } from '../helpers/cli';
import { BUILT_CLI, connectClient, firstText, startHttpBackend, tempDir, waitFor } from '../helpers/harness';
import { freePort } from '../helpers/ports';
import { startRegistry, type RegistryFixture } from '../fixtures/registryServer';

const TOKEN = 'skyline-7f3a9c';
const TYPED_KEY = 'typed-on-a-terminal-51d2';
const ORIGINAL = '{\n  // installed from the registry below\n  "mcpServers": {}\n}\n';

describe('onemcp registry and install against a local registry', () => {
  let dir: string;
  let config: string;
  let env: NodeJS.ProcessEnv;
  let registry: RegistryFixture;
  let remote: Awaited<ReturnType<typeof startHttpBackend>>;
  let agent: ServingCli;
  let client: Client;
  const cli = (command: string, ...args: string[]) => onemcp([command, '--registry-url', registry.url, '--config', config, '--port', agent.port, ...args], env);
  const reg = (...args: string[]) => onemcp(['registry', ...args, '--registry-url', registry.url], env);
  const toolNames = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);

  before(async () => {
    dir = await tempDir();
    config = path.join(dir, 'mcp.json');
    await fs.writeFile(config, ORIGINAL);
    remote = await startHttpBackend('skyline', { authorization: `Bearer ${TOKEN}` });
    registry = await startRegistry({ remoteUrl: remote.url });
    // The headless agent takes the remote's token from the variable install names.
    env = { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg'), ONE_MCP_INPUT_WEATHER_SKYLINE_TOKEN: TOKEN };
    agent = await serveCli(config, env);
    client = await connectClient(agent.endpoint);
  });
  after(async () => {
    await client?.close();
    await agent?.stop();
    await registry?.close();
    await remote?.close();
  });

  it('search follows every page, lists the latest versions with how each runs; --json and ONE_MCP_REGISTRY_URL', async () => {
    const found = await reg('search', 'weather');
    assert.equal(found.code, 0, found.stderr);
    const names = [...found.stdout.matchAll(/^(io\.github\.\S+) {2}(\S+) {2}\((.*)\)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    assert.deepEqual(names, [
      'io.github.skyline-labs/weather 2.3.0 remote',
      'io.github.tidewater/weather-at-sea 0.9.1 PyPI',
      'io.github.stormwatch/weather-alerts 1.0.4 Docker',
      'io.github.contoso/weather-dotnet 0.2.0 nuget',
      'io.github.breeze/weather-lite 0.1.0 npm',
    ]);
    assert.match(found.stdout, /\n {4}Skyline Weather: Current conditions and forecasts for any city/);
    assert.equal(registry.requests.filter((r) => r.startsWith('/v0.1/servers?search=weather&version=latest')).length, 3, 'three pages of two');
    assert.ok(registry.requests.some((r) => r.includes('&cursor=')));

    const json = await onemcp(['registry', 'search', 'everything', '--json'], { ...env, ONE_MCP_REGISTRY_URL: registry.url });
    assert.deepEqual(JSON.parse(json.stdout).map((s: { name: string; runs: string[] }) => [s.name, s.runs]), [['io.github.modelcontextprotocol/everything', ['npm']]]);
    assert.match((await reg('search', 'nothing-like-this')).stdout, /No server in http:\/\/127\.0\.0\.1:\d+ matches "nothing-like-this"/);
  });

  it('show tells what the server is, how it runs and what install writes and asks for', async () => {
    const shown = await reg('show', 'io.github.tidewater/weather-at-sea');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Tidewater Marine Weather \(io\.github\.tidewater\/weather-at-sea\) {2}0\.9\.1\nTide tables/);
    assert.match(shown.stdout, /Runs as:\n {2}PyPI tidewater-mcp 0\.9\.1\n/);
    assert.match(shown.stdout, /writes "weather-at-sea" \(PyPI\):\n {2}\{\n {4}"command": "uvx",/);
    assert.match(shown.stdout, /It asks for:\n {2}argument station: NOAA station id, e\.g\. 8443970/);
    assert.ok(registry.requests.includes('/v0.1/servers/io.github.tidewater%2Fweather-at-sea/versions/latest'), 'the name is URL-encoded');
    const unknown = await reg('show', 'io.github.nobody/nothing');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No server named "io\.github\.nobody\/nothing" in the registry at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('install of a remote: an http entry whose secret header is an ${input:}; the agent serves its tools after hot reload', async () => {
    const installed = await cli('install', 'io.github.skyline-labs/weather', '--tags', 'web,forecast');
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(installed.stdout, /Installed io\.github\.skyline-labs\/weather 2\.3\.0 as "weather" in .*mcp\.json/);
    assert.match(installed.stdout, /It runs \(remote\): http:\/\/127\.0\.0\.1:\d+\/mcp/);
    assert.match(installed.stdout, /\$\{input:weather-skyline_token\} \(skyline_token in Authorization\) has no value yet: set ONE_MCP_INPUT_WEATHER_SKYLINE_TOKEN for the headless agent/);
    await waitFor(async () => (await toolNames()).includes('weather_1mcp_echo'), 'the remote tools through the agent');
    assert.equal(firstText(await client.callTool({ name: 'weather_1mcp_echo', arguments: { text: 'hi' } })), 'skyline: hi');

    const text = await fs.readFile(config, 'utf8');
    assert.ok(text.startsWith('{\n  // installed from the registry below\n  "mcpServers": {\n    "weather": {\n      "type": "http",'), text);
    assert.ok(text.includes('"Authorization": "Bearer ${input:weather-skyline_token}"'));
    assert.ok(text.includes('"tags": ["web", "forecast"]'));
    assert.match(text, /"inputs": \[\n {4}\{\n {6}"id": "weather-skyline_token",\n {6}"type": "promptString",\n {6}"description": "skyline_token in Authorization of io\.github\.skyline-labs\/weather: API token from your Skyline account page",\n {6}"password": true/);
    assert.ok(!text.includes(TOKEN));
  });

  it('install of an npm package on a terminal: the secret typed (unseen) is stored for the agent, which starts the server with it', async () => {
    const transcript = await typeAtPrompt(['install', 'io.github.modelcontextprotocol/everything', '--registry-url', registry.url, '--config', config, '--port', agent.port], env, /EVERYTHING_API_KEY \(secret\): Key the demo tools pretend to need: $/, TYPED_KEY);
    assert.match(transcript, /Installed io\.github\.modelcontextprotocol\/everything .* as "everything"/);
    assert.match(transcript, /\$\{input:everything-EVERYTHING_API_KEY\} \(environment variable EVERYTHING_API_KEY\) is stored in .*input-secrets\.json/);
    assert.ok(!transcript.includes(TYPED_KEY), 'the secret is not echoed');
    const text = await fs.readFile(config, 'utf8');
    assert.ok(text.includes('"EVERYTHING_API_KEY": "${input:everything-EVERYTHING_API_KEY}"'));
    assert.ok(text.includes('"EVERYTHING_LOG_LEVEL": "info"'));
    assert.ok(!text.includes(TYPED_KEY));
    const store = path.join(dir, 'xdg', '1mcp', 'input-secrets.json');
    assert.equal((await fs.stat(store)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await fs.readFile(store, 'utf8')), { 'everything-EVERYTHING_API_KEY': TYPED_KEY });

    // npx finds the package in this project's node_modules: the agent runs the real server.
    await waitFor(async () => (await toolNames()).includes('everything_1mcp_get-env'), 'the npm server through the agent', 90_000);
    const serverEnv = JSON.parse(firstText(await client.callTool({ name: 'everything_1mcp_get-env', arguments: {} }))) as Record<string, string>;
    assert.equal(serverEnv.EVERYTHING_API_KEY, TYPED_KEY);
    assert.equal(serverEnv.EVERYTHING_LOG_LEVEL, 'info');
  });

  it('install of a PyPI package without a terminal: arguments filled from their defaults, the required one left as an input it names', async () => {
    const installed = await cli('install', 'io.github.tidewater/weather-at-sea', '--as', 'tides');
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(installed.stdout, /It runs \(PyPI\): uvx --python 3\.12 tidewater-mcp==0\.9\.1 \$\{input:tides-station\} --units metric/);
    assert.match(installed.stdout, /set ONE_MCP_INPUT_TIDES_STATION for the headless agent/);
    const entry = /"tides": \{[\s\S]*?\n {4}\}/.exec(await fs.readFile(config, 'utf8'))?.[0] ?? '';
    assert.ok(entry.includes('"args": ["--python", "3.12", "tidewater-mcp==0.9.1", "${input:tides-station}", "--units", "metric"]'), entry);
    // The headless agent says the same about the missing value.
    let last = '';
    const listed = await waitFor(async () => ((out) => (last = out) && /\ntides {2}(restarting|error)\n.*\n {4}no value for \$\{input:tides-station\}: set ONE_MCP_INPUT_TIDES_STATION/.test(out) && out)((await onemcp(['list', '--config', config, '--port', agent.port], env)).stdout), 'the tides server to fail for its input').catch((error: unknown) => {
      throw new Error(`${String(error)}\n${last}`);
    });
    assert.match(listed, /\nweather {2}connected/);
  });

  it('refuses a taken name, an unknown server, and one 1MCP cannot run, writing nothing', async () => {
    const before = await fs.readFile(config, 'utf8');
    const cases: [string[], RegExp][] = [
      [['io.github.skyline-labs/weather'], /A server named "weather" is already in the config: remove it first, or choose another name/],
      [['io.github.breeze/weather-lite', '--tags', 'no spaces'], /server "weather-lite", field "tags\[0\]": tags may contain only/],
      [['io.github.nobody/nothing'], /No server named "io\.github\.nobody\/nothing" in the registry/],
      [['io.github.contoso/weather-dotnet'], /cannot be installed: nuget Contoso\.WeatherMcp 0\.2\.0: nuget packages are not run by 1MCP/],
      [['io.github.breeze/weather-lite', '--as', 'bad name'], /server "bad name": invalid name/],
    ];
    for (const [args, message] of cases) {
      const result = await cli('install', ...args);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Nothing was written to .*mcp\.json\./);
    }
    assert.equal(await fs.readFile(config, 'utf8'), before);
  });

  it('a registry that does not answer, answers nonsense, or is no URL: a clear error and nothing written', async () => {
    const before = await fs.readFile(config, 'utf8');
    const silent = `http://127.0.0.1:${await freePort()}`;
    for (const args of [['registry', 'search', 'weather'], ['registry', 'show', 'io.github.breeze/weather-lite'], ['install', 'io.github.breeze/weather-lite', '--config', config]]) {
      const result = await onemcp([...args, '--registry-url', silent], env);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, new RegExp(`Cannot reach the registry at ${silent.replace(/[.]/g, '\\.')}: connect ECONNREFUSED`));
    }
    registry.answer = 'malformed';
    const malformed = await cli('install', 'io.github.breeze/weather-lite');
    assert.match(malformed.stderr, /The registry at http:\/\/127\.0\.0\.1:\d+ answered with something that is not a server of the v0\.1 API at server: /);
    assert.match((await reg('search', 'weather')).stderr, /not a list of servers of the v0\.1 API at servers\.0\.server\.name/);
    registry.answer = 'not-json';
    assert.match((await reg('search', 'weather')).stderr, /answered with something that is not JSON/);
    registry.answer = 'recorded';
    const notUrl = await cli('install', 'io.github.breeze/weather-lite', '--registry-url', 'registry.example');
    assert.equal(notUrl.code, 2);
    assert.match(notUrl.stderr, /The registry URL is not an http\(s\) URL: "registry\.example"/);
    assert.equal(await fs.readFile(config, 'utf8'), before);
  });

  it('the client caches answers briefly and asks again after a minute, or after a failure', async () => {
    const clock = new ManualClock();
    const client = new RegistryClient(`${registry.url}/`, { clock });
    const asked = (): number => registry.requests.length;
    const start = asked();
    assert.equal((await client.search('weather')).length, 5);
    const pages = asked() - start;
    assert.equal((await client.search('weather')).length, 5);
    assert.equal(asked() - start, pages, 'the same pages from the cache');
    clock.advance(61_000);
    await client.search('weather');
    assert.equal(asked() - start, 2 * pages);
    registry.answer = 'not-json';
    await assert.rejects(client.server('io.github.breeze/weather-lite'), { code: 'MALFORMED' });
    registry.answer = 'recorded';
    assert.equal((await client.server('io.github.breeze/weather-lite')).version, '0.1.0');
  });
});

/**
 * Runs the CLI on a terminal of its own (`script` allocates one), waits for `prompt`, types `answer`
 * and Enter, and returns everything the terminal showed.
 */
async function typeAtPrompt(args: readonly string[], env: NodeJS.ProcessEnv, prompt: RegExp, answer: string): Promise<string> {
  assert.ok(existsSync('/usr/bin/script'), 'script (util-linux) gives the CLI a terminal');
  const command = [process.execPath, BUILT_CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitFor(() => prompt.test(output.replace(/\r/g, '')), `the prompt ${prompt}`);
  child.stdin.write(`${answer}\r`);
  assert.equal(await exited, 0, output);
  return output.replace(/\r/g, '');
}
