import type { Disposable } from '../core/event';

/** `run`, at most once per `ms` however often it is asked for: for rendering what changes in bursts (calls). */
export interface Coalesced extends Disposable {
  /** Runs `run` within `ms`, once for every request made meanwhile. */
  schedule(): void;
}

export function coalesced(run: () => void, ms: number): Coalesced {
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule: () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        run();
      }, ms);
    },
    dispose: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
