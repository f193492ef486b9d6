// The in-place editors behind `onemcp connect`: JSON(C) members and TOML tables, and the TOML parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENTS, findClient } from '../../src/core/clients/clientDefinitions';
import { removeMember, setMember } from '../../src/core/config/jsonEdits';
import { parseToml, TomlError } from '../../src/core/clients/toml';
import { tomlConfigFormat } from '../../src/core/clients/tomlConfigFormat';

const ENTRY = { url: 'http://127.0.0.1:3050/mcp' };

describe('JSON member edits', () => {
  it('add a member in the layout around it and take it out again, byte for byte', () => {
    const layouts = [
      '{\n  "mcpServers": {\n    "a": { "command": "x" }\n  }\n}\n',
      '{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x"}, // trailing comma\r\n\t},\r\n}\r\n',
      '{\n    "other": [1, 2]\n}',
      '{\n  "mcpServers": {}\n}\n',
      '{ "mcpServers": { "a": { "command": "x" } } }',
      '',
    ];
    for (const text of layouts) {
      const added = setMember(text, 'mcpServers', '1mcp', ENTRY);
      const before = text === '' ? '{}\n' : text;
      // Every line of the original is still there, unchanged (bar a comma after the last member; `{}`
      // opens); a one-line object gets the member on its line.
      const lines = before.includes('\n') ? before.replace('{}', '{').split(/\r?\n/) : [];
      for (const line of lines) assert.ok(added.includes(line.replace(/,\s*$/, '').replace(/\s+$/, '')), `${JSON.stringify(line)} kept in ${JSON.stringify(added)}`);
      assert.match(added, /"1mcp": \{/);
      const removed = removeMember(added, ['mcpServers', '1mcp']);
      if (!before.includes('"mcpServers"')) assert.equal(removeMember(removed, ['mcpServers']), before);
      else assert.equal(removed, before);
    }
  });

  it('indent with the file: tabs, two or four spaces, CRLF', () => {
    assert.match(setMember('{\n\t"x": 1\n}', 'mcpServers', '1mcp', ENTRY), /\n\t"mcpServers": \{\n\t\t"1mcp": \{\n\t\t\t"url"/);
    assert.match(setMember('{\n    "x": 1\n}', 'mcpServers', '1mcp', ENTRY), /\n {4}"mcpServers": \{\n {8}"1mcp"/);
    assert.ok(!/[^\r]\n/.test(setMember('{\r\n  "x": 1\r\n}\r\n', 'mcpServers', '1mcp', ENTRY)), 'only CRLF line ends');
  });

  it('replace an existing member in place and remove a member that sits before others', () => {
    const text = '{\n  "mcpServers": {\n    "1mcp": { "url": "old" },\n    "b": 2\n  }\n}\n';
    assert.equal(setMember(text, 'mcpServers', '1mcp', { url: 'new' }), '{\n  "mcpServers": {\n    "1mcp": {\n      "url": "new"\n    },\n    "b": 2\n  }\n}\n');
    assert.equal(removeMember(text, ['mcpServers', '1mcp']), '{\n  "mcpServers": {\n    "b": 2\n  }\n}\n');
  });
});

describe('TOML', () => {
  it('keeps keys named like what every object inherits as its own, and changes no prototype', () => {
    const { value } = parseToml('[mcp_servers.__proto__]\ncommand = "a"\n[mcp_servers.constructor]\ncommand = "b"\n[x]\n__proto__ = { polluted = true }\n');
    const servers = value.mcp_servers as Record<string, { command: string }>;
    assert.deepEqual(Object.entries(servers).map(([name, entry]) => [name, entry.command]), [['__proto__', 'a'], ['constructor', 'b']]);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.equal(Object.getPrototypeOf(value.x), Object.prototype);
  });

  it('parses what Codex configs contain', () => {
    const { value, tables } = parseToml(
      [
        '# Codex',
        'model = "o3"',
        "approval_policy = 'on-request'",
        'count = 1_000',
        'hex = 0xff',
        'ratio = 1.5e3',
        'neg = -inf',
        'when = 1979-05-27T07:32:00Z',
        'day = 1979-05-27',
        'multi = """',
        'one \\',
        '   two"""',
        'raw = \'\'\'C:\\path\'\'\'',
        '',
        '[mcp_servers."quoted name"]',
        'command = "npx"',
        'args = [',
        '  "-y", # comment',
        '  "pkg",',
        ']',
        'env = { KEY = "v", "b.c" = "\\u00e9" }',
        'tool.timeout = 5',
        '',
        '[[profiles.list]]',
        'a = true',
        '[[profiles.list]]',
        'a = false',
      ].join('\n'),
    );
    assert.equal(value.model, 'o3');
    assert.equal(value.approval_policy, 'on-request');
    assert.deepEqual([value.count, value.hex, value.ratio, value.neg], [1000, 255, 1500, -Infinity]);
    assert.deepEqual([value.when, value.day], ['1979-05-27T07:32:00Z', '1979-05-27']);
    assert.equal(value.multi, 'one two');
    assert.equal(value.raw, 'C:\\path');
    assert.deepEqual((value.mcp_servers as Record<string, unknown>)['quoted name'], { command: 'npx', args: ['-y', 'pkg'], env: { KEY: 'v', 'b.c': 'é' }, tool: { timeout: 5 } });
    assert.deepEqual(value.profiles, { list: [{ a: true }, { a: false }] });
    assert.deepEqual(tables.map((t) => t.path.join('.')), ['mcp_servers.quoted name', 'profiles.list', 'profiles.list']);
  });

  it('reports where a file does not parse', () => {
    const cases: [string, number, number, RegExp][] = [
      ['a = "open\n', 1, 10, /line break/],
      ['[t]\nx = 1\n[t]\n', 3, 4, /defined twice/],
      ['a = 1\na = 2\n', 2, 6, /defined twice/],
      ['a = [1, 2\n', 2, 1, /"," or "]"/],
      ['a = 1 b = 2\n', 1, 7, /end of the line/],
      ['= 1\n', 1, 1, /expected a key/],
      ['a = \\q\n', 1, 5, /expected a value/],
    ];
    for (const [text, line, column, reason] of cases) {
      assert.throws(() => parseToml(text), (error: unknown) => error instanceof TomlError && error.line === line && error.column === column && reason.test(error.reason), JSON.stringify(text));
    }
  });

  it('inserts and removes whole [mcp_servers.<name>] blocks in place', () => {
    const text = 'model = "o3"\n\n[mcp_servers.docs]\ncommand = "npx"\n\n[mcp_servers.docs.env]\nK = "v"\n\n# fast\n[profiles.fast]\nmodel = "o4-mini"\n';
    const added = tomlConfigFormat.setEntry(text, '1mcp', { url: 'http://x/mcp', headers: { A: 'b' }, args: ['1'] });
    assert.equal(added, `${text}\n[mcp_servers.1mcp]\nurl = "http://x/mcp"\nheaders = { A = "b" }\nargs = ["1"]\n`);
    assert.equal(tomlConfigFormat.setEntry(added, '1mcp', { url: 'http://y/mcp' }), `${text}\n[mcp_servers.1mcp]\nurl = "http://y/mcp"\n`);
    const { text: without, saved } = tomlConfigFormat.removeEntries(added, ['1mcp', 'docs']);
    assert.equal(without, 'model = "o3"\n\n# fast\n[profiles.fast]\nmodel = "o4-mini"\n');
    assert.equal(saved.docs, '[mcp_servers.docs]\ncommand = "npx"\n[mcp_servers.docs.env]\nK = "v"\n');
    assert.deepEqual(parseToml(tomlConfigFormat.restoreEntries(without, { docs: saved.docs ?? '' })).value.mcp_servers, { docs: { command: 'npx', env: { K: 'v' } } });
    assert.throws(() => tomlConfigFormat.setEntry('mcp_servers.1mcp.url = "x"\n', '1mcp', ENTRY), /written inline/);
  });
});

describe('client table', () => {
  it('knows each client by id, with its file per platform', () => {
    const at = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}) => ({ home: '/h', platform, env });
    assert.equal(findClient(' Cursor ')?.name, 'Cursor');
    assert.equal(findClient('vim'), undefined);
    const files = Object.fromEntries(CLIENTS.map((c) => [c.id, c.file(at('linux'))]));
    assert.deepEqual(files, {
      'claude-code': '/h/.claude.json',
      cursor: '/h/.cursor/mcp.json',
      windsurf: '/h/.codeium/windsurf/mcp_config.json',
      'gemini-cli': '/h/.gemini/settings.json',
      codex: '/h/.codex/config.toml',
      'claude-desktop': '/h/.config/Claude/claude_desktop_config.json',
    });
    assert.equal(findClient('claude-desktop')?.file(at('darwin')), '/h/Library/Application Support/Claude/claude_desktop_config.json');
    assert.equal(findClient('claude-desktop')?.file(at('win32', { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' })), 'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    assert.equal(findClient('codex')?.file(at('linux', { CODEX_HOME: '/c' })), '/c/config.toml');
    assert.equal(findClient('claude-code')?.file(at('linux', { CLAUDE_CONFIG_DIR: '/cc' })), '/cc/.claude.json');
  });

  it("turns each client's own server entries into mcp.json entries", () => {
    const entry = (id: string, raw: Record<string, unknown>) => findClient(id)?.toAgentEntry(raw);
    assert.deepEqual(entry('windsurf', { serverUrl: 'https://x/mcp', headers: { A: 'b' } }), { headers: { A: 'b' }, url: 'https://x/mcp' });
    assert.deepEqual(entry('gemini-cli', { httpUrl: 'https://x/mcp' }), { url: 'https://x/mcp', type: 'http' });
    assert.deepEqual(entry('gemini-cli', { url: 'https://x/sse' }), { url: 'https://x/sse', type: 'sse' });
    assert.deepEqual(entry('codex', { url: 'https://x/mcp', bearer_token_env_var: 'TOKEN', http_headers: { A: 'b' } }), { url: 'https://x/mcp', headers: { A: 'b', Authorization: 'Bearer ${env:TOKEN}' } });
    assert.deepEqual(entry('claude-code', { type: 'stdio', command: 'npx', args: ['x'], env: {} }), { type: 'stdio', command: 'npx', args: ['x'], env: {} });
  });
});
