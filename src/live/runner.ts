/**
 * The loop every headless deployment runs: tick, wait, until told to stop, `maxSteps` live bars have
 * been stepped or a replayed feed is exhausted — then keep polling (no new bars) until its open orders settle, bounded by `settleTicks`.
 * Time is injected (sleep) so tests drive it without waiting; a streaming broker's completed bar wakes it early.
 */
export interface LoopOptions {
  /** One round; returns the bars stepped. */
  tick: () => Promise<number>;
  /** Broker news only. */
  poll: () => Promise<void>;
  busy: () => boolean;
  pollMs: number;
  maxSteps?: number;
  settleTicks?: number;
  stopped: () => boolean;
  /** True once the feed has nothing left to step (a practice replay at the end of its data). */
  exhausted?: () => boolean;
  /** Waits `ms` (the clock seam); may end early when `signal` aborts (the loop woke up). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Subscribes to "a bar completed" from a stream (Broker.onBar): the loop then ticks at once instead of
   * finishing its poll interval. A bar that arrives during a tick makes the next wait end at once.
   */
  wake?: (listener: () => void) => () => void;
}

export async function runLoop(o: LoopOptions): Promise<{ steps: number; settled: boolean }> {
  let woken = false;
  let interrupt: (() => void) | null = null;
  const off = o.wake?.(() => {
    woken = true;
    interrupt?.();
  });
  /** The poll interval, cut short by a stream bar (one that came during the tick ends it at once). */
  const pause = async () => {
    if (!woken) {
      const ac = new AbortController();
      await Promise.race([o.sleep(o.pollMs, ac.signal), new Promise<void>((r) => { interrupt = r; })]);
      interrupt = null;
      ac.abort();
    }
    woken = false;
  };
  try {
    let steps = 0;
    while (!o.stopped() && (o.maxSteps === undefined || steps < o.maxSteps)) {
      steps += await o.tick();
      if (o.maxSteps !== undefined && steps >= o.maxSteps) break;
      if (o.exhausted?.()) break;
      await pause();
    }
    let n = 0;
    while (!o.stopped() && o.maxSteps !== undefined && o.busy() && n++ < (o.settleTicks ?? 60)) {
      await o.sleep(o.pollMs);
      await o.poll();
    }
    return { steps, settled: !o.busy() };
  } finally {
    off?.();
  }
}

/** setTimeout as a sleep that an abort ends early (its timer cleared, so nothing keeps the process alive). */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
