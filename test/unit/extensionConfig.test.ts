// Editing mcp.json from the extension (Add Server, Enable/Disable, Import Servers), the import sources,
// the copied endpoint URL and the settings. Pure functions and real temp files on plain Node.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config/parseConfig';
import { addInputs, addServers, serverNames, setDisabled, uniqueName } from '../../src/core/config/configEdits';
import { endpointUrl, tagsInUse } from '../../src/extension/endpointUrl';
import { importPlan } from '../../src/core/config/foreignEntries';
import { importSources, readSource, serversIn } from '../../src/extension/importSources';
import { draftEntry, nameProblem, parseTags, splitCommandLine, suggestName } from '../../src/extension/serverDraft';
import { readSettings, restartKey } from '../../src/extension/settings';

const COMMENTED = `{
  // my servers
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"] }, // keep me
  },
}
`;

describe('config edits', () => {
  it('add servers and keep comments, and the result still loads', () => {
    const text = addServers(COMMENTED, { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], tags: ['memory'] } });
    assert.match(text, /\/\/ my servers/);
    assert.match(text, /\/\/ keep me/);
    assert.deepEqual(parseConfig(text, '/x/mcp.json').servers.map((s) => s.name), ['files', 'memory']);
    assert.deepEqual(serverNames(addServers('', { a: { url: 'http://x/mcp' } })), ['a']);
  });

  it("write into VS Code's `servers` when that is the only section", () => {
    const text = addServers('{ "servers": { "a": { "command": "x" } } }', { b: { command: 'y' } });
    assert.deepEqual(Object.keys(JSON.parse(text).servers), ['a', 'b']);
  });

  it('set and clear `disabled` where the server is defined', () => {
    const off = setDisabled(COMMENTED, 'files', true);
    assert.equal(parseConfig(off, '/x/mcp.json').servers[0]?.disabled, true);
    assert.match(off, /\/\/ keep me/);
    assert.equal(parseConfig(setDisabled(off, 'files', false), '/x/mcp.json').servers[0]?.disabled, false);
    assert.doesNotMatch(setDisabled(off, 'files', false), /disabled/);
    assert.throws(() => setDisabled(COMMENTED, 'nope', true), /not defined/);
  });

  it('add input definitions once, and find free names', () => {
    const once = addInputs('{}', [{ id: 'token' }, { id: 'token' }]);
    assert.deepEqual(JSON.parse(addInputs(once, [{ id: 'token' }, { id: 'other' }])).inputs, [{ id: 'token' }, { id: 'other' }]);
    assert.equal(uniqueName('a', new Set(['a', 'a-2'])), 'a-3');
  });
});

describe('Add Server drafts', () => {
  it('split command lines with quotes and suggest names', () => {
    assert.deepEqual(splitCommandLine(`node "/path with space/server.js" --flag 'a b'`), ['node', '/path with space/server.js', '--flag', 'a b']);
    assert.equal(suggestName('npx -y @modelcontextprotocol/server-memory'), 'memory');
    assert.equal(suggestName('/usr/bin/node /x/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio'), 'everything');
    assert.equal(suggestName('uvx mcp-server-fetch'), 'fetch');
    assert.equal(suggestName('npx -y @upstash/context7-mcp@latest'), 'context7');
    assert.equal(suggestName('https://api.example.com/mcp'), 'example');
  });

  it('validate names and tags, and build entries', () => {
    assert.equal(nameProblem('memory', new Set(['memory'])), '"memory" is already in the config');
    assert.match(nameProblem('has space', new Set()) ?? '', /letters, digits/);
    assert.equal(nameProblem('ok-name_1.2', new Set()), undefined);
    assert.deepEqual(parseTags('web, local  web'), ['web', 'local']);
    assert.equal(parseTags('bad tag!'), undefined);
    assert.deepEqual(draftEntry('stdio', 'npx -y pkg', ['a']), { command: 'npx', args: ['-y', 'pkg'], tags: ['a'] });
    assert.deepEqual(draftEntry('http', ' https://x/mcp ', []), { url: 'https://x/mcp' });
  });
});

