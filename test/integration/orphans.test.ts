// A process serving the agent that dies without closing (SIGKILL, a crashed extension host) leaves no
// backend process behind: the reaper ends their process groups.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { connectClient, firstText, fixtureEntry, isAlive, tempDir, waitFor } from '../helpers/harness';

const AGENT_PROCESS = path.join(__dirname, '..', 'fixtures', 'agentProcess.ts');

describe('no leftovers', { skip: process.platform === 'win32' ? 'process groups are POSIX' : false }, () => {
  it('ends the backends (and what they started) of an agent killed with SIGKILL', async () => {
    const dir = await tempDir();
    const pidFile = path.join(dir, 'grandchild.pid');
    const fixture = fixtureEntry('one');
    // The backend starts a grandchild that ignores stdin, as `npx` wrappers and shells do.
    const command = `sleep 600 & echo $! > '${pidFile}'; exec ${[fixture.command, ...(fixture.args as string[])].map((a) => `'${String(a)}'`).join(' ')}`;
    const configPath = path.join(dir, 'mcp.json');
    await fs.writeFile(configPath, JSON.stringify({ mcpServers: { one: { command: '/bin/sh', args: ['-c', command], env: fixture.env } } }));
    const child = spawn(process.execPath, ['--import', 'tsx', AGENT_PROCESS, configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const endpoint = await waitFor(() => /listening (\S+)/.exec(output)?.[1], 'the agent to listen');
      const backendPid = await waitFor(async () => {
        const client = await connectClient(endpoint);
        try {
          const text = firstText(await client.callTool({ name: 'one_1mcp_pid', arguments: {} }));
          return /^\d+$/.test(text) ? Number(text) : undefined;
        } catch {
          return undefined;
        } finally {
          await client.close();
        }
      }, 'the backend to answer');
      const grandchild = Number(await fs.readFile(pidFile, 'utf8'));
      assert.ok(isAlive(backendPid) && isAlive(grandchild));

      child.kill('SIGKILL');
      await waitFor(() => !isAlive(backendPid) && !isAlive(grandchild), 'the backend and its grandchild to end');
    } finally {
      child.kill('SIGKILL');
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
