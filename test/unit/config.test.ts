import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/config/configError';
import { defaultConfigPath } from '../../src/core/config/configPath';
import { loadConfig, loadConfigNow } from '../../src/core/config/loadConfig';
import { parseConfig } from '../../src/core/config/parseConfig';
import { SubstitutionError, substituteServer } from '../../src/core/config/substitute';

const FILE = path.resolve('/home/dev/.config/1mcp/mcp.json');

function configError(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('config parsing', () => {
  it('infers the transport from command or url and fills defaults', () => {
    const config = parseConfig(JSON.stringify({ mcpServers: { a: { command: 'node' }, b: { url: 'http://x/mcp' }, c: { type: 'sse', url: 'http://y/sse' } } }), FILE);
    const [a, b, c] = config.servers;
    assert.equal(a?.type, 'stdio');
    assert.equal(b?.type, 'http');
    assert.equal(c?.type, 'sse');
    assert.equal(a?.prefix, 'a');
    assert.deepEqual(a?.args, []);
    assert.equal(a?.requestTimeout, 60_000);
    assert.equal(a?.restartOnExit, true);
  });

  it("accepts VS Code's servers + inputs format, comments and trailing commas", () => {
    const text = `{
      // VS Code writes comments
      "inputs": [{ "type": "promptString", "id": "key", "password": true }],
      "servers": { "gh": { "type": "http", "url": "https://api.example/mcp", "headers": { "Authorization": "Bearer \${input:key}" } }, },
    }`;
    const config = parseConfig(text, FILE);
    assert.equal(config.servers[0]?.name, 'gh');
    assert.equal(config.inputs[0]?.id, 'key');
  });

  it('takes the protocol era per server: auto by default, modern or legacy pinned, anything else refused', () => {
    const config = parseConfig(JSON.stringify({ mcpServers: { a: { command: 'x' }, m: { url: 'http://x/mcp', protocol: 'modern' }, l: { command: 'x', protocol: 'legacy' } } }), FILE);
    assert.deepEqual(config.servers.map((s) => s.protocol), ['auto', 'modern', 'legacy']);
    const error = configError(JSON.stringify({ mcpServers: { bad: { command: 'x', protocol: '2026-07-28' } } }));
    assert.deepEqual(error.issues.map((i) => [i.server, i.field]), [['bad', 'protocol']]);
  });

  it('pins tools unless "pinTools": false; "confirm" per server, else the top level\'s, else none; anything else refused', () => {
    const config = parseConfig(JSON.stringify({ confirm: ['delete_*'], mcpServers: { a: { command: 'x' }, b: { command: 'x', pinTools: false, confirm: 'destructive' } } }), FILE);
    const [a, b] = config.servers;
    assert.deepEqual([a?.pinTools, a?.confirm, b?.pinTools, b?.confirm], [true, ['delete_*'], false, 'destructive']);
    assert.equal(parseConfig(JSON.stringify({ mcpServers: { a: { command: 'x' } } }), FILE).servers[0]?.confirm, 'none');
    assert.match(configError(JSON.stringify({ mcpServers: { a: { command: 'x', confirm: 'sometimes' } } })).message, /server "a", field "confirm"/);
    assert.match(configError(JSON.stringify({ confirm: [], mcpServers: {} })).message, /confirm/);
    assert.match(configError(JSON.stringify({ mcpServers: { a: { command: 'x', pinTools: 'no' } } })).message, /server "a", field "pinTools"/);
  });

  it('resolves a relative cwd against the config folder', () => {
    const config = parseConfig(JSON.stringify({ mcpServers: { a: { command: 'x', cwd: 'tools' } } }), FILE);
    assert.equal(config.servers[0]?.cwd, path.resolve('/home/dev/.config/1mcp/tools'));
  });

  it('names the file, the server and the field of an invalid entry', () => {
    const error = configError(JSON.stringify({ mcpServers: { good: { command: 'x' }, bad: { command: 'x', env: { A: 1 } } } }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.ok(error.message.startsWith(`Config is invalid: ${FILE}`));
    assert.deepEqual(
      error.issues.map((i) => [i.server, i.field]),
      [['bad', 'env.A']],
    );
  });

  it('requires command for stdio and url for http', () => {
    const error = configError(JSON.stringify({ mcpServers: { s: { type: 'stdio', url: 'http://x' }, h: { type: 'http', command: 'x' }, n: {} } }));
    assert.deepEqual(
      error.issues.map((i) => `${i.server}:${i.field}:${i.message}`),
      ['s:command:a stdio server needs "command"', 'h:url:a http server needs "url"', 'n:command:needs "command" (stdio) or "url" (http, sse)'],
    );
  });

  it('gives line and column for JSON syntax errors', () => {
    const error = configError('{\n  "mcpServers": {\n    "a": { "command": "x",, }\n  }\n}');
    assert.equal(error.code, 'CONFIG_PARSE');
    assert.equal(error.issues[0]?.line, 3);
    assert.ok((error.issues[0]?.column ?? 0) > 20);
    assert.match(error.message, /line 3, column \d+/);
  });

  it('rejects a top level that is not an object, and bad names, tags and presets', () => {
    assert.match(configError('[1, 2]').message, /must contain a JSON object/);
    assert.match(configError(JSON.stringify({ mcpServers: { 'has space': { command: 'x' } } })).message, /server names may contain only/);
    assert.match(configError(JSON.stringify({ mcpServers: { a: { command: 'x', tags: ['a b'] } } })).message, /server "a", field "tags\[0\]"/);
    assert.match(configError(JSON.stringify({ mcpServers: {}, presets: { p: 'a + (b' } })).message, /field "presets\.p": expected "\)"/);
  });

  it('reads per-client defaults and names a bad tool mode', () => {
    const config = parseConfig(JSON.stringify({ mcpServers: {}, clients: { 'claude-code': { toolMode: 'search' }, '*': { toolMode: 'auto' } } }), FILE);
    assert.deepEqual(config.clients, { 'claude-code': { toolMode: 'search' }, '*': { toolMode: 'auto' } });
    assert.deepEqual(parseConfig('{}', FILE).clients, {});
    assert.match(configError(JSON.stringify({ mcpServers: {}, clients: { cursor: { toolMode: 'lazy' } } })).message, /field "clients\.cursor\.toolMode"/);
  });

  it('takes names every object inherits as ordinary names', () => {
    const config = parseConfig(JSON.stringify({ mcpServers: { constructor: { command: 'x' } }, servers: { toString: { command: 'y' } }, presets: { valueOf: ['a'] } }), FILE);
    assert.deepEqual(config.servers.map((s) => s.name).sort(), ['constructor', 'toString'], 'not "defined in both"');
    assert.deepEqual(Object.keys(config.presets), ['valueOf']);
  });

  it('treats an empty file as a config with no servers', () => {
    assert.deepEqual(parseConfig('', FILE).servers, []);
  });

  it('uses the 1MCP default location', () => {
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/x' }, 'linux'), path.join('/x', '1mcp', 'mcp.json'));
    assert.equal(defaultConfigPath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32'), 'C:\\Users\\me\\AppData\\Roaming\\1mcp\\mcp.json');
  });
});

describe('substitution', () => {
  const server = parseConfig(
    JSON.stringify({
      mcpServers: {
        a: { command: '${env:TOOL}', args: ['--key=${KEY}', '${input:token}'], env: { HOME_DIR: '${userHome}' }, headers: { X: '${input:token}' }, url: undefined },
      },
    }),
    FILE,
  ).servers[0];
  assert.ok(server);

  it('replaces ${env:NAME}, ${NAME} and ${input:id} in every field', async () => {
    const resolved = await substituteServer(server, { TOOL: 'npx', KEY: 'k1' }, async (id) => (id === 'token' ? 's3cret' : undefined));
    assert.equal(resolved.command, 'npx');
    assert.deepEqual(resolved.args, ['--key=k1', 's3cret']);
    assert.equal(resolved.headers.X, 's3cret');
    assert.ok(resolved.env.HOME_DIR && !resolved.env.HOME_DIR.includes('$'));
  });

  it('names the field and variable that has no value', async () => {
    await assert.rejects(substituteServer(server, { TOOL: 'npx' }, async () => 'v'), (error: Error) => {
      assert.ok(error instanceof SubstitutionError);
      assert.equal(error.message, 'field "args[0]": environment variable KEY is not set');
      return true;
    });
    await assert.rejects(substituteServer(server, { TOOL: 'npx', KEY: 'k' }, async () => undefined), /no value for \$\{input:token\}/);
    const inherited = parseConfig(JSON.stringify({ mcpServers: { a: { command: '${env:constructor}' } } }), FILE).servers[0];
    assert.ok(inherited);
    await assert.rejects(substituteServer(inherited, {}, async () => undefined), /environment variable constructor is not set/);
  });
});

describe('loadConfig and loadConfigNow', () => {
  it('read a file alike, keep only the servers with a given tag, and read a missing file as empty only when asked', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-config-'));
    try {
      const file = path.join(dir, 'mcp.json');
      await fs.writeFile(file, JSON.stringify({ mcpServers: { a: { command: 'a', tags: ['x'] }, b: { command: 'b', tags: ['y'] } } }));
      for (const load of [loadConfig, loadConfigNow]) {
        assert.deepEqual((await load(file)).servers.map((s) => s.name), ['a', 'b']);
        assert.deepEqual((await load(file, { tags: ['y'] })).servers.map((s) => s.name), ['b']);
        const missing = path.join(dir, 'none.json');
        assert.deepEqual((await load(missing, { missing: 'empty' })).servers, []);
        await assert.rejects(async () => load(missing), (error: unknown) => error instanceof ConfigError && /does not exist/.test(error.message));
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

