/**
 * The benchmark's backend: an SDK MCP server whose `echo` tool returns its input, whose `blob` tool
 * returns a text of the size asked for (a large result, as a screenshot or a file read is), plus
 * `BENCH_TOOLS` filler tools (with input and output schemas, as SDK servers write them) so the aggregate
 * can have big lists.
 *
 * Run as a script it serves over stdio; with `--http <count>` it hosts `count` such servers over
 * streamable HTTP (stateful sessions) on one 127.0.0.1:0 listener, at `/<i>/mcp`, and prints their URLs
 * as one JSON line on stdout; they answer with event streams, or with JSON bodies given `--json`. One
 * process holds them all: a hundred child processes take seconds to start on two cores.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod';

const blobs = new Map<number, string>();

/** `bytes` characters of base64, made once per size: the backend's own cost stays out of the measurement. */
function blob(bytes: number): string {
  let text = blobs.get(bytes);
  if (text === undefined) {
    text = randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64').slice(0, bytes);
    blobs.set(bytes, text);
  }
  return text;
}

/** Tools every echo server has besides its filler tools: `echo` and `blob`. */
export const OWN_TOOLS = 2;

export function createEchoServer(fillerTools: number): McpServer {
  const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Returns its input', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool('blob', { description: 'Returns a text of the given size', inputSchema: { bytes: z.number().int().nonnegative() } }, async ({ bytes }) => ({
    content: [{ type: 'text', text: blob(bytes) }],
  }));
  for (let i = 0; i < fillerTools; i++) {
    server.registerTool(
      `tool_${i}`,
      {
        description: `Filler tool number ${i}, here to make the tool list as long as a real server's`,
        inputSchema: { text: z.string(), count: z.number().optional() },
        outputSchema: { text: z.string(), length: z.number() },
      },
      async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { text, length: text.length } }),
    );
  }
  return server;
}

/** Something that serves one MCP session over a transport: an SDK `McpServer` or `Server`. */
type ServerFactory = () => { connect(transport: StreamableHTTPServerTransport): Promise<void> };

/**
 * Serves one MCP server per factory, each with its own stateful sessions, under `/<i>/mcp` of one
 * listener; `json` makes them answer requests with JSON bodies instead of event streams.
 */
export async function serveHttp(factories: readonly ServerFactory[], json = false): Promise<{ urls: string[]; server: http.Server }> {
  const count = factories.length;
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const index = Number(/^\/(\d+)\/mcp$/.exec(req.url ?? '')?.[1] ?? -1);
    if (!(index >= 0 && index < count)) {
      res.writeHead(404).end();
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      if (id !== undefined) {
        res.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, enableJsonResponse: json, onsessioninitialized: (sid) => void sessions.set(sid, created) });
      created.onclose = () => void (created.sessionId && sessions.delete(created.sessionId));
      transport = created;
      await factories[index]?.().connect(created);
    }
    await transport.handleRequest(req, res);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { urls: Array.from({ length: count }, (_, i) => `http://127.0.0.1:${port}/${i}/mcp`), server };
}

if (require.main === module) {
  const fillerTools = Number(process.env.BENCH_TOOLS ?? 0);
  const httpIndex = process.argv.indexOf('--http');
  if (httpIndex >= 0) {
    const echoes = Array.from({ length: Number(process.argv[httpIndex + 1] ?? 1) }, () => () => createEchoServer(fillerTools));
    void serveHttp(echoes, process.argv.includes('--json')).then(({ urls }) => process.stdout.write(`${JSON.stringify({ urls })}\n`));
  } else {
    void createEchoServer(fillerTools).connect(new StdioServerTransport());
  }
}
