/** Scenario 5: `onemcp proxy`, the stdio bridge: what its hop adds to a call, and its own memory. */
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { closeAll, httpClient } from './clients';
import { runLoad, summarize, type LatencyStats, type LoadPlan } from './measure';
import { AGENT_CLI, echoCommand, rssMiB, startAgentProcess, waitForBackends } from './processes';

export interface BridgeResult {
  /** The SDK client over streamable HTTP to the agent. */
  readonly http: LatencyStats;
  /** The SDK client over stdio to `onemcp proxy`, which forwards to the same agent. */
  readonly bridge: LatencyStats;
  /** Bridge p50 minus HTTP p50, ms. */
  readonly addedP50Ms: number;
  /** The bridge process's RSS in MiB once connected, and after the calls. */
  readonly idleRssMiB: number;
  readonly afterCallsRssMiB: number;
}

/** One session each way to one agent (an echo stdio backend), measured in turn. */
export async function benchBridge(plan: LoadPlan, rounds: number): Promise<BridgeResult> {
  const agent = await startAgentProcess({ mcpServers: { echo: { ...echoCommand(), prefix: '' } } });
  const clients: Client[] = [];
  try {
    await waitForBackends(agent.url);
    const direct = await httpClient(agent.url);
    clients.push(direct);
    // dist/proxy.js: the bridge as connected clients start it.
    const bridgeScript = path.join(path.dirname(AGENT_CLI), 'proxy.js');
    const transport = new StdioClientTransport({ command: process.execPath, args: [bridgeScript, '--url', agent.url, '--log-level', 'error'], stderr: 'inherit' });
    const bridged = new Client({ name: 'bench-client', version: '1.0.0' });
    await bridged.connect(transport);
    clients.push(bridged);
    const pid = transport.pid;
    if (pid === null) throw new Error('the bridge process has no pid');
    await sleep(1_000);
    const idleRssMiB = await rssMiB(pid);
    const call = (client: Client, i: number) => client.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });
    const runs = { http: [] as Awaited<ReturnType<typeof runLoad>>[], bridge: [] as Awaited<ReturnType<typeof runLoad>>[] };
    for (let round = 0; round < rounds; round++) {
      runs.http.push(await runLoad([direct], plan, call));
      runs.bridge.push(await runLoad([bridged], plan, call));
    }
    const http = summarize(runs.http);
    const bridge = summarize(runs.bridge);
    return { http, bridge, addedP50Ms: bridge.p50Ms - http.p50Ms, idleRssMiB, afterCallsRssMiB: await rssMiB(pid) };
  } finally {
    await closeAll(clients);
    await agent.close();
  }
}
