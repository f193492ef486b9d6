import { isFailure, matchesFilter, type ActivityFilter, type ActivityRecord } from './activityRecord';

/** How many records are kept in memory (the file keeps more). */
export const ACTIVITY_MEMORY = 1_000;

const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;

/** Calls and failures of one minute: `[minute since the epoch, calls, failures]`. */
export type MinuteCount = readonly [minute: number, calls: number, failures: number];

/** What a window that follows the serving agent receives when it joins: the recent records and the hour's counts. */
export interface ActivitySnapshot {
  /** Oldest first. */
  readonly records: readonly ActivityRecord[];
  readonly minutes: readonly MinuteCount[];
}

/** What views and routes read of the activity record. */
export interface ActivityReader {
  /** The last `limit` records `filter` asks for (every kept one by default), oldest first. */
  list(filter?: ActivityFilter, limit?: number): ActivityRecord[];
  /** Calls and failures of the last hour, including those no longer kept in memory. */
  lastHour(now?: number): { readonly calls: number; readonly failures: number };
  /** Everything, for a window that starts following the agent. */
  snapshot(): ActivitySnapshot;
}

/**
 * The last {@link ACTIVITY_MEMORY} records (a ring: the oldest goes when a new one comes) and the
 * number of calls and failures per minute over the last hour, which the status bar shows.
 */
export class ActivityRing implements ActivityReader {
  private readonly slots: (ActivityRecord | undefined)[];
  private next = 0;
  private size = 0;
  private minutes: [number, number, number][] = [];

  constructor(private readonly capacity = ACTIVITY_MEMORY) {
    this.slots = new Array<ActivityRecord | undefined>(capacity);
  }

  push(record: ActivityRecord): void {
    this.slots[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    this.count(record);
  }

  list(filter: ActivityFilter = {}, limit = this.capacity): ActivityRecord[] {
    const found: ActivityRecord[] = [];
    const all = filter.client === undefined && filter.server === undefined;
    for (let i = 1; i <= this.size && found.length < limit; i++) {
      const record = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (record && (all || matchesFilter(record, filter))) found.push(record);
    }
    return found.reverse();
  }

  lastHour(now = Date.now()): { calls: number; failures: number } {
    const since = Math.floor(now / MINUTE_MS) - HOUR_MINUTES;
    let calls = 0;
    let failures = 0;
    for (const [minute, c, f] of this.minutes) {
      if (minute <= since) continue;
      calls += c;
      failures += f;
    }
    return { calls, failures };
  }

  snapshot(): ActivitySnapshot {
    return { records: this.list(), minutes: this.minutes.map(([m, c, f]) => [m, c, f] as const) };
  }

  /** Replaces everything with what `snapshot` holds. */
  restore(snapshot: ActivitySnapshot): void {
    this.clear();
    for (const record of snapshot.records.slice(-this.capacity)) {
      this.slots[this.next] = record;
      this.next = (this.next + 1) % this.capacity;
      this.size++;
    }
    this.minutes = snapshot.minutes.map(([m, c, f]) => [m, c, f]);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.size = 0;
    this.minutes = [];
  }

  private count(record: ActivityRecord): void {
    const minute = Math.floor(record.time / MINUTE_MS);
    let bucket = this.minutes.at(-1);
    if (!bucket || bucket[0] < minute) {
      bucket = [minute, 0, 0];
      this.minutes.push(bucket);
      const since = minute - HOUR_MINUTES;
      while ((this.minutes[0]?.[0] ?? minute) <= since) this.minutes.shift();
    } else if (bucket[0] > minute) {
      // A record of an earlier minute (loaded from the file, or a long call ending late): its own bucket.
      bucket = this.minutes.find((b) => b[0] === minute) ?? insertBucket(this.minutes, minute);
    }
    bucket[1]++;
    if (isFailure(record)) bucket[2]++;
  }
}

function insertBucket(minutes: [number, number, number][], minute: number): [number, number, number] {
  const bucket: [number, number, number] = [minute, 0, 0];
  const at = minutes.findIndex((b) => b[0] > minute);
  minutes.splice(at === -1 ? minutes.length : at, 0, bucket);
  return bucket;
}

/** What an agent that records nothing (or runs nowhere) shows. */
export const NO_ACTIVITY: ActivityReader = new ActivityRing(1);
