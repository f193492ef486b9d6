/**
 * Scenario: a session in search mode over 1,000 tools. `search_tools` latency through the agent, the
 * bytes of both tool lists, and how well the ranking finds the tool an everyday request means (recall@5
 * on the query set of test/fixtures/toolCatalogs, with the agent's own index).
 */
import { createCatalogServer } from '../test/fixtures/catalogServer';
import { CATALOG_SERVERS, HELD_OUT_QUERIES, QUERIES, catalogIndex, recallAt, withFillers } from '../test/fixtures/toolCatalogs';
import { openRawSession, rawRequest } from './clients';
import { serveHttp } from './echoBackend';
import { runLoad, summarize, timed, type LatencyStats, type LoadPlan } from './measure';
import { startAgentProcess, waitForBackends } from './processes';

export interface ToolSearchResult {
  readonly tools: number;
  readonly backends: number;
  /** `search_tools` through the agent over every tool, raw fetch, the index already built. */
  readonly search: LatencyStats;
  /** The first `search_tools` after the catalog changed: it builds the index. */
  readonly firstSearchMs: number;
  /** JSON-RPC response bytes of `tools/list`, without and with `?mode=search`. */
  readonly fullListBytes: number;
  readonly searchListBytes: number;
  /** recall@5 of the realistic catalog (15 servers), on the tuning queries and on the held-out ones. */
  readonly recallAt5: number;
  readonly heldOutRecallAt5: number;
  /** The same, the catalog padded to `tools` with look-alike servers of other domains. */
  readonly paddedRecallAt5: number;
  readonly paddedHeldOutRecallAt5: number;
  readonly realisticTools: number;
  readonly queries: number;
  readonly heldOutQueries: number;
}

export async function benchToolSearch(total: number, plan: LoadPlan): Promise<ToolSearchResult> {
  const servers = withFillers(total);
  // The backends live in this process: once connected they are not asked anything while search is timed.
  const host = await serveHttp(servers.map((s) => () => createCatalogServer(s)));
  const agent = await startAgentProcess({ mcpServers: Object.fromEntries(servers.map((s, i) => [s.name, { type: 'http', url: host.urls[i], tags: s.tags }])) });
  try {
    await waitForBackends(agent.url);
    const full = await rawRequest(agent.url, await openRawSession(agent.url), 'tools/list');
    const listed = (JSON.parse(full) as { result?: { tools?: unknown[] } }).result?.tools?.length;
    if (listed !== total) throw new Error(`tools/list returned ${listed ?? 'no'} tools, expected ${total}`);
    const searchUrl = `${agent.url}?mode=search`;
    const sessionId = await openRawSession(searchUrl);
    const two = await rawRequest(searchUrl, sessionId, 'tools/list');
    const search = (i: number): Promise<string> =>
      rawRequest(searchUrl, sessionId, 'tools/call', { name: 'search_tools', arguments: { query: QUERIES[i % QUERIES.length]?.query } });
    const firstSearchMs = await timed(() => search(0));
    const run = await runLoad([sessionId], plan, (_session, i) => search(i));
    const realistic = catalogIndex(CATALOG_SERVERS);
    const padded = catalogIndex(servers);
    return {
      tools: total,
      backends: servers.length,
      search: summarize([run]),
      firstSearchMs,
      fullListBytes: Buffer.byteLength(full),
      searchListBytes: Buffer.byteLength(two),
      recallAt5: recallAt(realistic, QUERIES, 5).recall,
      heldOutRecallAt5: recallAt(realistic, HELD_OUT_QUERIES, 5).recall,
      paddedRecallAt5: recallAt(padded, QUERIES, 5).recall,
      paddedHeldOutRecallAt5: recallAt(padded, HELD_OUT_QUERIES, 5).recall,
      realisticTools: realistic.size,
      queries: QUERIES.length,
      heldOutQueries: HELD_OUT_QUERIES.length,
    };
  } finally {
    await agent.close();
    await new Promise((resolve) => host.server.close(resolve));
  }
}
