/** Turns the benchmark's results into the table, the targets of DESIGN.md and the `BENCH_JSON` line. */
import * as os from 'node:os';
import { formatKb, type FileSize } from '../scripts/sizeBudget';
import type { ActivationResult, Activations } from './activation';
import type { RecordingResult } from './activity';
import { LARGE_KINDS, type LargeResults } from './largeResults';
import { round, type LatencyStats } from './measure';
import type { BridgeResult } from './bridge';
import type { MemoryResult } from './memory';
import type { StartupResult } from './startup';
import type { TakeoverResult } from './takeover';
import type { BackendKind, CallComparison } from './toolsCall';
import type { ToolSearchResult } from './toolSearch';
import type { ToolsListResult } from './toolsList';

export interface BenchResults {
  readonly toolsCall: Record<BackendKind, CallComparison>;
  readonly recording: RecordingResult;
  readonly toolsList: ToolsListResult;
  readonly toolSearch: ToolSearchResult;
  readonly startup: StartupResult;
  readonly memory: MemoryResult;
  readonly bridge: BridgeResult;
  readonly takeover: TakeoverResult;
  readonly largeResults: LargeResults;
  readonly sizes: readonly FileSize[];
  /** From the last e2e run's logs; undefined when there are none. */
  readonly activation: ActivationResult | undefined;
  /** 1-minute load average before and after the run: other work on the machine skews every number. */
  readonly loadAverage: { readonly before: number; readonly after: number };
}

export interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  /** Whether the value must stay below the limit, not pass it, or reach it. */
  readonly kind: 'below' | 'atMost' | 'atLeast';
  readonly met: boolean;
}

const KINDS: readonly BackendKind[] = ['http', 'stdio'];
/** Stdio backends the launch target is checked with: DESIGN.md's 10 and the issue's 20. */
const STARTUP_BACKENDS = [10, 20] as const;
/** Launches measured; with none, what Node and the bundle take by themselves. */
export const STARTUP_COUNTS: readonly number[] = [0, ...STARTUP_BACKENDS];
/** DESIGN.md states the 1000-session budget in MB; RSS is measured in MiB. */
const MB_IN_MIB = 1e6 / 2 ** 20;

function startupMs(r: BenchResults, backends: number): number {
  return r.startup.medianMsByBackends[backends] ?? Number.NaN;
}

function target(name: string, value: number, kind: Target['kind'], limit: number): Target {
  const met = kind === 'below' ? value < limit : kind === 'atMost' ? value <= limit : value >= limit;
  return { name, value, limit, kind, met };
}

/** The performance budget of DESIGN.md, checked against this run. */
const httpDirect = (r: BenchResults) => r.toolsCall.http.direct;

