// The MCP Inspector's CLI, a third-party client, against the agent: pinned to MCP 2026-07-28
// (`--protocol-era modern`: server/discover, then stateless requests) and in the handshake era.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startModernBackend } from '../fixtures/modernBackend';
import { fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';
import { INSPECTOR, NODE24_BIN, inspectorUnavailable } from './harness/tools';

const run = promisify(execFile);
const skip = inspectorUnavailable();

void describe('the MCP Inspector CLI through the agent', { skip }, () => {
  let running: RunningAgent;
  let web: Awaited<ReturnType<typeof startModernBackend>>;
  let home: string;

  before(async () => {
    web = await startModernBackend('web');
    running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha'), web: { url: web.url } } });
    await settled(running.agent);
    home = mkdtempSync(path.join(os.tmpdir(), 'onemcp-inspector-'));
  });

  after(async () => {
    await running?.close();
    await web?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs the CLI with its own Node and a throwaway home; returns its JSON output. */
  const inspector = async (era: 'modern' | 'legacy', ...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(path.join(NODE24_BIN, 'node'), [INSPECTOR, '--cli', running.url, '--protocol-era', era, ...args], {
      env: { PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`, HOME: home },
      timeout: 60_000,
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  const text = (result: Record<string, unknown>): string | undefined => (result.content as { text?: string }[] | undefined)?.[0]?.text;

  void it('lists the tools of a handshake-era and a modern-only backend in 2026-07-28', async () => {
    const names = ((await inspector('modern', '--method', 'tools/list')).tools as { name: string }[]).map((t) => t.name);
    assert.ok(names.includes('alpha_1mcp_echo') && names.includes('web_1mcp_echo'), names.join());
  });

  void it('calls tools, gets a prompt and reads a resource in 2026-07-28', async () => {
    assert.equal(text(await inspector('modern', '--method', 'tools/call', '--tool-name', 'alpha_1mcp_echo', '--tool-arg', 'text=hi')), 'alpha: hi');
    assert.equal(text(await inspector('modern', '--method', 'tools/call', '--tool-name', 'web_1mcp_echo', '--tool-arg', 'text=hi')), 'web: hi');
    const prompt = await inspector('modern', '--method', 'prompts/get', '--prompt-name', 'web_1mcp_greet', '--prompt-args', 'who=Ada');
    assert.deepEqual((prompt.messages as { content: unknown }[])[0]?.content, { type: 'text', text: 'Hello Ada from web' });
    const read = await inspector('modern', '--method', 'resources/read', '--uri', 'fixture://info');
    assert.equal((read.contents as { text?: string }[])[0]?.text, 'info from alpha');
  });

  void it('still works in the handshake era', async () => {
    assert.equal(text(await inspector('legacy', '--method', 'tools/call', '--tool-name', 'web_1mcp_echo', '--tool-arg', 'text=old')), 'web: old');
  });
});
