/**
 * Scenario 5: a large tool result (20 MB) through the agent, per kind of backend, against fetching it
 * straight from an HTTP backend; meanwhile another session makes small calls, and the slowest of them
 * shows how long the big result held the agent's event loop.
 */
import { openRawSession, rawRequest } from './clients';
import { median } from './measure';
import { echoCommand, startAgentProcess, startEchoHost, waitForBackends, type EchoHost } from './processes';

export const LARGE_KINDS = ['stdio', 'httpJson', 'httpSse'] as const;
/** stdio: the backend answers over a pipe; httpJson / httpSse: streamable HTTP answering with a JSON body / an event stream. */
export type LargeKind = (typeof LARGE_KINDS)[number];

export interface LargeResultRow {
  /** Median ms to fetch the result straight from an HTTP backend (JSON body for stdio and httpJson, event stream for httpSse). */
  readonly directMs: number;
  /** Median ms to fetch it through the agent. */
  readonly agentMs: number;
  /** agentMs over directMs. */
  readonly ratio: number;
  /** The slowest small call another session made through the agent while the large results passed. */
  readonly worstConcurrentMs: number;
  readonly concurrentCalls: number;
}

export interface LargeResults {
  readonly bytes: number;
  readonly rounds: number;
  readonly byKind: Record<LargeKind, LargeResultRow>;
}

interface Endpoint {
  readonly url: string;
  readonly session: string;
  readonly tool: string;
}

/**
 * The agent runs as its own process with three backends that return the blob (stdio, HTTP with JSON
 * answers, HTTP with event-stream answers) and a separate stdio echo backend for the small calls, so
 * that those wait on nothing but the agent. Every fetch is a raw POST read to its last byte, so the
 * client's own parsing does not count.
 */
export async function benchLargeResults(bytes: number, rounds: number): Promise<LargeResults> {
  const hosts: EchoHost[] = [];
  const jsonHost = await startEchoHost(1, 0, true).then((h) => (hosts.push(h), h));
  const sseHost = await startEchoHost(1).then((h) => (hosts.push(h), h));
  const jsonUrl = jsonHost.urls[0] ?? '';
  const sseUrl = sseHost.urls[0] ?? '';
  const agent = await startAgentProcess({
    mcpServers: { stdio: echoCommand(), httpJson: { type: 'http', url: jsonUrl }, httpSse: { type: 'http', url: sseUrl }, small: echoCommand() },
  });
  try {
    await waitForBackends(agent.url);
    const directJson: Endpoint = { url: jsonUrl, session: await openRawSession(jsonUrl), tool: 'blob' };
    const direct: Record<LargeKind, Endpoint> = {
      stdio: directJson,
      httpJson: directJson,
      httpSse: { url: sseUrl, session: await openRawSession(sseUrl), tool: 'blob' },
    };
    const agentSession = await openRawSession(agent.url);
    const through = (kind: LargeKind): Endpoint => ({ url: agent.url, session: agentSession, tool: `${kind}_1mcp_blob` });
    const small: Endpoint = { url: agent.url, session: await openRawSession(agent.url), tool: 'small_1mcp_echo' };
    for (const kind of LARGE_KINDS) {
      await fetchBlob(direct[kind], bytes);
      await fetchBlob(through(kind), bytes);
    }
    const times = new Map(LARGE_KINDS.map((k) => [k, { direct: [] as number[], agent: [] as number[], concurrent: [] as number[] }]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of LARGE_KINDS) {
        const sample = times.get(kind);
        sample?.direct.push(await fetchBlob(direct[kind], bytes));
        const { ms, concurrent } = await whileSmallCalls(small, () => fetchBlob(through(kind), bytes));
        sample?.agent.push(ms);
        sample?.concurrent.push(...concurrent);
      }
    }
    const row = (kind: LargeKind): LargeResultRow => {
      const sample = times.get(kind) ?? { direct: [], agent: [], concurrent: [] };
      const directMs = median(sample.direct);
      const agentMs = median(sample.agent);
      return { directMs, agentMs, ratio: agentMs / directMs, worstConcurrentMs: Math.max(...sample.concurrent), concurrentCalls: sample.concurrent.length };
    };
    return { bytes, rounds, byKind: Object.fromEntries(LARGE_KINDS.map((k) => [k, row(k)])) as Record<LargeKind, LargeResultRow> };
  } finally {
    await agent.close();
    await Promise.all(hosts.map((h) => h.close()));
  }
}

/** Calls the blob tool; resolves with the ms until the whole answer was in, after checking it is the blob. */
async function fetchBlob(endpoint: Endpoint, bytes: number): Promise<number> {
  const started = performance.now();
  const text = await rawRequest(endpoint.url, endpoint.session, 'tools/call', { name: endpoint.tool, arguments: { bytes } });
  const ms = performance.now() - started;
  const result = (JSON.parse(text) as { result?: { content?: { text?: string }[] } }).result;
  const length = result?.content?.[0]?.text?.length;
  if (length !== bytes) throw new Error(`${endpoint.tool} at ${endpoint.url} returned ${length ?? 'no'} characters, expected ${bytes}: ${text.slice(0, 200)}`);
  return ms;
}

/** Runs `big` while another session calls the small echo tool one call after another; returns every small call's ms. */
async function whileSmallCalls(small: Endpoint, big: () => Promise<number>): Promise<{ ms: number; concurrent: number[] }> {
  let done = false;
  const concurrent: number[] = [];
  const loop = (async () => {
    for (let i = 0; !done; i++) {
      const started = performance.now();
      await rawRequest(small.url, small.session, 'tools/call', { name: small.tool, arguments: { text: `small ${i}` } });
      concurrent.push(performance.now() - started);
    }
  })();
  try {
    return { ms: await big(), concurrent };
  } finally {
    done = true;
    await loop;
  }
}
