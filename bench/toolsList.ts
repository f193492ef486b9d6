/** Scenario 2: `tools/list` through the agent with many backends and many tools each. */
import { openRawSession, rawRequest } from './clients';
import { OWN_TOOLS } from './echoBackend';
import { runLoad, summarize, type LatencyStats, type LoadPlan } from './measure';
import { rssMiB, startAgentProcess, startEchoHost, waitForBackends } from './processes';

export interface ToolsListResult extends LatencyStats {
  readonly backends: number;
  readonly toolsPerBackend: number;
  /** Size of the JSON-RPC response. */
  readonly responseBytes: number;
  /** From launching the agent until every backend is connected and listed. */
  readonly connectAllMs: number;
  /** Agent RSS once everything is connected. */
  readonly rssMiB: number;
}

/**
 * The backends are in-process HTTP echo servers, all in one child process: a hundred stdio children
 * would take seconds to start on two cores, and `tools/list` is answered from the agent's catalog
 * whatever the transport. Timed with raw fetch (request sent until the whole body is in), so the client's
 * own parsing and validation of the long list does not count.
 */
export async function benchToolsList(backends: number, toolsPerBackend: number, plan: LoadPlan): Promise<ToolsListResult> {
  const host = await startEchoHost(backends, toolsPerBackend - OWN_TOOLS);
  const servers = Object.fromEntries(host.urls.map((url, i) => [`b${i}`, { type: 'http', url }]));
  const launched = performance.now();
  const agent = await startAgentProcess({ mcpServers: servers });
  try {
    await waitForBackends(agent.url);
    const connectAllMs = performance.now() - launched;
    const agentRss = await rssMiB(agent.pid);
    const sessionId = await openRawSession(agent.url);
    const response = await rawRequest(agent.url, sessionId, 'tools/list');
    const listed = (JSON.parse(response) as { result?: { tools?: unknown[] } }).result?.tools?.length;
    if (listed !== backends * toolsPerBackend) throw new Error(`tools/list returned ${listed ?? 'no'} tools, expected ${backends * toolsPerBackend}`);
    const run = await runLoad([sessionId], plan, () => rawRequest(agent.url, sessionId, 'tools/list'));
    return { ...summarize([run]), backends, toolsPerBackend, responseBytes: Buffer.byteLength(response), connectAllMs, rssMiB: agentRss };
  } finally {
    await agent.close();
    await host.close();
  }
}