export function checkTargets(r: BenchResults): Target[] {
  return [
    // The budget is against a direct streamable HTTP connection, for either kind of backend behind the
    // agent; the stdio rows' own ratios (against a bare pipe) are printed above as information.
    ...KINDS.map((k) => target(`addedP50MsOverHttp.${k}`, r.toolsCall[k].agent.oneSession.p50Ms - httpDirect(r).oneSession.p50Ms, 'below', 0.5)),
    ...KINDS.map((k) => target(`throughputRatio8OverHttp.${k}`, r.toolsCall[k].agent.eightSessions.perSecond / httpDirect(r).eightSessions.perSecond, 'atLeast', 0.8)),
    // The same budget for a 2026-07-28 client (stateless requests) through the agent.
    ...KINDS.map((k) => target(`addedP50MsOverHttp.modern.${k}`, r.toolsCall[k].modern.oneSession.p50Ms - httpDirect(r).oneSession.p50Ms, 'below', 0.5)),
    ...KINDS.map((k) => target(`throughputRatio8OverHttp.modern.${k}`, r.toolsCall[k].modern.eightSessions.perSecond / httpDirect(r).eightSessions.perSecond, 'atLeast', 0.8)),
    target('activityRecordP50Ms', r.recording.p50Ms, 'atMost', 0.03),
    target('toolsList100x50Ms', r.toolsList.p50Ms, 'below', 10),
    target('searchTools1000P50Ms', r.toolSearch.search.p50Ms, 'below', 5),
    target('searchRecallAt5', r.toolSearch.recallAt5, 'atLeast', 0.9),
    ...STARTUP_BACKENDS.map((n) => target(`startToInitializeMs.${n}stdio`, startupMs(r, n), 'below', 300)),
    target('rss1000SessionsMB', r.memory.withSessionsMiB, 'below', 200 * MB_IN_MIB),
    target('idleRssMB', r.memory.idleMiB, 'below', 80),
    // The issue "Lean: a small download, a fast start, a light idle agent": sizes in KB of 1,000 bytes.
    ...r.sizes.map((s) => target(`sizeKB.${s.file}`, s.bytes / 1000, 'atMost', s.budget / 1000)),
    target('launchToInitializeRatio.emptyConfig', r.startup.emptyConfigRatio, 'atMost', 1.8),
    target('idleRssEmptyConfigMB', r.memory.idleEmptyMiB, 'atMost', 70),
    ...(r.activation?.serving ? [target('activationToListeningMs', r.activation.serving.medianMs, 'atMost', 100)] : []),
    // A window that follows another shows the agent no later than the window that serves it.
    ...(r.activation?.serving && r.activation.following ? [target('activationFollowingOverServing', r.activation.following.medianMs / r.activation.serving.medianMs, 'atMost', 1)] : []),
    target('takeoverMs', r.takeover.medianMs, 'below', 2000),
    // Large results (not in DESIGN.md's list; the targets of the issue that made them linear). As for
    // tools/call, a stdio backend is held against a direct HTTP fetch (JSON body), the issue's "direct";
    // its ratio to a bare pipe is in the table above as information.
    ...LARGE_KINDS.map((k) => target(`largeResultRatio.${k}`, k === 'stdio' ? r.largeResults.byKind.stdio.agentMs / r.largeResults.byKind.httpJson.directMs : r.largeResults.byKind[k].ratio, 'below', 2)),
    ...LARGE_KINDS.map((k) => target(`largeResultConcurrentMs.${k}`, r.largeResults.byKind[k].worstConcurrentMs, 'below', 250)),
  ];
}

const fmt = (value: number): string => String(round(value));
const SIGNS: Record<Target['kind'], string> = { below: '<', atMost: '<=', atLeast: '>=' };

function activationLine(a: ActivationResult | undefined): string {
  if (!a) return 'activation -> agent listening in code-server: not measured (no e2e logs in test-results/e2e/; run the e2e suite first)';
  const group = (what: string, g: Activations | undefined): string => (g ? `${what} median ${fmt(g.medianMs)} ms (best ${fmt(g.minMs)}, ${g.count})` : `${what} none`);
  return `activation -> agent shown running in code-server (the e2e logs of ${a.newestLog.toISOString()}, ${a.logs} logs): ` +
    `${group('serving', a.serving)}, ${group('following', a.following)}, ${group('following, whole state', a.followingWhole)}; ${group('with the code cache', a.warm)}, ${group('without', a.cold)}; ` +
    `a serving window's ${group('extension host turn before the bind\'s outcome', a.servingHostTurn)}, ${group('own part after it', a.servingOwn)}`;
}

function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

function callRow(kind: BackendKind, path: string, sessions: number, s: LatencyStats): string[] {
  return [kind, path, String(sessions), fmt(s.p50Ms), fmt(s.p99Ms), String(Math.round(s.perSecond)), String(s.count)];
}

