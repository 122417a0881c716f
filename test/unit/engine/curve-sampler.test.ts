import { describe, expect, it } from 'vitest';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { CurveSampler } from '../../../src/engine/fast/curve-sampler.ts';
import { walkRuns } from '../../../src/engine/fast/run.ts';
import { Recorder } from '../../../src/engine/recorder.ts';
import { bucketOf, dayKeyOf, sampleCurves } from '../../../src/engine/result.ts';
import type { RunResult } from '../../../src/schema/index.ts';
import { same } from '../../helpers/same-bits.ts';
import { doc } from './helpers.ts';

/**
 * A full-record run on the compiled walk samples its curves chunk by chunk as it folds its statistics
 * (CurveSampler), instead of keeping every step's history for sampleCurves. The random documents of the
 * differential property test never fill one 4,096-step chunk, so the chunk seams are pinned here.
 */

/** A seeded xorshift in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

/** A recorder of `n` minute steps (overnight gaps), equity a random walk, the benchmark unknown (NaN, then 0) at first. */
function recorded(n: number, seed: number): Recorder {
  const r = rng(seed), rec = new Recorder(n);
  let t = Date.UTC(2021, 2, 1, 14, 30), e = 1000, b = 50;
  for (let i = 0; i < n; i++) {
    t += i % 390 === 0 ? 17.5 * 3_600_000 : 60_000;
    e *= 1 + (r() - 0.5) / 50;
    b *= 1 + (r() - 0.5) / 80;
    rec.push(t, e, r() < 0.5 ? 1 : 0, i < 37 ? NaN : i < 60 ? 0 : b);
  }
  return rec;
}

describe('CurveSampler ≡ sampleCurves', () => {
  it('gives the same samples, drawdowns and benchmark, bit for bit, whatever the chunks (hour, day and bar sampling)', () => {
    for (const sampling of ['hour', 'day', 'auto'] as const) {
      const settings = doc({ timeframe: '1m', sampling, initialCash: 1000 }, [{ action: { type: 'buy', amount: { unit: 'all' } } }]).settings;
      for (const seed of [1, 2, 3]) {
        const n = 9000 + seed * 1234;
        const whole = recorded(n, seed);
        const want = sampleCurves({ recorder: whole, settings });
        const r = rng(seed + 100);
        const time = whole.time.slice(0, n);
        // By day the walk hands the timeline's day-key column (dayColumn) instead of the bucket function.
        const byDay = sampling === 'day' ? { days: time.map(dayKeyOf(settings)) } : null;
        const sampler = new CurveSampler(time, n - 1, byDay ?? { bucket: bucketOf(settings)! });
        const chunk = new Recorder(16);
        for (let at = 0; at < n;) {
          // Chunks from 1 step to a few thousand, as a walk folds them (a bucket often straddles a seam).
          const len = Math.min(n - at, 1 + Math.floor(r() * (r() < 0.3 ? 5 : 3000)));
          chunk.length = 0;
          for (let i = at; i < at + len; i++) chunk.push(whole.time[i]!, whole.equity[i]!, whole.exposed[i]!, whole.benchmark[i]!);
          sampler.add(chunk, at);
          at += len;
        }
        const got = sampler.finish(settings.initialCash);
        expect(got.time.length).toBeGreaterThan(20);
        expect(same(got, want, `${sampling} seed ${seed}`)).toBeNull();
      }
    }
  });
});

describe('a full-record compiled run over many chunks', () => {
  // With halts and missing minutes, and aligned (every asset has a bar at every step: what held folding needs).
  const gapped = generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.2, seed: 9, gaps: true });
  const aligned = generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.2, seed: 9, gaps: false });
  const strategies = [
    {
      id: 'cross', condition: { lhs: { kind: 'sma', asset: 'AAA', window: { bars: 20 } }, op: 'crossesAbove', rhs: { kind: 'sma', asset: 'AAA', window: { bars: 90 } } },
      action: { type: 'buy', asset: 'AAA', amount: { unit: 'percentOfEquity', value: 40 } },
    },
    {
      id: 'exit', condition: { lhs: { kind: 'sma', asset: 'AAA', window: { bars: 20 } }, op: 'crossesBelow', rhs: { kind: 'sma', asset: 'AAA', window: { bars: 90 } } },
      action: { type: 'sell', asset: 'AAA', amount: { unit: 'all' } },
    },
    {
      id: 'b', condition: { lhs: { kind: 'price', asset: 'BBB', field: 'close' }, op: '>', rhs: { kind: 'sma', asset: 'BBB', window: { bars: 300 } } },
      action: { type: 'buy', asset: 'BBB', amount: { unit: 'percentOfEquity', value: 5 } },
    },
  ] as Parameters<typeof doc>[1];

  it('has the reference kernel\'s curves and statistics, bit for bit, with each sampling and closeAtEnd', () => {
    expect(gapped[0]!.length).toBeGreaterThan(4 * 4096);
    const before = walkRuns.sampled;
    for (const sampling of ['auto', 'hour', 'day', 'bar'] as const) {
      // Without BBB's strategy and with AAA the benchmark (the default), a stretch holding only AAA is one a
      // stats-only run folds whole (foldHeld): a full record must still sample every step of it.
      for (const [closeAtEnd, benchmark, used, bars] of [[false, 'BBB', 3, gapped], [true, 'BBB', 3, gapped], [false, undefined, 2, aligned], [true, undefined, 2, aligned]] as const) {
        const d = doc({ universe: ['AAA', 'BBB'], timeframe: '1m', sampling, closeAtEnd, initialCash: 100_000, benchmark, fees: { fraction: 0.0005 } }, strategies.slice(0, used));
        const ref = runBacktest(d, { bars }, { engine: 'reference', audit: false });
        const fast = runBacktest(d, { bars }, { engine: 'fast', audit: false });
        expect(fast.engine).toBe('fast');
        expect(fast.trades.length).toBeGreaterThan(3);
        const strip = (r: RunResult) => ({ stats: r.stats, curves: r.curves, trades: r.trades, orders: r.orders });
        expect(same(strip(fast), strip(ref), `${sampling} closeAtEnd ${closeAtEnd}`)).toBeNull();
      }
    }
    // Every run but the 'bar' ones (curves of every step come from the whole history) took the sampler.
    expect(walkRuns.sampled - before).toBe(12);
  });
});
