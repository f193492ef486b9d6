/** Shared test plumbing: real agents on port 0, real fixture backends, real SDK clients. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Agent, type AgentOptions } from '../../src/core/agent';
import { createStreamLogger } from '../../src/core/logger';
import type { BackendState } from '../../src/core/state/agentState';
import { createTestServer } from '../fixtures/testServer';
import { serveOnLoopback } from './loopback';

export const FIXTURE_SERVER = path.resolve(__dirname, '..', 'fixtures', 'testServer.ts');
/** The built CLI (`npm test` builds it first), run as users run `onemcp`. */
export const BUILT_CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
export const EVERYTHING_SERVER = path.resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

/** A config entry that runs the SDK fixture server over stdio. */
export function fixtureEntry(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: ['--import', 'tsx', FIXTURE_SERVER], env: { FIXTURE_NAME: name }, ...extra };
}

/** A config entry that runs the published reference server `@modelcontextprotocol/server-everything`. */
export function everythingEntry(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'], ...extra };
}

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-test-'));
}

export interface RunningAgent {
  readonly agent: Agent;
  readonly url: string;
  readonly base: string;
  readonly configPath: string;
  readonly logs: string[];
  close(): Promise<void>;
}

/** Writes `config` to a temp mcp.json and starts a real agent on 127.0.0.1:0. */
export async function startAgent(config: object, options: Partial<AgentOptions> = {}): Promise<RunningAgent> {
  const dir = await tempDir();
  const configPath = path.join(dir, 'mcp.json');
  await fs.writeFile(configPath, JSON.stringify(config, null, 2));
  const logs: string[] = [];
  const agent = new Agent({ configPath, port: 0, logger: createStreamLogger('debug', (line) => logs.push(line)), ...options });
  await agent.start();
  const url = agent.endpoint ?? '';
  return {
    agent,
    url,
    base: url.replace(/\/mcp$/, ''),
    configPath,
    logs,
    close: async () => {
      await agent.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `condition` holds (tests wait on state, never on time). */
export async function waitFor<T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until no backend is still connecting, and returns their states by name. */
export async function settled(agent: Agent): Promise<Record<string, BackendState>> {
  await waitFor(() => agent.state.backends.every((b) => b.status !== 'connecting'), 'backends to settle');
  return Object.fromEntries(agent.state.backends.map((b) => [b.name, b]));
}

/** An SDK client connected to `url` over streamable HTTP. */
export async function connectClient(url: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** What serves one backend session: the SDK fixture by default, or another real server (`connect`). */
type BackendFactory = (name: string) => { connect(transport: Transport): Promise<void> };

/**
 * The fixture server (or `create`'s) over streamable HTTP (stateful sessions) on 127.0.0.1:0, in this
 * process; `json`: it answers requests with JSON bodies instead of event streams; `authorization`: it
 * answers 403 to requests without exactly this Authorization header (an API key, not OAuth).
 */
export async function startHttpBackend(
  name: string,
  { json = false, create = createTestServer, authorization }: { json?: boolean; create?: BackendFactory; authorization?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  if (authorization !== undefined) {
    app.use((req, res, next) => (req.header('authorization') === authorization ? next() : void res.status(403).json({ error: 'wrong API key' })));
  }
  app.use(express.json());
  const transports = new Map<string, StreamableHTTPServerTransport>();
  app.all('/mcp', async (req, res) => {
    const id = req.header('mcp-session-id');
    let transport = id ? transports.get(id) : undefined;
    if (!transport) {
      if (id) {
        res.status(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, enableJsonResponse: json, onsessioninitialized: (sid) => void transports.set(sid, created) });
      transport = created;
      await create(name).connect(created);
    }
    await transport.handleRequest(req, res, req.body);
  });
  const { base, close } = await serveOnLoopback(app);
  return {
    url: `${base}/mcp`,
    close: () => {
      for (const t of transports.values()) void t.close();
      return close();
    },
  };
}

/** The fixture server (or `create`'s) over the legacy HTTP+SSE transport only (GET /sse, POST /messages), in this process. */
export async function startSseBackend(name: string, { create = createTestServer }: { create?: BackendFactory } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  const transports = new Map<string, SSEServerTransport>();
  app.get('/sse', async (_req, res) => {
    const transport = new SSEServerTransport('/messages', res);
    transports.set(transport.sessionId, transport);
    await create(name).connect(transport);
  });
  app.post('/messages', express.json(), async (req, res) => {
    const transport = transports.get(String(req.query.sessionId));
    if (!transport) res.status(404).end();
    else await transport.handlePostMessage(req, res, req.body);
  });
  const { base, close } = await serveOnLoopback(app);
  return { url: `${base}/sse`, close };
}

/** Text of the first content item of a tool result. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}

/** Whether a process with this pid is still running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
