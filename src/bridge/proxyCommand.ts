import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { envelopeOf } from '../core/backends/jsonEnvelope';
import { LineReader } from '../core/backends/lineReader';
import { isOversized, MAX_MESSAGE_BYTES } from '../core/backends/messageLimit';
import { defaultConfigPath } from '../core/config/configPath';
import { setUnexpectedErrorHandler } from '../core/event';
import { createStreamLogger, errorMessage, isLogLevel, LOG_LEVELS } from '../core/logger';
import { ENDPOINT_FLAGS, ENDPOINT_USAGE, endpointFromFlags } from '../endpointFlags';
import { UsageError } from '../usageError';
import { AgentLink } from './agentLink';
import { BridgeOAuth } from './bridgeOAuth';
import { openBrowser } from './openBrowser';
import { StdioBridge } from './stdioBridge';

export const PROXY_USAGE = `Usage: onemcp proxy [options]

A stdio MCP server for clients that only start stdio servers: it forwards everything, both ways, to
a running 1MCP agent, and reconnects on its own when the agent restarts. Only protocol messages go
to stdout; its own messages go to stderr. With auth on, it asks you once to approve it (the URL is
printed and opened in your browser) and keeps its sign-in in ${path.join(path.dirname(defaultConfigPath()), 'proxy')}.

Options:
${ENDPOINT_USAGE}
      --no-browser           print the authorization URL without opening a browser
      --log-level <level>    ${LOG_LEVELS.join(' | ')} [ONE_MCP_LOG_LEVEL] (default info)
  -h, --help                 show this help`;

/** How long a message waits for the agent to come back (a window taking over needs about 2 s). */
const WAIT_FOR_AGENT_MS = 10_000;
const APPROVAL_TIMEOUT_MS = 10 * 60_000;

/** `onemcp proxy`: runs until the client closes stdin. */
export async function runProxyCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...ENDPOINT_FLAGS, 'no-browser': { type: 'boolean' }, 'log-level': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stderr.write(`${PROXY_USAGE}\n`);
    return 0;
  }
  const level = values['log-level'] ?? env.ONE_MCP_LOG_LEVEL ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const url = new URL(endpointFromFlags(values, env));
  const logger = createStreamLogger(level);
  setUnexpectedErrorHandler((error) => logger.error(`Unexpected error: ${errorMessage(error)}`));

  const oauth = new BridgeOAuth({
    url,
    folder: path.dirname(defaultConfigPath(env)),
    logger,
    approvalTimeoutMs: APPROVAL_TIMEOUT_MS,
    showAuthorizationUrl: (authorizationUrl, client) => {
      process.stderr.write(`\n1MCP: approve "${client}" to use the agent, in VS Code or on the dashboard. Authorization page:\n${authorizationUrl}\n\n`);
      if (!values['no-browser']) openBrowser(authorizationUrl);
    },
  });
  const send = (message: JSONRPCMessage): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
  const bridge = new StdioBridge({
    link: new AgentLink(url, oauth),
    send,
    logger,
    waitForAgentMs: WAIT_FOR_AGENT_MS,
    onInitialize: (params) => oauth.setClient(params?.clientInfo as { name?: unknown; title?: unknown } | undefined),
  });
  logger.info(`Forwarding stdio to ${url.href}`);
  const refuse = (id: RequestId | null, code: number, message: string): void => send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  // The MCP stdio framing, read in linear time and within the agent's message limit.
  const lines = new LineReader(false);
  process.stdin.on('data', (chunk: Buffer) => {
    for (const line of lines.push(chunk)) {
      if (isOversized(line)) {
        refuse(envelopeOf(line.head, line.tail).id ?? null, -32600, `Invalid Request: a message over ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`);
        continue;
      }
      const text = line.toString('utf8');
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        refuse(null, -32700, 'Parse error: a line on stdin is not JSON');
        continue;
      }
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) bridge.receive(message as JSONRPCMessage);
    }
  });

  return new Promise((resolve) => {
    let closing = false;
    const stop = (): void => {
      if (closing) return;
      closing = true;
      void bridge.close().then(() => resolve(0), () => resolve(0));
    };
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
    // The client went away without closing our stdin first.
    process.stdout.on('error', stop);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
