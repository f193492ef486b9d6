/**
 * Writes behind changes, coalesced: {@link request} after each change schedules one write that will
 * include it; at most one write runs at a time, and every change made while another write runs shares
 * the single write queued after it. So a burst of changes costs at most two writes, however long, and
 * the caller decides whether to wait for its change to be on disk (await) or not (write behind).
 */
export class CoalescedWrite {
  /** The write not yet started, which every new change joins. */
  private queued?: Promise<void>;
  /** The latest write started or queued: the next one starts after it. */
  private last: Promise<void> = Promise.resolve();

  /** `write` reads the state at the moment it starts, so it saves every change made before then. */
  constructor(private readonly write: () => Promise<void>) {}

  /** Schedules a write that will include every change made so far; settles once that write has. */
  request(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.last
      .catch(() => undefined)
      // Off the hot path: the request that made the change is answered before the write serializes anything.
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        this.queued = undefined;
        return this.write();
      });
    this.queued = next;
    this.last = next;
    return next;
  }

  /** Settles once every write requested so far has (successfully or not). */
  flushed(): Promise<void> {
    return this.last.catch(() => undefined);
  }
}
