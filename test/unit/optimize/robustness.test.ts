import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { bootstrap, distribution, heatmap, tradeReturns } from '../../../src/optimize/index.ts';
import type { Curves, Trade } from '../../../src/schema/index.ts';
import { dailyBars, landscapeEvaluator, smaCross, type Recording } from './fixtures.ts';

describe('Monte Carlo bootstrap of trades', () => {
  const returns = [4, -2, 3, -5, 1.5, 6, -1, 2, -3, 0.5];

  it('is deterministic per seed and differs across seeds', () => {
    const a = bootstrap(returns, { seed: 42, samples: 500 });
    expect(bootstrap(returns, { seed: 42, samples: 500 })).toEqual(a);
    expect(bootstrap(returns, { seed: 43, samples: 500 })).not.toEqual(a);
  });

  it('returns the 5/25/50/75/95 percentiles in order, drawdowns ≤ 0', () => {
    const r = bootstrap(returns, { seed: 1 });
    expect(r.samples).toBe(1000);
    expect(r.trades).toBe(10);
    for (const d of [r.totalReturnPct, r.maxDrawdownPct]) {
      expect(d.percentiles.map((x) => x.p)).toEqual([5, 25, 50, 75, 95]);
      const v = d.percentiles.map((x) => x.value);
      for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThanOrEqual(v[i - 1]!);
      expect(v[0]).toBeLessThan(v[4]!);
    }
    expect(r.maxDrawdownPct.percentiles.every((x) => x.value <= 0)).toBe(true);
  });

  it('collapses to the one possible outcome when every trade is alike', () => {
    const r = bootstrap([10, 10, 10], { seed: 7, samples: 50 });
    const expected = (1.1 ** 3 - 1) * 100;
    for (const x of r.totalReturnPct.percentiles) expect(x.value).toBeCloseTo(expected, 10);
    for (const x of r.maxDrawdownPct.percentiles) expect(x.value).toBe(0);
    expect(bootstrap([], { samples: 5 }).totalReturnPct.percentiles.every((x) => Number.isNaN(x.value))).toBe(true);
  });

  it('interpolates percentiles like numpy', () => {
    const d = distribution(Float64Array.of(4, 1, 3, 2), [0, 50, 25, 100]);
    expect(d.percentiles.map((x) => x.value)).toEqual([1, 2.5, 1.75, 4]);
    expect(d.mean).toBe(2.5);
  });

  it('measures each trade against the equity when it opened', () => {
    const trade = (entryTime: number, pnl: number) => ({ entryTime, pnl, returnPct: 99 }) as Trade;
    const curves = { time: Float64Array.of(10, 20, 30), equity: Float64Array.of(1000, 2000, 4000) } as Curves;
    expect(tradeReturns([trade(5, 10), trade(20, 100), trade(25, 100), trade(99, 40)], curves)).toEqual([1, 5, 5, 1]);
  });

  it('runs on a real backtest', () => {
    const doc = smaCross();
    const r = runBacktest(doc, { bars: [dailyBars(800, 2)] }, { audit: false });
    const b = bootstrap(tradeReturns(r.trades, r.curves), { seed: 3, samples: 200 });
    expect(b.trades).toBe(r.trades.length);
    expect(b.trades).toBeGreaterThan(5);
    expect(Number.isFinite(b.totalReturnPct.mean)).toBe(true);
  });
});

describe('parameter heatmap', () => {
  const doc = smaCross({
    fast: { default: 10, min: 2, max: 50, step: 1 }, slow: { default: 20, min: 5, max: 200, step: 5 }, other: { default: 1, values: [1, 2, 3] },
  });
  const data = { bars: [dailyBars(10)] };

  it('is a y × x grid over two parameters, others fixed, with the best cell', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const h = await heatmap(doc, data, { x: 'fast', y: 'slow', at: { other: 3 }, resolution: 100 }, landscapeEvaluator((p) => p.fast! + p.slow! / 1000, rec));
    expect(h.x.values).toHaveLength(49);
    expect(h.y.values).toHaveLength(40);
    expect(h.z).toHaveLength(40);
    expect(h.z.every((row) => row.length === 49)).toBe(true);
    expect(h.z[3]![2]).toBeCloseTo(4 + 20 / 1000, 12);
    expect(h.best).toEqual({ i: 48, j: 39, score: 50.2 });
    expect(rec.calls).toHaveLength(49 * 40);
    expect(rec.calls.every((p) => p.other === 3)).toBe(true);
  });

  it('thins each axis to the resolution, keeping both ends', async () => {
    const h = await heatmap(doc, data, { x: 'fast', y: 'slow', resolution: 5 }, landscapeEvaluator(() => 1));
    expect(h.x.values).toEqual([2, 14, 26, 38, 50]);
    expect(h.y.values).toEqual([5, 55, 105, 150, 200]); // indices 0, 10, 19.5 → 20, 29, 39
    expect(h.z.flat()).toHaveLength(25);
  });

  it('scores a plateau near 1 and a spike near 0', async () => {
    const plateau = await heatmap(doc, data, { x: 'fast', y: 'slow' }, landscapeEvaluator((p) => (Math.abs(p.fast! - 20) <= 5 && Math.abs(p.slow! - 100) <= 25 ? 2 - (p.fast === 20 && p.slow === 100 ? 0 : 0.1) : 0.1)));
    expect(plateau.best).toMatchObject({ score: 2 });
    expect(plateau.plateau).toBeCloseTo(0.95, 10);
    const spike = await heatmap(doc, data, { x: 'fast', y: 'slow' }, landscapeEvaluator((p) => (p.fast === 20 && p.slow === 100 ? 2 : 0.1)));
    expect(spike.plateau).toBeCloseTo(0.05, 10);
    const negative = await heatmap(doc, data, { x: 'fast', y: 'slow', resolution: 3 }, landscapeEvaluator(() => -1));
    expect(negative.plateau).toBeNaN();
  });

  it('rejects the same parameter twice', async () => {
    await expect(heatmap(doc, data, { x: 'fast', y: 'fast' }, landscapeEvaluator(() => 1))).rejects.toThrow(/two different/);
  });
});