export function formatTable(r: BenchResults, targets: readonly Target[]): string {
  const calls = [['backend', 'path', 'sessions', 'p50 ms', 'p99 ms', 'calls/s', 'calls']];
  for (const kind of KINDS) {
    const { direct, agent, modern } = r.toolsCall[kind];
    calls.push(callRow(kind, 'direct', 1, direct.oneSession), callRow(kind, 'agent', 1, agent.oneSession), callRow(kind, 'agent 2026-07-28', 1, modern.oneSession));
    calls.push(callRow(kind, 'direct', 8, direct.eightSessions), callRow(kind, 'agent', 8, agent.eightSessions), callRow(kind, 'agent 2026-07-28', 8, modern.eightSessions));
  }
  const { toolsList: list, toolSearch: search, memory, largeResults: large } = r;
  const kib = (bytes: number): string => `${fmt(bytes / 1024)} KiB`;
  const largeRows = [['backend', 'direct ms', 'agent ms', 'agent/direct', 'agent CPU ms', 'worst concurrent call ms', 'concurrent calls']];
  for (const kind of LARGE_KINDS) {
    const row = large.byKind[kind];
    largeRows.push([kind, fmt(row.directMs), fmt(row.agentMs), fmt(row.ratio), fmt(row.agentCpuMs), fmt(row.worstConcurrentMs), String(row.concurrentCalls)]);
  }
  const launches = STARTUP_COUNTS.map((n) => `${n} stdio backends ${fmt(startupMs(r, n))} ms`).join(', ');
  return [
    'tools/call (echo tool, SDK client; the agent runs as `node dist/cli.js`; stdio direct = one echo process per session;',
    '  "agent 2026-07-28" = the SDK v2 client pinned to 2026-07-28, stateless requests without a session)',
    columns(calls),
    `added p50 (agent - direct, 1 session): ${KINDS.map((k) => `${k} ${fmt(r.toolsCall[k].addedP50Ms)} ms`).join(', ')}`,
    `throughput ratio (agent / direct, 8 sessions): ${KINDS.map((k) => `${k} ${fmt(r.toolsCall[k].throughputRatio8)}`).join(', ')}`,
    `activity record of a tools/call (in process, ${r.recording.calls} calls): p50 ${fmt(r.recording.p50Ms)} ms, p99 ${fmt(r.recording.p99Ms)} ms on the call path; ${fmt(r.recording.meanWithFileMs)} ms per call with the file's batched writes`,
    '',
    `tools/list through the agent, ${list.backends} backends x ${list.toolsPerBackend} tools (in-process HTTP echo backends, one child process; raw fetch):`,
    `  p50 ${fmt(list.p50Ms)} ms, p99 ${fmt(list.p99Ms)} ms, ${Math.round(list.responseBytes / 1024)} KiB per response, ${list.count} requests`,
    `  all backends connected ${fmt(list.connectAllMs)} ms after launch; agent RSS then ${fmt(list.rssMiB)} MiB`,
    `search_tools through the agent, ${search.tools} tools from ${search.backends} backends (raw fetch, ${search.search.count} searches):`,
    `  p50 ${fmt(search.search.p50Ms)} ms, p99 ${fmt(search.search.p99Ms)} ms; the first search (builds the index) ${fmt(search.firstSearchMs)} ms`,
    `  tools/list ${kib(search.fullListBytes)}, with ?mode=search ${kib(search.searchListBytes)} (${fmt((100 * search.searchListBytes) / search.fullListBytes)}%)`,
    `  recall@5, realistic catalog (${search.realisticTools} tools): ${fmt(search.recallAt5)} on ${search.queries} queries, ${fmt(search.heldOutRecallAt5)} on ${search.heldOutQueries} held out;` +
      ` padded to ${search.tools} tools: ${fmt(search.paddedRecallAt5)}, ${fmt(search.paddedHeldOutRecallAt5)}`,
    `sizes: ${r.sizes.map((f) => `${f.file} ${formatKb(f.bytes)} (budget ${formatKb(f.budget)})`).join(', ')}`,
    `launch -> initialize answered (median of ${r.startup.runs}, with the code cache): ${launches}; a bare Node HTTP server ${fmt(r.startup.bareMedianMs)} ms (empty config / bare: ${fmt(r.startup.emptyConfigRatio)})`,
    `  without the code cache (a new build's first start), empty config: ${fmt(r.startup.coldEmptyConfigMs)} ms (/ bare: ${fmt(r.startup.coldEmptyConfigRatio)})`,
    activationLine(r.activation),
    `agent RSS: idle ${fmt(memory.idleEmptyMiB)} MiB with an empty config, ${fmt(memory.idleMiB)} MiB with 1 stdio backend; ${memory.sessions} open sessions ${fmt(memory.withSessionsMiB)} MiB (${fmt(memory.perSessionKiB)} KiB per session)`,
    `onemcp proxy (stdio bridge), 1 session: p50 ${fmt(r.bridge.bridge.p50Ms)} ms vs ${fmt(r.bridge.http.p50Ms)} ms over HTTP to the same agent (+${fmt(r.bridge.addedP50Ms)} ms); bridge RSS ${fmt(r.bridge.idleRssMiB)} MiB idle, ${fmt(r.bridge.afterCallsRssMiB)} MiB after the calls`,
    `takeover: serving window killed (SIGKILL) -> initialize answered by the follower, ${r.takeover.stdioBackends} stdio backends (median of ${r.takeover.runs}): ${fmt(r.takeover.medianMs)} ms`,
    '',
    `large results: a ${fmt(large.bytes / 1e6)} MB tool result, median of ${large.rounds}, read raw (direct: straight from the backend, over a pipe for stdio);`,
    '  then once more while another session calls a small tool through the agent, one call after another',
    columns(largeRows),
    `load average (1 min) before / after the run: ${fmt(r.loadAverage.before)} / ${fmt(r.loadAverage.after)} on ${os.availableParallelism()} CPUs`,
    '',
    'targets (DESIGN.md "Performance budget": agent with an HTTP or a stdio backend vs a direct streamable HTTP connection)',
    columns(targets.map((t) => [t.name, `${SIGNS[t.kind]} ${fmt(t.limit)}`, fmt(t.value), t.met ? 'met' : 'MISSED'])),
  ].join('\n');
}

