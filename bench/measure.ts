/** Latency and throughput arithmetic for the benchmark. */
import { performance } from 'node:perf_hooks';

export interface LatencyStats {
  /** Number of timed operations. */
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Completed operations per second of wall time, over all sessions together. */
  readonly perSecond: number;
}

/** Nearest-rank percentile of ascending `sorted` values; `p` in 0..100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty sample');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** The timed part of one load run: every operation's latency and the wall time they took together. */
export interface LoadRun {
  readonly samplesMs: readonly number[];
  readonly wallMs: number;
}

/** Percentiles over all samples of `runs`; throughput over their summed wall time. */
export function summarize(runs: readonly LoadRun[]): LatencyStats {
  const sorted = runs.flatMap((r) => r.samplesMs).sort((a, b) => a - b);
  const wallMs = runs.reduce((sum, r) => sum + r.wallMs, 0);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), perSecond: (sorted.length / wallMs) * 1000 };
}

/** Milliseconds `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export interface LoadPlan {
  /** Untimed operations per session first, so JIT, sockets and caches are warm. */
  readonly warmup: number;
  /** Timed operations per session. */
  readonly iterations: number;
}

/**
 * Runs one sequential loop of `op` per session, all sessions at once, and times every operation.
 * Warm-up runs on every session concurrently too, and the clock starts only when all have finished it.
 */
export async function runLoad<S>(sessions: readonly S[], plan: LoadPlan, op: (session: S, i: number) => Promise<unknown>): Promise<LoadRun> {
  await Promise.all(sessions.map(async (s) => {
    for (let i = 0; i < plan.warmup; i++) await op(s, i);
  }));
  const samplesMs: number[] = [];
  const start = performance.now();
  await Promise.all(sessions.map(async (s) => {
    for (let i = 0; i < plan.iterations; i++) samplesMs.push(await timed(() => op(s, i)));
  }));
  return { samplesMs, wallMs: performance.now() - start };
}

/** Rounds for display and the JSON line: 3 decimals below 10, 1 above. */
export function round(value: number): number {
  const digits = Math.abs(value) < 10 ? 1000 : 10;
  return Math.round(value * digits) / digits;
}
