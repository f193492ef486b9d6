/** MCP clients the benchmark drives: SDK clients over HTTP and stdio, and raw JSON-RPC over fetch and over a pipe. */
import { spawn } from 'node:child_process';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { setMaxListeners } from 'node:events';
import { echoCommand, stop } from './processes';

const CLIENT_INFO = { name: 'bench-client', version: '1.0.0' };

/**
 * The platform fetch, minus Node's MaxListenersExceededWarning: the SDK hands one connection-long signal
 * to every request, and printing a warning per request would load the measurement.
 */
const quietFetch: typeof fetch = (input, init) => {
  if (init?.signal) setMaxListeners(0, init.signal);
  return fetch(input, init);
};

/** The SDK client over streamable HTTP with the platform fetch (as direct clients use it). */
export async function httpClient(url: string): Promise<Client> {
  const client = new Client(CLIENT_INFO);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: quietFetch }));
  return client;
}

/** The SDK v2 client pinned to MCP 2026-07-28 (stateless: one POST per call, the envelope in `_meta`), same fetch. */
export async function modernClient(url: string): Promise<ModernClient> {
  const client = new ModernClient(CLIENT_INFO, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new ModernHttpTransport(new URL(url), { fetch: quietFetch }));
  return client;
}

/** An SDK client over stdio to its own echo backend process. */
export async function stdioClient(): Promise<Client> {
  const client = new Client(CLIENT_INFO);
  await client.connect(new StdioClientTransport({ ...echoCommand(), stderr: 'inherit' }));
  return client;
}

export async function closeAll(clients: readonly { close(): Promise<void> }[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A bare `initialize` POST; resolves with the new session's id. */
export async function initialize(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO } }),
  });
  const sessionId = response.headers.get('mcp-session-id');
  await response.text();
  if (!response.ok || !sessionId) throw new Error(`initialize answered ${response.status} without a session`);
  return sessionId;
}

/** Opens a session as a thin client would: `initialize`, then the `initialized` notification. */
export async function openRawSession(url: string): Promise<string> {
  const sessionId = await initialize(url);
  const sent = await fetch(url, { method: 'POST', headers: sessionHeaders(sessionId), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  await sent.text();
  return sessionId;
}

/** Sends one request in session `sessionId`; resolves with the JSON-RPC response text, from JSON or an event stream. */
export async function rawRequest(url: string, sessionId: string, method: string, params: object = {}): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: sessionHeaders(sessionId), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} answered ${response.status}: ${text.slice(0, 200)}`);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return text;
  const data = text.split('\n').find((l) => l.startsWith('data: '));
  if (data === undefined) throw new Error(`${method} answered an event stream without data`);
  return data.slice('data: '.length);
}

export interface RawStdioSession {
  /** Sends one request; resolves with the response line. */
  request(method: string, params?: object): Promise<string>;
  close(): Promise<void>;
}

/**
 * Bare JSON-RPC over stdio to an echo process of its own, initialized. Each answer is read up to its
 * newline with its chunks joined once (the SDK's stdio client joins them again on every chunk, which
 * would make it the slowest part of a large answer). One request at a time.
 */
export async function openRawStdioSession(): Promise<RawStdioSession> {
  const { command, args, env } = echoCommand();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let chunks: Buffer[] = [];
  const waiting: ((line: string) => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      chunks.push(chunk.subarray(start, end));
      const line = Buffer.concat(chunks).toString('utf8');
      chunks = [];
      start = end + 1;
      waiting.shift()?.(line);
    }
    chunks.push(chunk.subarray(start));
  });
  let id = 0;
  const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const request = (method: string, params: object = {}) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      send({ id: ++id, method, params });
    });
  await request('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO });
  send({ method: 'notifications/initialized' });
  return { request, close: () => stop(child) };
}

function sessionHeaders(sessionId: string): Record<string, string> {
  return { ...HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
}