describe('Import Servers', () => {
  it('knows where each app keeps its config, per platform', () => {
    const files = (platform: NodeJS.Platform) => importSources({ home: '/h', platform, env: { APPDATA: 'C:\\AppData' }, userDir: '/u/User', folders: ['/w/app'] }).map((s) => `${s.app}=${s.file}`);
    assert.ok(files('linux').includes('Claude Desktop=/h/.config/Claude/claude_desktop_config.json'));
    assert.ok(files('darwin').includes('Claude Desktop=/h/Library/Application Support/Claude/claude_desktop_config.json'));
    assert.ok(files('linux').includes('VS Code (user)=/u/User/mcp.json'));
    assert.ok(files('linux').includes('Claude Code=/h/.claude.json'));
    assert.ok(files('linux').includes('Cursor=/h/.cursor/mcp.json'));
    assert.ok(files('linux').includes('VS Code (workspace app)=/w/app/.vscode/mcp.json'));
    assert.ok(importSources({ home: '/h', platform: 'linux', env: {}, folders: [] }).every((s) => !s.app.includes('workspace')));
  });

  it("reads VS Code's, Claude Desktop's and Claude Code's formats, keeping only what the agent understands", () => {
    const vscode = serversIn(
      JSON.stringify({
        inputs: [{ id: 'key', type: 'promptString', password: true }, { id: 'unused' }],
        servers: { 'my server': { type: 'http', url: 'https://x/mcp', headers: { Authorization: 'Bearer ${input:key}' }, gallery: true }, broken: { type: 'stdio' } },
      }),
      { app: 'VS Code (user)', file: '/u/mcp.json' },
    );
    assert.deepEqual(vscode.map((s) => [s.name, s.entry, s.inputs.map((i) => i.id)]), [['my-server', { type: 'http', url: 'https://x/mcp', headers: { Authorization: 'Bearer ${input:key}' } }, ['key']]]);
    const claudeCode = serversIn(
      JSON.stringify({ mcpServers: { a: { type: 'stdio', command: 'x' } }, projects: { '/w/proj': { mcpServers: { b: { type: 'streamable-http', url: 'http://b/mcp' } } } } }),
      { app: 'Claude Code', file: '/h/.claude.json' },
    );
    assert.deepEqual(claudeCode.map((s) => [s.name, s.source.app, s.entry.type]), [['a', 'Claude Code', 'stdio'], ['b', 'Claude Code (project proj)', 'streamableHttp']]);
  });

  it('reads real files, skips missing ones, and renames what would clash', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-import-'));
    try {
      const file = path.join(dir, 'claude_desktop_config.json');
      await fs.writeFile(file, JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } }));
      const found = await readSource({ app: 'Claude Desktop', file });
      assert.deepEqual(await readSource({ app: 'Cursor', file: path.join(dir, 'missing.json') }), []);
      const plan = importPlan([...found, ...found], new Set(['memory']));
      assert.deepEqual(Object.keys(plan.entries), ['memory-2', 'memory-3']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('endpoint URL and settings', () => {
  it('adds the tag selector to the endpoint', () => {
    const endpoint = 'http://127.0.0.1:3050/mcp';
    assert.equal(endpointUrl(endpoint, { kind: 'all' }), endpoint);
    assert.equal(endpointUrl(endpoint, { kind: 'tags', tags: ['web', 'local'] }), `${endpoint}?tags=web,local`);
    assert.equal(endpointUrl(endpoint, { kind: 'filter', expression: 'web and not experimental' }), `${endpoint}?tag-filter=web+and+not+experimental`);
    const backends = [{ name: 'a', tags: ['x', 'y'] }, { name: 'b', tags: ['x'] }] as never;
    assert.deepEqual(tagsInUse({ backends } as never), [{ tag: 'x', backends: ['a', 'b'] }, { tag: 'y', backends: ['a'] }]);
  });

  it('fall back to defaults for bad values, expand ~ and resolve the default config path', () => {
    const values: Record<string, unknown> = { port: 'not a port', host: '', configPath: '~/agent.json', logLevel: 'loud' };
    const settings = readSettings((key) => values[key], { XDG_CONFIG_HOME: '/xdg' });
    assert.deepEqual([settings.port, settings.host, settings.logLevel, settings.defaultConfig], [3050, '127.0.0.1', 'info', false]);
    assert.equal(settings.configPath, path.join(os.homedir(), 'agent.json'));
    const defaults = readSettings(() => undefined, { XDG_CONFIG_HOME: '/xdg' });
    assert.equal(defaults.configPath, path.join('/xdg', '1mcp', 'mcp.json'));
    assert.equal(restartKey(defaults), restartKey({ ...defaults, logLevel: 'debug', autoStart: false }));
    assert.notEqual(restartKey(defaults), restartKey({ ...defaults, port: 4000 }));
  });
});
