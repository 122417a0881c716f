import { describe, expect, it } from 'vitest';
import { PREPARE_DELAY_MS, schedulePrepare, type PrepareScheduler } from '../../../src/ui/hooks/usePrepareRun.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';

/** Timers and idle callbacks run by hand: `advance(ms)` fires due timers, `idle()` runs the idle queue. */
function fakeScheduler() {
  let now = 0, next = 1;
  const timers = new Map<number, { at: number; f: () => void }>();
  const idleQueue: (() => void)[] = [];
  const s: PrepareScheduler = {
    setTimer: (f, ms) => {
      const id = next++;
      timers.set(id, { at: now + ms, f });
      return id;
    },
    clearTimer: (h) => { timers.delete(h as number); },
    idle: (f) => { idleQueue.push(f); },
  };
  return {
    s,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) { timers.delete(id); t.f(); }
    },
    idle() {
      for (const f of idleQueue.splice(0)) f();
    },
  };
}

const doc = (name: string) => ({ name }) as unknown as StrategyDocument;

describe('readying a run of the edited document (usePrepareRun)', () => {
  it('prepares once edits have paused for the delay and the page is idle, not before', () => {
    const f = fakeScheduler();
    const asked: string[] = [];
    schedulePrepare(async (d) => { asked.push(d.name); }, doc('a'), f.s);
    f.advance(PREPARE_DELAY_MS - 1);
    f.idle();
    expect(asked).toEqual([]);
    f.advance(1);
    expect(asked).toEqual([]); // due, but waits for an idle moment
    f.idle();
    expect(asked).toEqual(['a']);
  });

  it('an edit before it ran cancels it (an edit burst prepares the last document only), also when already waiting for idle', () => {
    const f = fakeScheduler();
    const asked: string[] = [];
    const prepare = async (d: StrategyDocument) => { asked.push(d.name); };
    const cancelA = schedulePrepare(prepare, doc('a'), f.s);
    f.advance(500);
    cancelA();
    const cancelB = schedulePrepare(prepare, doc('b'), f.s);
    f.advance(PREPARE_DELAY_MS);
    cancelB(); // B's timer fired and it waits for idle: cancelled there
    schedulePrepare(prepare, doc('c'), f.s);
    f.advance(PREPARE_DELAY_MS);
    f.idle();
    expect(asked).toEqual(['c']);
  });

  it('a failed prepare is dropped (it only loses a head start), not an unhandled rejection', async () => {
    const f = fakeScheduler();
    let called = 0;
    schedulePrepare(() => { called++; return Promise.reject(new Error('worker gone')); }, doc('a'), f.s);
    f.advance(PREPARE_DELAY_MS);
    f.idle();
    await new Promise((r) => setTimeout(r, 0));
    expect(called).toBe(1);
  });
});
