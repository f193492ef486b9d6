import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectClient, fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';

const MEMORY_SERVER = path.resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

describe('advertised capabilities', () => {
  let running: RunningAgent;

  before(async () => {
    running = await startAgent({
      mcpServers: {
        memory: { command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: path.join(os.tmpdir(), 'onemcp-test-memory.jsonl') }, tags: ['mem'] },
        alpha: fixtureEntry('alpha', { tags: ['full'] }),
      },
    });
    await settled(running.agent);
  });
  after(async () => running?.close());

  it('advertises only what the selected backends offer', async () => {
    // The published memory server offers tools and resources, but no prompts, completions or logging.
    const memory = await connectClient(`${running.url}?tags=mem`);
    const caps = memory.getServerCapabilities() ?? {};
    assert.deepEqual(Object.keys(caps).sort(), ['resources', 'tools']);
    assert.ok((await memory.listTools()).tools.some((t) => t.name === 'memory_1mcp_read_graph'));
    await memory.close();

    const full = await connectClient(`${running.url}?tags=full`);
    assert.deepEqual(Object.keys(full.getServerCapabilities() ?? {}).sort(), ['completions', 'logging', 'prompts', 'resources', 'tools']);
    await full.close();
  });
});
