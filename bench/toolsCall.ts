/** Scenario 1: `tools/call` latency and throughput, direct to the echo backend vs through the agent. */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { closeAll, httpClient, modernClient, stdioClient } from './clients';
import { runLoad, summarize, type LatencyStats, type LoadPlan, type LoadRun } from './measure';
import { echoCommand, startAgentProcess, startEchoHost, waitForBackends } from './processes';

export type BackendKind = 'http' | 'stdio';

export interface SessionStats {
  readonly oneSession: LatencyStats;
  readonly eightSessions: LatencyStats;
}

export interface CallComparison {
  readonly direct: SessionStats;
  readonly agent: SessionStats;
  /** Through the agent with a 2026-07-28 client (stateless requests, no session). */
  readonly modern: SessionStats;
  /** Agent p50 minus direct p50 at one session, in ms. */
  readonly addedP50Ms: number;
  /** Agent calls/s over direct calls/s at eight sessions. */
  readonly throughputRatio8: number;
}

export interface CallPlan {
  /** Each round measures direct and agent in turn, so drift (other load, thermals) hits both alike. */
  readonly rounds: number;
  readonly oneSession: LoadPlan;
  readonly eightSessions: LoadPlan;
}

const SESSIONS = 8;

const call = (client: Client, i: number) => client.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });
const modernCall = (client: ModernClient, i: number) => client.request({ method: 'tools/call', params: { name: 'echo', arguments: { text: `hello ${i}` } } });

/**
 * Each kind is also measured through the agent with the SDK v2 client in 2026-07-28 mode, which the
 * budget holds to the same targets.
 * HTTP: the SDK client over streamable HTTP straight to the echo backend, vs to the agent's `/mcp` with
 * that backend configured. stdio: the SDK client over stdio to its own echo process, vs over HTTP to the
 * agent with the echo server as its stdio backend. The agent runs as its own process (`dist/cli.js`).
 */
export async function benchToolsCall(kind: BackendKind, plan: CallPlan): Promise<CallComparison> {
  const echoHost = kind === 'http' ? await startEchoHost(1) : undefined;
  const backend = echoHost ? { type: 'http', url: echoHost.urls[0] } : echoCommand();
  const agent = await startAgentProcess({ mcpServers: { echo: { ...backend, prefix: '' } } });
  const clients: { direct: Client[]; agent: Client[]; modern: ModernClient[] } = { direct: [], agent: [], modern: [] };
  try {
    await waitForBackends(agent.url);
    const connectDirect = () => (echoHost ? httpClient(echoHost.urls[0] ?? '') : stdioClient());
    clients.direct = await Promise.all(Array.from({ length: SESSIONS }, connectDirect));
    clients.agent = await Promise.all(Array.from({ length: SESSIONS }, () => httpClient(agent.url)));
    clients.modern = await Promise.all(Array.from({ length: SESSIONS }, () => modernClient(agent.url)));
    const runs = { directOne: [] as LoadRun[], agentOne: [] as LoadRun[], modernOne: [] as LoadRun[], directEight: [] as LoadRun[], agentEight: [] as LoadRun[], modernEight: [] as LoadRun[] };
    for (let round = 0; round < plan.rounds; round++) {
      runs.directOne.push(await runLoad(clients.direct.slice(0, 1), plan.oneSession, call));
      runs.agentOne.push(await runLoad(clients.agent.slice(0, 1), plan.oneSession, call));
      runs.modernOne.push(await runLoad(clients.modern.slice(0, 1), plan.oneSession, modernCall));
      runs.directEight.push(await runLoad(clients.direct, plan.eightSessions, call));
      runs.agentEight.push(await runLoad(clients.agent, plan.eightSessions, call));
      runs.modernEight.push(await runLoad(clients.modern, plan.eightSessions, modernCall));
    }
    const direct = { oneSession: summarize(runs.directOne), eightSessions: summarize(runs.directEight) };
    const viaAgent = { oneSession: summarize(runs.agentOne), eightSessions: summarize(runs.agentEight) };
    return {
      direct,
      agent: viaAgent,
      modern: { oneSession: summarize(runs.modernOne), eightSessions: summarize(runs.modernEight) },
      addedP50Ms: viaAgent.oneSession.p50Ms - direct.oneSession.p50Ms,
      throughputRatio8: viaAgent.eightSessions.perSecond / direct.eightSessions.perSecond,
    };
  } finally {
    await closeAll([...clients.direct, ...clients.agent, ...clients.modern]);
    await agent.close();
    await echoHost?.close();
  }
}
