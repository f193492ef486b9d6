/**
 * Scenario 5: a large tool result (20 MB) through the agent, per kind of backend, against fetching it
 * straight from an HTTP backend; meanwhile another session makes small calls, and the slowest of them
 * shows how long the big result held the agent's event loop.
 */
import { openRawSession, openRawStdioSession, rawRequest, type RawStdioSession } from './clients';
import { median } from './measure';
import { cpuMs, echoCommand, startAgentProcess, startEchoHost, waitForBackends, type EchoHost } from './processes';

export const LARGE_KINDS = ['stdio', 'httpJson', 'httpSse'] as const;
/** stdio: the backend answers over a pipe; httpJson / httpSse: streamable HTTP answering with a JSON body / an event stream. */
export type LargeKind = (typeof LARGE_KINDS)[number];

export interface LargeResultRow {
  /** Median ms to fetch the result straight from the backend (a pipe of its own for stdio). */
  readonly directMs: number;
  /** Median ms to fetch it through the agent. */
  readonly agentMs: number;
  /** agentMs over directMs. */
  readonly ratio: number;
  /** Median CPU time the agent process spent on it (user + system): what the agent costs, whatever else loads the machine. */
  readonly agentCpuMs: number;
  /** The slowest small call another session made through the agent while the large results passed. */
  readonly worstConcurrentMs: number;
  readonly concurrentCalls: number;
}

export interface LargeResults {
  readonly bytes: number;
  readonly rounds: number;
  readonly byKind: Record<LargeKind, LargeResultRow>;
}

/** Somewhere to call a tool: resolves with the JSON-RPC response's text. */
interface Endpoint {
  readonly name: string;
  call(tool: string, args: object): Promise<string>;
  readonly tool: string;
}

async function httpEndpoint(url: string, tool: string): Promise<Endpoint> {
  const session = await openRawSession(url);
  return { name: url, tool, call: (name, args) => rawRequest(url, session, 'tools/call', { name, arguments: args }) };
}

/**
 * The agent runs as its own process with three backends that return the blob (stdio, HTTP with JSON
 * answers, HTTP with event-stream answers) and a separate stdio echo backend for the small calls, so
 * that those wait on nothing but the agent. Every fetch is raw (a POST, or a line on a pipe) read to its
 * last byte, so the client's own parsing does not count.
 */
export async function benchLargeResults(bytes: number, rounds: number): Promise<LargeResults> {
  const hosts: EchoHost[] = [];
  let pipe: RawStdioSession | undefined;
  const jsonHost = await startEchoHost(1, 0, true).then((h) => (hosts.push(h), h));
  const sseHost = await startEchoHost(1).then((h) => (hosts.push(h), h));
  const jsonUrl = jsonHost.urls[0] ?? '';
  const sseUrl = sseHost.urls[0] ?? '';
  const agent = await startAgentProcess({
    mcpServers: { stdio: echoCommand(), httpJson: { type: 'http', url: jsonUrl }, httpSse: { type: 'http', url: sseUrl }, small: echoCommand() },
  });
  try {
    await waitForBackends(agent.url);
    pipe = await openRawStdioSession();
    const stdio = pipe;
    const direct: Record<LargeKind, Endpoint> = {
      stdio: { name: 'a pipe', tool: 'blob', call: (name, args) => stdio.request('tools/call', { name, arguments: args }) },
      httpJson: await httpEndpoint(jsonUrl, 'blob'),
      httpSse: await httpEndpoint(sseUrl, 'blob'),
    };
    const through = Object.fromEntries(await Promise.all(LARGE_KINDS.map(async (k) => [k, await httpEndpoint(agent.url, `${k}_1mcp_blob`)] as const))) as Record<LargeKind, Endpoint>;
    const small = await httpEndpoint(agent.url, 'small_1mcp_echo');
    for (const kind of LARGE_KINDS) {
      await fetchBlob(direct[kind], bytes);
      await fetchBlob(through[kind], bytes);
    }
    const samples = new Map(LARGE_KINDS.map((k) => [k, { direct: [] as number[], agent: [] as number[], cpu: [] as number[], concurrent: [] as number[] }]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of LARGE_KINDS) {
        const sample = samples.get(kind);
        sample?.direct.push(await fetchBlob(direct[kind], bytes));
        const cpuBefore = await cpuMs(agent.pid);
        sample?.agent.push(await fetchBlob(through[kind], bytes));
        sample?.cpu.push((await cpuMs(agent.pid)) - cpuBefore);
        sample?.concurrent.push(...(await whileSmallCalls(small, () => fetchBlob(through[kind], bytes))));
      }
    }
    const row = (kind: LargeKind): LargeResultRow => {
      const sample = samples.get(kind) ?? { direct: [], agent: [], cpu: [], concurrent: [] };
      const directMs = median(sample.direct);
      const agentMs = median(sample.agent);
      return {
        directMs,
        agentMs,
        ratio: agentMs / directMs,
        agentCpuMs: median(sample.cpu),
        worstConcurrentMs: Math.max(...sample.concurrent),
        concurrentCalls: sample.concurrent.length,
      };
    };
    return { bytes, rounds, byKind: Object.fromEntries(LARGE_KINDS.map((k) => [k, row(k)])) as Record<LargeKind, LargeResultRow> };
  } finally {
    await pipe?.close();
    await agent.close();
    await Promise.all(hosts.map((h) => h.close()));
  }
}

/** Calls the blob tool; resolves with the ms until the whole answer was in, after checking it is the blob. */
async function fetchBlob(endpoint: Endpoint, bytes: number): Promise<number> {
  const started = performance.now();
  const text = await endpoint.call(endpoint.tool, { bytes });
  const ms = performance.now() - started;
  const result = (JSON.parse(text) as { result?: { content?: { text?: string }[] } }).result;
  const length = result?.content?.[0]?.text?.length;
  if (length !== bytes) throw new Error(`${endpoint.tool} at ${endpoint.name} returned ${length ?? 'no'} characters, expected ${bytes}: ${text.slice(0, 200)}`);
  return ms;
}

/** Runs `big` while another session calls the small echo tool one call after another; returns every small call's ms. */
async function whileSmallCalls(small: Endpoint, big: () => Promise<number>): Promise<number[]> {
  let done = false;
  const concurrent: number[] = [];
  const loop = (async () => {
    for (let i = 0; !done; i++) {
      const started = performance.now();
      await small.call(small.tool, { text: `small ${i}` });
      concurrent.push(performance.now() - started);
    }
  })();
  try {
    await big();
    return concurrent;
  } finally {
    done = true;
    await loop;
  }
}
