// `onemcp connect` / `disconnect` for every client, through the built CLI in a throwaway HOME: the
// rest of each file is kept (comments, tables, layout), disconnect restores the original bytes, and an
// entry written for a stdio-only client really starts the bridge.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse as parseJsonc } from 'jsonc-parser';
import { parseToml } from '../../src/core/clients/toml';
import { BUILT_CLI, fixtureEntry, settled, startAgent } from '../helpers/harness';

const URL_3050 = 'http://127.0.0.1:3050/mcp';

function freshHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'onemcp-home-'));
}

function onemcp(home: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BUILT_CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(home: string, file: string, text: string): string {
  const full = path.join(home, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** A client's file as that client would read it. */
function read(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  return (file.endsWith('.toml') ? parseToml(text).value : parseJsonc(text, [], { allowTrailingComma: true })) as Record<string, unknown>;
}

interface Case {
  readonly client: string;
  readonly file: string;
  readonly original: string;
  /** Our entry as the client reads it. */
  readonly entry: unknown;
  /** Text that proves the layout survived (comments, a one-line entry…). */
  readonly kept: readonly string[];
  /** The client (or the user) changes something else in the file while connected. */
  readonly change: [string, string];
  /** Strict JSON readers (JSON.parse) must still read the file. */
  readonly strictJson?: boolean;
}

const CASES: Case[] = [
  {
    client: 'claude-code',
    file: '.claude.json',
    original: `${JSON.stringify({ numStartups: 3, theme: 'dark', mcpServers: { memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} } }, projects: { '/w/app': { mcpServers: {} } } }, null, 2)}\n`,
    entry: { type: 'http', url: URL_3050 },
    kept: ['"numStartups": 3', '"/w/app"'],
    change: ['"numStartups": 3', '"numStartups": 4'],
    strictJson: true,
  },
  {
    client: 'cursor',
    file: '.cursor/mcp.json',
    original: '{\n\t// servers for every project\n\t"mcpServers": {\n\t\t"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // one line\n\t}\n}\n',
    entry: { url: URL_3050 },
    kept: ['// servers for every project', '"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // one line'],
    change: ['// servers for every project', '// servers everywhere'],
  },
  {
    client: 'windsurf',
    file: '.codeium/windsurf/mcp_config.json',
    original: '{\n    "mcpServers": {\n        "remote": {\n            "serverUrl": "https://example.com/mcp"\n        }\n    }\n}',
    entry: { serverUrl: URL_3050 },
    kept: ['        "remote": {\n            "serverUrl": "https://example.com/mcp"\n        }'],
    change: ['https://example.com/mcp', 'https://example.org/mcp'],
    strictJson: true,
  },
  {
    client: 'gemini-cli',
    file: '.gemini/settings.json',
    original: '{\n  "theme": "GitHub", // my theme\n  "selectedAuthType": "gemini-api-key"\n}\n',
    entry: { httpUrl: URL_3050 },
    kept: ['"theme": "GitHub", // my theme'],
    change: ['"GitHub"', '"Dracula"'],
  },
  {
    client: 'codex',
    file: '.codex/config.toml',
    original: 'model = "o3" # favourite\n\n[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs-mcp"]\n\n[mcp_servers.docs.env]\nKEY = "v"\n\n# a profile\n[profiles.fast]\nmodel = "o4-mini"\n',
    entry: { url: URL_3050 },
    kept: ['[mcp_servers.docs.env]\nKEY = "v"\n\n# a profile\n[profiles.fast]'],
    change: ['"o4-mini"', '"o4"'],
  },
];

describe('onemcp connect / disconnect, each client in a throwaway HOME', () => {
  for (const c of CASES) {
    it(`${c.client}: connect keeps the rest of the file; disconnect restores its bytes, or removes only our entry after other changes`, () => {
      const home = freshHome();
      const file = write(home, c.file, c.original);
      const connected = onemcp(home, 'connect', c.client);
      assert.equal(connected.status, 0, connected.stderr);
      const text = readFileSync(file, 'utf8');
      for (const kept of c.kept) assert.ok(text.includes(kept), `kept ${JSON.stringify(kept)} in:\n${text}`);
      if (c.strictJson) JSON.parse(text);
      const servers = (c.client === 'codex' ? read(file).mcp_servers : read(file).mcpServers) as Record<string, unknown>;
      assert.deepEqual(servers['1mcp'], c.entry);
      assert.match(onemcp(home, 'connect').stdout, new RegExp(`${c.client} .* connected -> ${URL_3050.replace(/[.?]/g, '\\$&')}`));

      assert.equal(onemcp(home, 'disconnect', c.client).status, 0);
      assert.equal(readFileSync(file, 'utf8'), c.original, 'restored byte for byte');

      // Connected again; then something else changes the file: disconnect takes out exactly our lines.
      assert.equal(onemcp(home, 'connect', c.client).status, 0);
      writeFileSync(file, readFileSync(file, 'utf8').replace(...c.change));
      const disconnected = onemcp(home, 'disconnect', c.client);
      assert.equal(disconnected.status, 0, disconnected.stderr);
      assert.match(disconnected.stdout, /removed "1mcp"/);
      assert.equal(readFileSync(file, 'utf8'), c.original.replace(...c.change));
    });
  }

  it('claude-desktop: a stdio entry with absolute paths that starts the bridge to the agent', async () => {
    const running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha') } });
    await settled(running.agent);
    const home = freshHome();
    try {
      const original = '{\n  "globalShortcut": "Ctrl+Space"\n}\n';
      const file = write(home, '.config/Claude/claude_desktop_config.json', original);
      assert.equal(onemcp(home, 'connect', 'claude-desktop', '--url', running.url).status, 0);
      const entry = (read(file).mcpServers as Record<string, { command: string; args: string[]; env?: Record<string, string> }>)['1mcp'];
      assert.ok(entry && path.isAbsolute(entry.command) && path.isAbsolute(entry.args[0] ?? ''), JSON.stringify(entry));
      assert.equal(path.basename(entry.args[0] ?? ''), 'proxy.js');
      assert.deepEqual(entry.args.slice(1), ['--url', running.url]);

      // Start it the way Claude Desktop does: that command line, no shell.
      const client = new Client({ name: 'claude-ai', version: '1' });
      await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { HOME: home }, stderr: 'ignore' }));
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'alpha_1mcp_echo'));
      await client.close();

      assert.equal(onemcp(home, 'disconnect', 'claude-desktop').status, 0);
      assert.equal(readFileSync(file, 'utf8'), original);
    } finally {
      await running.close();
    }
  });

  it('moves the servers it can run into mcp.json and puts them back on disconnect', () => {
    const home = freshHome();
    const original = `${JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] }, odd: { transport: 'carrier-pigeon' } } }, null, 2)}\n`;
    const file = write(home, '.cursor/mcp.json', original);
    const agentConfig = write(home, 'agent/mcp.json', '{\n  // mine\n  "mcpServers": {\n    "memory": { "url": "http://elsewhere/mcp" }\n  }\n}\n');
    const moved = onemcp(home, 'connect', 'cursor', '--move-servers', '--config', agentConfig);
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.stdout, /Moved into .*: memory \(as memory-2\)/);
    assert.match(moved.stdout, /Left in Cursor \(not movable\): odd/);
    assert.deepEqual(Object.keys(read(file).mcpServers as object), ['odd', '1mcp']);
    const agent = read(agentConfig).mcpServers as Record<string, unknown>;
    assert.deepEqual(agent['memory-2'], { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });
    assert.match(readFileSync(agentConfig, 'utf8'), /\/\/ mine/);

    writeFileSync(file, readFileSync(file, 'utf8').replace('carrier-pigeon', 'owl'));
    assert.match(onemcp(home, 'disconnect', 'cursor').stdout, /put back: memory/);
    assert.deepEqual(read(file).mcpServers, { odd: { transport: 'owl' }, memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } });
  });

  it('moves Codex tables (with their sub-tables) as they were written', () => {
    const home = freshHome();
    const original = CASES.find((c) => c.client === 'codex')?.original ?? '';
    const file = write(home, '.codex/config.toml', original);
    const agentConfig = path.join(home, 'agent', 'mcp.json');
    assert.equal(onemcp(home, 'connect', 'codex', '--move-servers', '--config', agentConfig).status, 0);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('docs') && text.includes('[profiles.fast]'), text);
    assert.deepEqual((read(agentConfig).mcpServers as Record<string, unknown>).docs, { command: 'npx', args: ['-y', 'docs-mcp'], env: { KEY: 'v' } });
    writeFileSync(file, text.replace('"o4-mini"', '"o4"'));
    assert.equal(onemcp(home, 'disconnect', 'codex').status, 0);
    assert.deepEqual(read(file).mcp_servers, { docs: { command: 'npx', args: ['-y', 'docs-mcp'], env: { KEY: 'v' } } });
  });

  it('refuses what it must not touch, saying why', () => {
    const home = freshHome();
    const unknown = onemcp(home, 'connect', 'notepad');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown client "notepad"\. Known clients: claude-code, cursor, windsurf, gemini-cli, codex, claude-desktop/);

    const broken = '{\n  "mcpServers": {\n    "a": { "url": "x" }\n    "b": 1\n}\n';
    const file = write(home, '.cursor/mcp.json', broken);
    const refused = onemcp(home, 'connect', 'cursor');
    assert.equal(refused.status, 1);
    assert.ok(refused.stderr.includes(`${file}:4:5:`), refused.stderr);
    assert.equal(readFileSync(file, 'utf8'), broken, 'left untouched');
    const toml = write(home, '.codex/config.toml', '[mcp_servers.a]\ncommand = "x\n');
    assert.ok(onemcp(home, 'connect', 'codex').stderr.includes(`${toml}:2:`));

    const missing = onemcp(home, 'connect', 'windsurf');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Windsurf does not seem to be installed.*--create/);
    assert.ok(!existsSync(path.join(home, '.codeium')));
    assert.equal(onemcp(home, 'connect', 'windsurf', '--create', '--port', '4100', '--tags', 'web,db', '--mode', 'search').status, 0);
    const created = path.join(home, '.codeium', 'windsurf', 'mcp_config.json');
    assert.deepEqual(read(created), { mcpServers: { '1mcp': { serverUrl: 'http://127.0.0.1:4100/mcp?tags=web,db&mode=search' } } });
    if (process.platform !== 'win32') assert.equal(statSync(created).mode & 0o777, 0o600);
    assert.equal(onemcp(home, 'disconnect', 'windsurf').status, 0);
    assert.ok(!existsSync(path.join(home, '.codeium')), 'what connect created is gone');

    assert.match(onemcp(home, 'disconnect', 'gemini-cli').stderr, /Gemini CLI is not connected/);
    assert.match(onemcp(home, 'connect', 'cursor', '--url', 'ftp://x', '--port', '1').stderr, /--url, or --host and --port, not both/);
    assert.match(onemcp(home, 'connect', 'cursor', '--tags', 'a', '--preset', 'b').stderr, /only one of --tags, --tag-filter and --preset/);
    assert.match(onemcp(home, 'connect', 'cursor', '--mode', 'lazy').stderr, /--mode must be one of all, search, auto, got "lazy"/);
  });
});
