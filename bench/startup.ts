/** Scenario 3: time from launching the agent until its endpoint answers `initialize`. */
import { initialize } from './clients';
import { median } from './measure';
import { echoCommand, startAgentProcess } from './processes';

export interface StartupResult {
  /** Median ms from spawning `node dist/cli.js` to the `initialize` response, by number of stdio backends. */
  readonly medianMsByBackends: Record<number, number>;
  readonly runs: number;
}

async function launchToInitialize(stdioBackends: number): Promise<number> {
  const servers = Object.fromEntries(Array.from({ length: stdioBackends }, (_, i) => [`s${i}`, echoCommand()]));
  const agent = await startAgentProcess({ mcpServers: servers }, initialize);
  await agent.close();
  return agent.readyMs;
}

/**
 * Launches the agent `runs` times for each backend count (0 shows what Node and the bundle take by
 * themselves), interleaving the counts so that drift hits them alike.
 */
export async function benchStartup(backendCounts: readonly number[], runs: number): Promise<StartupResult> {
  const times = new Map<number, number[]>(backendCounts.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const n of backendCounts) times.get(n)?.push(await launchToInitialize(n));
  }
  return { medianMsByBackends: Object.fromEntries([...times].map(([n, ms]) => [n, median(ms)])), runs };
}
