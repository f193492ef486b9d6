/** Scenario 3: time from launching the agent until its endpoint answers `initialize`. */
import { initialize } from './clients';
import { median } from './measure';
import { echoCommand, startAgentProcess, startBareServer, type AgentProcess } from './processes';

export interface StartupResult {
  /** Median ms from spawning `node dist/cli.js` to the `initialize` response, by number of stdio backends. */
  readonly medianMsByBackends: Record<number, number>;
  /** Median ms from spawning a bare `node:http` server to its `initialize` response, in the same run. */
  readonly bareMedianMs: number;
  /** The agent with an empty config against the bare server: what the agent's own start costs. */
  readonly emptyConfigRatio: number;
  readonly runs: number;
}

async function timedLaunch(start: () => Promise<AgentProcess>): Promise<number> {
  const launched = await start();
  await launched.close();
  return launched.readyMs;
}

function launchAgent(stdioBackends: number): Promise<number> {
  const servers = Object.fromEntries(Array.from({ length: stdioBackends }, (_, i) => [`s${i}`, echoCommand()]));
  return timedLaunch(() => startAgentProcess({ mcpServers: servers }, initialize));
}

/**
 * Launches the agent `runs` times for each backend count (0 is an empty config: what Node and the
 * bundle take by themselves) and a bare Node HTTP server as often, interleaved so that drift on a
 * shared machine hits them alike.
 */
export async function benchStartup(backendCounts: readonly number[], runs: number): Promise<StartupResult> {
  const times = new Map<number, number[]>(backendCounts.map((n) => [n, []]));
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timedLaunch(() => startBareServer(initialize)));
    for (const n of backendCounts) times.get(n)?.push(await launchAgent(n));
  }
  const medianMsByBackends = Object.fromEntries([...times].map(([n, ms]) => [n, median(ms)]));
  const bareMedianMs = median(bare);
  return { medianMsByBackends, bareMedianMs, emptyConfigRatio: (medianMsByBackends[0] ?? Number.NaN) / bareMedianMs, runs };
}
