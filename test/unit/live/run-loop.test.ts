/**
 * The headless tick loop's clock seam (runner.ts): a stream's "bar completed" ends the poll interval at once, a
 * bar announced during a tick is not lost (the next wait ends at once), and a wait the loop gives up aborts its
 * timer. Driven by a fake scheduler: nothing here waits on the wall clock.
 */
import { describe, expect, it } from 'vitest';
import { runLoop, timerSleep } from '../../../src/live/runner.ts';

/** A scheduler whose waits end only when released (or aborted); it records every wait. */
function scheduler() {
  const waits: { ms: number; ended: 'released' | 'aborted' | null; release: () => void }[] = [];
  const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((r) => {
    const w = { ms, ended: null as 'released' | 'aborted' | null, release: () => { w.ended ??= 'released'; r(); } };
    signal?.addEventListener('abort', () => { w.ended ??= 'aborted'; r(); });
    waits.push(w);
  });
  return { waits, sleep };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('runLoop wakes on stream bars', () => {
  it('a bar ends the wait at once; one announced during a tick makes the next wait end at once; stop ends the loop', async () => {
    const s = scheduler();
    let announce = () => {};
    let unsubscribed = 0;
    let ticks = 0, stop = false;
    let duringTick: (() => void) | null = null;
    const loop = runLoop({
      tick: async () => { ticks++; duringTick?.(); duringTick = null; return 1; },
      poll: async () => {}, busy: () => false, pollMs: 60_000, stopped: () => stop, sleep: s.sleep,
      wake: (f) => { announce = f; return () => { unsubscribed++; }; },
    });
    for (let i = 0; i < 5 && s.waits.length < 1; i++) await turn();
    expect([ticks, s.waits.length]).toEqual([1, 1]);
    announce();
    for (let i = 0; i < 5 && s.waits.length < 2; i++) await turn();
    expect([ticks, s.waits[0]!.ended, s.waits.length]).toEqual([2, 'aborted', 2]);
    // A bar announced while the third tick runs: the wait after it is skipped, the fourth tick follows at once.
    duringTick = () => announce();
    announce();
    for (let i = 0; i < 10 && s.waits.length < 3; i++) await turn();
    expect([ticks, s.waits.length]).toEqual([4, 3]);
    expect(s.waits.map((w) => w.ms)).toEqual([60_000, 60_000, 60_000]);
    stop = true;
    s.waits[2]!.release();
    expect(await loop).toEqual({ steps: 4, settled: true });
    expect(unsubscribed).toBe(1);
  });

  it('without a stream the loop waits out its poll interval', async () => {
    const s = scheduler();
    let ticks = 0;
    const loop = runLoop({ tick: async () => ++ticks, poll: async () => {}, busy: () => false, pollMs: 5, maxSteps: 3, stopped: () => false, sleep: s.sleep });
    for (let i = 0; i < 20 && ticks < 2; i++) {
      await turn();
      s.waits.at(-1)?.release();
    }
    await loop;
    expect(s.waits.every((w) => w.ended === 'released')).toBe(true);
  });

  it('timerSleep: an abort ends it early and clears its timer', async () => {
    const ac = new AbortController();
    const p = timerSleep(3_600_000, ac.signal);
    ac.abort();
    await p;
    await timerSleep(3_600_000, ac.signal);
    await timerSleep(0);
  });
});
