/** Scenario 3: time from launching the agent until its endpoint answers `initialize`. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheFile } from '../src/launch/codeCache';
import { initialize } from './clients';
import { median } from './measure';
import { AGENT_CLI, echoCommand, poll, startAgentProcess, startBareServer, type AgentProcess } from './processes';

export interface StartupResult {
  /** Median ms from spawning `node dist/cli.js` to the `initialize` response, by number of stdio backends (code cache present). */
  readonly medianMsByBackends: Record<number, number>;
  /** Median ms from spawning a bare `node:http` server to its `initialize` response, in the same run. */
  readonly bareMedianMs: number;
  /** The agent with an empty config against the bare server: what the agent's own start costs. */
  readonly emptyConfigRatio: number;
  /** The same start without the code cache (src/launch/codeCache.ts): the first start of a new build. */
  readonly coldEmptyConfigMs: number;
  readonly coldEmptyConfigRatio: number;
  readonly runs: number;
}

/** The environment of a start that compiles the bundle from source. */
const COLD = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };

async function timedLaunch(start: () => Promise<AgentProcess>): Promise<number> {
  const launched = await start();
  await launched.close();
  return launched.readyMs;
}

function launchAgent(stdioBackends: number, env = process.env): Promise<number> {
  const servers = Object.fromEntries(Array.from({ length: stdioBackends }, (_, i) => [`s${i}`, echoCommand()]));
  return timedLaunch(() => startAgentProcess({ mcpServers: servers }, initialize, env));
}

/**
 * Runs the agent once, after a client's `initialize`, until it has written its code cache: what a
 * user's every start but the first of a new build finds.
 */
async function warmCodeCache(): Promise<void> {
  // This build's cache: one of an earlier build (another hash) is of no use to it.
  const bundle = 'cli.bundle.js';
  const hash = createHash('sha256').update(readFileSync(path.join(path.dirname(AGENT_CLI), bundle))).digest('hex').slice(0, 16);
  const cache = codeCacheFile({ file: bundle, hash }, process.env);
  if (cache === undefined || existsSync(cache)) return;
  const agent = await startAgentProcess({ mcpServers: {} }, initialize);
  try {
    await poll(async () => {
      if (!existsSync(cache)) throw new Error(`no code cache of dist/${bundle} yet (${cache})`);
    }, { intervalMs: 100, timeoutMs: 30_000 });
  } finally {
    await agent.close();
  }
}

/**
 * Launches the agent `runs` times for each backend count (0 is an empty config: what Node and the
 * bundle take by themselves) with its code cache, once more with an empty config without it, and a
 * bare Node HTTP server as often, interleaved so that drift on a shared machine hits them alike.
 */
export async function benchStartup(backendCounts: readonly number[], runs: number): Promise<StartupResult> {
  await warmCodeCache();
  const times = new Map<number, number[]>(backendCounts.map((n) => [n, []]));
  const bare: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timedLaunch(() => startBareServer(initialize)));
    for (const n of backendCounts) times.get(n)?.push(await launchAgent(n));
    cold.push(await launchAgent(0, COLD));
  }
  const medianMsByBackends = Object.fromEntries([...times].map(([n, ms]) => [n, median(ms)]));
  const bareMedianMs = median(bare);
  const coldEmptyConfigMs = median(cold);
  return {
    medianMsByBackends,
    bareMedianMs,
    emptyConfigRatio: (medianMsByBackends[0] ?? Number.NaN) / bareMedianMs,
    coldEmptyConfigMs,
    coldEmptyConfigRatio: coldEmptyConfigMs / bareMedianMs,
    runs,
  };
}
