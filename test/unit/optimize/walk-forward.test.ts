import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { inProcess, optimize, SpaceError, type EvaluationScope, type EvaluatorFactory } from '../../../src/optimize/index.ts';
import { dailyBars, smaCross } from './fixtures.ts';

const doc = smaCross({ fast: { default: 5, values: [3, 5, 8, 13] }, slow: { default: 20, values: [20, 30, 50] } });
const data = { bars: [dailyBars(700, 4)] };
const sizes = { inSample: 250, outOfSample: 100, unit: 'bars' as const };

describe('walk-forward', () => {
  it('optimizes each in-sample window on its own bars and runs the winner out of sample', async () => {
    const scopes: EvaluationScope[] = [];
    const spy: EvaluatorFactory = (scope) => {
      scopes.push(scope);
      return inProcess()(scope);
    };
    const r = await optimize(doc, data, { method: 'grid', walkForward: sizes }, spy);
    const wf = r.walkForward!;
    expect(wf.windows).toHaveLength(5);
    expect(scopes).toHaveLength(5);
    wf.windows.forEach((w, k) => {
      const bars = scopes[k]!.data.bars[0]!;
      // The search saw exactly the in-sample bars: none before, none after.
      expect(bars.length).toBe(250);
      expect(bars.time[0]).toBe(w.inSample.from);
      expect(bars.time[bars.length - 1]).toBe(w.inSample.to);
      expect(w.outOfSample.from).toBeGreaterThan(w.inSample.to);
      expect(w.evaluations).toBe(12);
      // The out-of-sample run is the winner, trading from the window's first bar, warm from earlier bars.
      const oosDoc = { ...doc, settings: { ...doc.settings, range: { from: new Date(w.outOfSample.from).toISOString() } } };
      const again = runBacktest(oosDoc, { bars: [dailyBars(Math.min(700, 250 + (k + 1) * 100), 4)] }, { params: w.params, audit: false });
      expect(w.outOfSampleStats).toEqual(again.stats);
      expect(w.outOfSampleStats.startTime).toBe(w.outOfSample.from);
      expect(w.outOfSampleStats.endTime).toBe(w.outOfSample.to);
      expect(w.inSampleScore).toBe(w.inSampleStats.sharpe);
    });
    expect(r.evaluations).toBe(60);
    expect(r.best?.params).toEqual(wf.windows.at(-1)!.params);
    // The stitched account compounds the windows: its final equity is the product of their growth.
    const growth = wf.windows.reduce((g, w) => g * (w.outOfSampleStats.finalEquity / w.outOfSampleStats.initialEquity), 1);
    expect(wf.outOfSample.stats.finalEquity).toBeCloseTo(doc.settings.initialCash * growth, 6);
    expect(wf.outOfSample.curves.time[0]).toBe(wf.windows[0]!.outOfSample.from);
    expect(wf.outOfSample.curves.time.length).toBe(450);
    expect(wf.outOfSample.trades.length).toBe(wf.windows.reduce((n, w) => n + w.outOfSampleStats.tradeCount, 0));
    expect(wf.outOfSample.score).toBe(wf.outOfSample.stats.sharpe);
    expect(wf.inSample.meanScore).toBeCloseTo(wf.windows.reduce((s, w) => s + w.inSampleScore, 0) / 5, 12);
  });

  it('anchored windows grow from the first bar', async () => {
    const r = await optimize(doc, data, { method: 'grid', walkForward: { ...sizes, anchored: true } });
    expect(r.walkForward!.windows.map((w) => w.inSample.bars)).toEqual([250, 350, 450, 550, 650]);
  });

  it('says so when the data are too short', async () => {
    await expect(optimize(doc, { bars: [dailyBars(200)] }, { method: 'grid', walkForward: sizes })).rejects.toThrow(SpaceError);
  });
});
