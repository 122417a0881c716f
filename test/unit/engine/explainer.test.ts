/**
 * The audit's explanations one after another (Explainer): a later bar walks on from the last one, the same
 * bar answers again, an earlier bar or a cancelled walk starts afresh. Every answer is explain's, which the
 * explain-traces tests hold to the run's own traces. The worker service keeps one such walk and lets it go
 * when a run starts.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, explain, Explainer, explainWalks, IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { createEngineService } from '../../../src/engine/service.ts';
import { determinismData, determinismDoc } from '../../golden/determinism.ts';

describe('Explainer: explanations walking on from the last one', () => {
  const doc = determinismDoc();
  const data = determinismData();
  const times = runBacktest(doc, data, { audit: false }).signals.map((s) => s.time);
  const pick = (f: number) => times[Math.floor(f * (times.length - 1))]!;

  it('answers each time as explain does, walking on for a later bar and from the first bar for an earlier one', () => {
    expect(times.length).toBeGreaterThan(20);
    const e = new Explainer(doc, data);
    const asked = [0.2, 0.21, 0.21, 0.6, 0.05, 0.9, 1];
    // The answers of fresh explains first: they walk through an Explainer of their own and count too.
    const want = asked.map((f) => explain(doc, data, pick(f)));
    const before = { ...explainWalks };
    asked.forEach((f, k) => expect(e.at(pick(f))).toEqual(want[k]));
    e.close();
    expect({ starts: explainWalks.starts - before.starts, continued: explainWalks.continued - before.continued, repeated: explainWalks.repeated - before.repeated })
      .toEqual({ starts: 2, continued: 4, repeated: 1 });
  });

  it('a cancelled walk throws CancelledError and leaves nothing behind: the next answer is explain\'s', () => {
    const e = new Explainer(doc, data);
    const later = explain(doc, data, pick(0.5));
    expect(e.at(pick(0.1))).toEqual(explain(doc, data, pick(0.1)));
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    expect(() => e.at(pick(0.95), flag)).toThrow(CancelledError);
    const starts = explainWalks.starts;
    expect(e.at(pick(0.5))).toEqual(later);
    expect(explainWalks.starts - starts).toBe(1);
  });

  it('a worker keeps one walk per document and data set, and lets it go when a run starts or the data set goes', () => {
    const service = createEngineService();
    service.load('d', data);
    const at = (f: number) => service.explain('d', doc, pick(f));
    const count = () => ({ ...explainWalks });
    const want = new Map([0.3, 0.7, 0.8].map((f) => [f, explain(doc, data, pick(f), { indicatorCache: new IndicatorCache() })]));
    let c = count();
    expect(at(0.3)).toEqual(want.get(0.3));
    expect(at(0.7)).toEqual(want.get(0.7));
    expect(explainWalks.starts - c.starts).toBe(1);
    expect(explainWalks.continued - c.continued).toBe(1);
    c = count();
    service.run({ id: 1, dataId: 'd', doc, audit: false });
    expect(at(0.8)).toEqual(want.get(0.8));
    expect(explainWalks.starts - c.starts).toBe(1);
    c = count();
    service.load('d', data);
    at(0.9);
    expect(explainWalks.starts - c.starts).toBe(1);
  });

  it('a walk nobody asks anything of for explainIdleMs is let go; each explanation starts the wait again', () => {
    const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
    const schedule = (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => { t.cancelled = true; };
    };
    const service = createEngineService({ explainIdleMs: 60_000, schedule });
    service.load('d', data);
    const at = (f: number) => service.explain('d', doc, pick(f));
    const live = () => timers.filter((t) => !t.cancelled);
    let c = { ...explainWalks };
    at(0.3);
    at(0.5);
    // One wait pending, the latest: the first was cancelled by the second explanation.
    expect(live().map((t) => t.ms)).toEqual([60_000]);
    expect(explainWalks.continued - c.continued).toBe(1);
    live()[0]!.fn();
    // Computed before counting: explain walks through an Explainer too.
    const want = explain(doc, data, pick(0.7), { indicatorCache: new IndicatorCache() });
    c = { ...explainWalks };
    expect(at(0.7)).toEqual(want);
    expect(explainWalks.starts - c.starts).toBe(1);
    expect(explainWalks.continued - c.continued).toBe(0);
    // A run ends the walk and its wait.
    service.run({ id: 1, dataId: 'd', doc, audit: false });
    expect(live()).toEqual([]);
  });
});
