/**
 * Walk-forward never lets out-of-sample data into an in-sample choice: perturbing every bar after window
 * k's in-sample span (prices scaled by random factors, so indicators, signals and results all change)
 * leaves the parameters chosen in windows 0…k, and their in-sample statistics, exactly as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/rng.ts';
import { optimize, type OptimizeOptions } from '../../src/optimize/index.ts';
import type { BarColumns } from '../../src/schema/index.ts';
import { dailyBars, smaCross } from '../unit/optimize/fixtures.ts';

const doc = smaCross({ fast: { default: 3, values: [2, 3, 5, 8] }, slow: { default: 10, values: [10, 15, 25] } });

/** A copy of `b` whose bars after `after` are scaled by seeded random factors (still valid OHLC bars). */
function perturbAfter(b: BarColumns, after: number, seed: number): BarColumns {
  const rng = new Rng(seed);
  const copy = (a: Float64Array) => Float64Array.from(a);
  const out = { ...b, open: copy(b.open), high: copy(b.high), low: copy(b.low), close: copy(b.close) };
  for (let i = 0; i < b.length; i++) {
    if (b.time[i]! <= after) continue;
    const f = 0.5 + rng.next();
    out.open[i]! *= f;
    out.high[i]! *= f;
    out.low[i]! *= f;
    out.close[i]! *= f * (0.97 + 0.06 * rng.next());
    out.high[i] = Math.max(out.high[i]!, out.close[i]!);
    out.low[i] = Math.min(out.low[i]!, out.close[i]!);
  }
  return out;
}

describe('walk-forward: no out-of-sample leak', () => {
  it('perturbing bars after window k never changes the choices of windows 0…k', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({
        dataSeed: fc.integer({ min: 1, max: 1000 }),
        noiseSeed: fc.integer({ min: 1, max: 1000 }),
        inSample: fc.integer({ min: 60, max: 140 }),
        outOfSample: fc.integer({ min: 25, max: 70 }),
        anchored: fc.boolean(),
        days: fc.boolean(),
        method: fc.constantFrom('grid', 'random', 'genetic') as fc.Arbitrary<OptimizeOptions['method']>,
        pick: fc.nat(),
      }),
      async (c) => {
        const bars = dailyBars(360, c.dataSeed);
        const options: OptimizeOptions = {
          method: c.method, evaluations: c.method === 'grid' ? undefined : 6, seed: c.dataSeed,
          walkForward: { inSample: c.inSample, outOfSample: c.outOfSample, unit: c.days ? 'days' : 'bars', anchored: c.anchored },
        };
        const base = (await optimize(doc, { bars: [bars] }, options)).walkForward!;
        const k = c.pick % base.windows.length;
        const cut = base.windows[k]!.inSample.to;
        const perturbed = perturbAfter(bars, cut, c.noiseSeed);
        const moved = (await optimize(doc, { bars: [perturbed] }, options)).walkForward!;
        expect(moved.windows.length).toBe(base.windows.length);
        for (let w = 0; w <= k; w++) {
          expect(moved.windows[w]!.params).toEqual(base.windows[w]!.params);
          expect(moved.windows[w]!.inSampleStats).toEqual(base.windows[w]!.inSampleStats);
        }
        // The perturbation is real and only after the cut: every later close moved, no earlier one did. (The
        // last window's statistics are no witness: a window where nothing trades has the same stats on any
        // prices, which made this check flaky.)
        const after = Array.from(bars.time, (t, i) => [t, i] as const).filter(([t]) => t > cut).map(([, i]) => i);
        expect(after.length).toBeGreaterThan(0);
        for (const i of after) expect(perturbed.close[i]).not.toBe(bars.close[i]);
        for (let i = 0; i < bars.length && bars.time[i]! <= cut; i++) expect(perturbed.close[i]).toBe(bars.close[i]);
      },
    ), { numRuns: 25 });
  });
});
