/**
 * The loop every headless deployment runs: tick, wait, until told to stop, `maxSteps` live bars have
 * been stepped or a replayed feed is exhausted — then keep polling (no new bars) until its open orders settle, bounded by `settleTicks`.
 * Time is injected (sleep) so tests drive it without waiting.
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
  sleep: (ms: number) => Promise<void>;
}

export async function runLoop(o: LoopOptions): Promise<{ steps: number; settled: boolean }> {
  let steps = 0;
  while (!o.stopped() && (o.maxSteps === undefined || steps < o.maxSteps)) {
    steps += await o.tick();
    if (o.maxSteps !== undefined && steps >= o.maxSteps) break;
    if (o.exhausted?.()) break;
    await o.sleep(o.pollMs);
  }
  let n = 0;
  while (!o.stopped() && o.maxSteps !== undefined && o.busy() && n++ < (o.settleTicks ?? 60)) {
    await o.sleep(o.pollMs);
    await o.poll();
  }
  return { steps, settled: !o.busy() };
}