/** The one machine-readable line: every number, rounded, with the targets and whether each was met. */
export function benchJsonLine(r: BenchResults, targets: readonly Target[]): string {
  const summary = {
    node: process.version,
    cpus: os.availableParallelism(),
    addedP50Ms: Object.fromEntries(KINDS.map((k) => [k, r.toolsCall[k].addedP50Ms])),
    throughputRatio8: Object.fromEntries(KINDS.map((k) => [k, r.toolsCall[k].throughputRatio8])),
    addedP50MsModern: Object.fromEntries(KINDS.map((k) => [k, r.toolsCall[k].modern.oneSession.p50Ms - r.toolsCall[k].direct.oneSession.p50Ms])),
    activityRecordP50Ms: r.recording.p50Ms,
    toolsList100x50Ms: r.toolsList.p50Ms,
    searchTools1000P50Ms: r.toolSearch.search.p50Ms,
    searchRecallAt5: r.toolSearch.recallAt5,
    startToInitializeMs: startupMs(r, 20),
    rss1000SessionsMB: r.memory.withSessionsMiB,
    idleRssMB: r.memory.idleMiB,
    idleRssEmptyConfigMB: r.memory.idleEmptyMiB,
    sizeBytes: Object.fromEntries(r.sizes.map((f) => [f.file, f.bytes])),
    launchToInitializeRatio: r.startup.emptyConfigRatio,
    coldLaunchToInitializeRatio: r.startup.coldEmptyConfigRatio,
    activationToListeningMs: r.activation?.serving?.medianMs ?? null,
    activationFollowingMs: r.activation?.following?.medianMs ?? null,
    activationFollowingWholeMs: r.activation?.followingWhole?.medianMs ?? null,
    activationServingHostTurnMs: r.activation?.servingHostTurn?.medianMs ?? null,
    activationServingOwnMs: r.activation?.servingOwn?.medianMs ?? null,
    bridgeAddedP50Ms: r.bridge.addedP50Ms,
    bridgeRssMB: r.bridge.afterCallsRssMiB,
    takeoverMs: r.takeover.medianMs,
    rssUnit: 'MiB',
    largeResults: Object.fromEntries(LARGE_KINDS.map((k) => {
      const { directMs, agentMs, ratio, agentCpuMs, worstConcurrentMs } = r.largeResults.byKind[k];
      return [k, { directMs, agentMs, ratio, agentCpuMs, worstConcurrentMs }];
    })),
    targets: Object.fromEntries(targets.map((t) => [t.name, { value: t.value, [t.kind]: t.limit, met: t.met }])),
    allTargetsMet: targets.every((t) => t.met),
    details: r,
  };
  return `BENCH_JSON ${JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value))}`;
}
