// In-place edits of mcp.json's servers: only the changed lines move, bad changes write nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { addServer, editInventory, removeServer, setServerDisabled, setToolDisabled } from '../../src/core/config/inventoryEdits';
import { tempDir } from '../helpers/harness';

const COMMENTED = `// my servers, by hand
{
  "mcpServers": {
    // the one I use most
    "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home"] }, // one line
    "search": {
      "url": "https://search.example/mcp", /* team key */
      "headers": { "X-Key": "\${env:SEARCH_KEY}" },
      "tags": ["web"]
    }
  },
  "presets": { "web": ["web"] }
}
`;

describe('inventory edits', () => {
  it('add, disable, disable a tool, enable, remove: each touches only its lines, and undoing them gives the file back', () => {
    const added = addServer(COMMENTED, 'memory', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], tags: ['kb'] });
    assert.ok(added.startsWith(COMMENTED.slice(0, COMMENTED.indexOf('    }\n  },'))), 'everything before the new entry is as it was');
    assert.match(added, /\n {4}"memory": \{\n {6}"command": "npx",/);
    const disabled = setServerDisabled(added, 'files', true);
    assert.ok(disabled.includes('"files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home"], "disabled": true }, // one line'));
    const tool = setToolDisabled(disabled, 'search', 'delete_index', true);
    assert.ok(tool.includes('      "tags": ["web"],\n      "disabledTools": ["delete_index"]\n'), tool);
    assert.ok(setToolDisabled(tool, 'search', 'reindex', true).includes('"disabledTools": ["delete_index", "reindex"]'));
    const back = removeServer(setToolDisabled(setServerDisabled(tool, 'files', false), 'search', 'delete_index', false), 'memory');
    assert.equal(back, COMMENTED);
  });

  it('refuses a name that exists and names it; unknown names list the servers there are', () => {
    assert.throws(() => addServer(COMMENTED, 'files', { command: 'x' }), { name: 'InventoryError', code: 'EXISTS', message: /"files" is already in the config/ });
    for (const change of [(t: string) => removeServer(t, 'nope'), (t: string) => setServerDisabled(t, 'nope', true), (t: string) => setToolDisabled(t, 'nope', 'x', true)]) {
      assert.throws(() => change(COMMENTED), { code: 'UNKNOWN_SERVER', message: 'No server named "nope" in the config. Its servers: files, search' });
    }
    assert.throws(() => removeServer('', 'x'), /It has no servers yet/);
  });

  it('writes atomically with a backup, writes nothing for a change that fails, makes it invalid or changes nothing, and keeps the last 10 backups', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'mcp.json');
    await fs.writeFile(file, COMMENTED);
    const first = await editInventory(file, (t) => setServerDisabled(t, 'files', true));
    assert.equal(first.changed, true);
    assert.equal(await fs.readFile(first.backup ?? '', 'utf8'), COMMENTED);
    const written = await fs.readFile(file, 'utf8');

    await assert.rejects(editInventory(file, (t) => addServer(t, 'files', { command: 'x' })), { code: 'EXISTS' });
    await assert.rejects(editInventory(file, (t) => addServer(t, 'bad name', { command: 'x' })), { code: 'INVALID', message: /server "bad name": invalid name/ });
    await assert.rejects(editInventory(file, (t) => addServer(t, 'x', { url: 'https://x.example', tags: ['no spaces'] })), { message: /server "x", field "tags\[0\]"/ });
    assert.deepEqual(await editInventory(file, (t) => setServerDisabled(t, 'files', true)), { changed: false });
    assert.equal(await fs.readFile(file, 'utf8'), written);
    assert.equal((await fs.readdir(dir)).length, 2, 'the file and one backup');

    for (let i = 0; i < 12; i++) await editInventory(file, (t) => setServerDisabled(t, 'files', i % 2 === 1));
    const backups = (await fs.readdir(dir)).filter((f) => f.startsWith('mcp.json.bak-'));
    assert.equal(backups.length, 10);
  });

  it('edits a config that is invalid elsewhere without adding problems, and refuses one that does not parse', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'mcp.json');
    const broken = '{ "mcpServers": { "old": { "args": [] }, "ok": { "command": "x" } } }';
    await fs.writeFile(file, broken);
    await editInventory(file, (t) => removeServer(t, 'old'));
    assert.equal(await fs.readFile(file, 'utf8'), '{ "mcpServers": { "ok": { "command": "x" } } }');
    await fs.writeFile(file, '{ "mcpServers": { "ok": { "command": "x" }, }');
    await assert.rejects(editInventory(file, (t) => setServerDisabled(t, 'ok', true)), { name: 'ConfigError', code: 'CONFIG_PARSE' });
  });
});
