import * as path from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BUILT_CLI } from './harness';

/** `onemcp proxy` as a stdio client starts it, with its config folder in `home`; its stderr is collected. */
export function bridgeTransport(url: string, home: string, extraArgs: readonly string[] = []): { transport: StdioClientTransport; stderr: () => string } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_CLI, 'proxy', '--url', url, '--no-browser', ...extraArgs],
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { transport, stderr: () => stderr };
}
