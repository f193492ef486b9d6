/**
 * `npm run bench`: measures the agent against the performance budget in DESIGN.md and prints a table and
 * one `BENCH_JSON {...}` line. It reports and does not judge: a missed target still exits 0; only a bench
 * that could not run exits non-zero. Progress goes to stderr.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readActivations } from './activation';
import { benchRecording } from './activity';
import { benchBridge } from './bridge';
import { benchMemory } from './memory';
import { benchLargeResults } from './largeResults';
import { benchJsonLine, checkTargets, formatTable, STARTUP_COUNTS, type BenchResults } from './report';
import { benchSizes } from './sizes';
import { benchStartup } from './startup';
import { benchTakeover } from './takeover';
import { benchToolsCall, type CallPlan } from './toolsCall';
import { benchToolSearch } from './toolSearch';
import { benchToolsList } from './toolsList';

const CALL_PLAN: CallPlan = {
  rounds: 2,
  oneSession: { warmup: 300, iterations: 1000 },
  eightSessions: { warmup: 50, iterations: 250 },
};

/** The size of the large tool result, in bytes of text: a screenshot or a PDF as base64 is this large. */
const LARGE_RESULT_BYTES = 20_000_000;

async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  process.stderr.write(`bench: ${what}...\n`);
  const started = performance.now();
  const result = await run();
  process.stderr.write(`bench: ${what} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0] ?? 0;
  // The agents' code cache (src/launch/codeCache.ts) in a folder of the bench's own, not the user's.
  const cacheHome = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-bench-cache-'));
  process.env.XDG_CACHE_HOME = cacheHome;
  process.env.LOCALAPPDATA = cacheHome;
  const results: Omit<BenchResults, 'loadAverage'> = {
    toolsCall: {
      http: await step('tools/call, HTTP backend', () => benchToolsCall('http', CALL_PLAN)),
      stdio: await step('tools/call, stdio backend', () => benchToolsCall('stdio', CALL_PLAN)),
    },
    recording: await step('the activity record of a call', () => benchRecording({ warmup: 5_000, iterations: 20_000 })),
    toolsList: await step('tools/list, 100 x 50 tools', () => benchToolsList(100, 50, { warmup: 20, iterations: 100 })),
    toolSearch: await step('search_tools over 1000 tools', () => benchToolSearch(1000, { warmup: 50, iterations: 500 })),
    startup: await step('launch to initialize', () => benchStartup(STARTUP_COUNTS, 7)),
    memory: await step('RSS, idle and 1000 sessions', () => benchMemory(1000)),
    takeover: await step('takeover after the serving window is killed', () => benchTakeover(3, 2)),
    bridge: await step('tools/call through onemcp proxy', () => benchBridge(CALL_PLAN.oneSession, CALL_PLAN.rounds)),
    largeResults: await step('large results, 20 MB', () => benchLargeResults(LARGE_RESULT_BYTES, 3)),
    // Last: it rebuilds dist/ for production, which the scenarios above run from.
    sizes: await step('sizes of the .vsix and the bundles', async () => benchSizes()),
    activation: await readActivations(),
  };
  await fs.rm(cacheHome, { recursive: true, force: true });
  const all: BenchResults = { ...results, loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 } };
  const targets = checkTargets(all);
  process.stdout.write(`${formatTable(all, targets)}\n${benchJsonLine(all, targets)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
