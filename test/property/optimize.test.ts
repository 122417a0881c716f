/**
 * Search properties on random landscapes (fast-check):
 *   1. the same seed gives the same result however a pool orders or splits the evaluations;
 *   2. no candidate is ever evaluated twice, and the budget is never exceeded;
 *   3. the winner is the best of everything evaluated (ties broken the same way every time);
 *   4. bootstrap percentiles are deterministic per seed, ordered, and within the reachable range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/rng.ts';
import { bootstrap, optimize, type OptimizeOptions } from '../../src/optimize/index.ts';
import type { ParamValues } from '../../src/strategy/index.ts';
import { dailyBars, landscapeEvaluator, pooledEvaluator, smaCross, type Recording } from '../unit/optimize/fixtures.ts';

const data = { bars: [dailyBars(10)] };

/** A random landscape with coarse values, so that ties (and the tie-break) really happen; some NaN. */
function landscape(seed: number): (p: ParamValues) => number {
  return (p) => {
    const r = new Rng((Math.imul(p.a! * 7919 + p.b! * 104729 + p.c!, 0x9e3779b1) ^ seed) >>> 0).next();
    return r < 0.05 ? NaN : Math.round(r * 20);
  };
}

const optionsArb = fc.record({
  method: fc.constantFrom('grid', 'random', 'genetic') as fc.Arbitrary<OptimizeOptions['method']>,
  seed: fc.integer({ min: 0, max: 1e6 }),
  evaluations: fc.integer({ min: 1, max: 150 }),
  population: fc.integer({ min: 2, max: 30 }),
  batchSize: fc.integer({ min: 1, max: 64 }),
});

const doc = smaCross({
  a: { default: 1, min: 1, max: 9, step: 1 }, b: { default: 0, min: 0, max: 0.9, step: 0.1 }, c: { default: 4, values: [1, 2, 4, 8] },
  fast: { default: 10 }, slow: { default: 20 },
});

describe('search properties', () => {
  it('same seed ⇒ same result across 1 and N simulated workers; never the same candidate twice; within budget', async () => {
    await fc.assert(fc.asyncProperty(optionsArb, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 8 }), async (o, land, workers) => {
      const f = landscape(land);
      const options: OptimizeOptions = { method: o.method, seed: o.seed, evaluations: o.method === 'grid' ? undefined : o.evaluations, batchSize: o.batchSize, genetic: { population: o.population }, top: 400 };
      const rec: Recording = { calls: [], batches: 0 };
      const one = await optimize(doc, data, options, landscapeEvaluator(f, rec));
      const many = await optimize(doc, data, options, pooledEvaluator(f, workers, o.seed + workers));
      expect({ ...many, elapsedMs: 0, evaluationsPerSecond: 0 }).toEqual({ ...one, elapsedMs: 0, evaluationsPerSecond: 0 });

      const keys = rec.calls.map((p) => `${p.a}|${p.b}|${p.c}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(one.evaluations).toBe(keys.length);
      if (o.method !== 'grid') expect(one.evaluations).toBeLessThanOrEqual(o.evaluations);
      else expect(one.evaluations).toBe(360);
      // Fixed parameters stay at their defaults in every candidate.
      expect(rec.calls.every((p) => p.fast === 10 && p.slow === 20)).toBe(true);

      // The winner has the highest score of all evaluated candidates (NaN only if all are NaN).
      const scores = rec.calls.map(f).filter((v) => !Number.isNaN(v));
      if (scores.length > 0) expect(one.best!.score).toBe(Math.max(...scores));
      for (let i = 1; i < one.top.length; i++) {
        const [x, y] = [one.top[i - 1]!.score, one.top[i]!.score];
        expect(Number.isNaN(y) || x >= y).toBe(true);
      }
    }), { numRuns: 60 });
  });
});

describe('bootstrap properties', () => {
  it('percentiles are deterministic per seed, ordered and within the reachable range', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 0, max: 1e6 }),
      fc.integer({ min: 1, max: 300 }),
      (returns, seed, samples) => {
        const a = bootstrap(returns, { seed, samples });
        expect(bootstrap(returns, { seed, samples })).toEqual(a);
        const n = returns.length;
        const lo = ((1 + Math.min(...returns) / 100) ** n - 1) * 100, hi = ((1 + Math.max(...returns) / 100) ** n - 1) * 100;
        const tol = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
        for (const d of [a.totalReturnPct, a.maxDrawdownPct]) {
          const v = d.percentiles.map((x) => x.value);
          for (let i = 1; i < v.length; i++) expect(v[i]! + tol).toBeGreaterThanOrEqual(v[i - 1]!);
        }
        for (const x of a.totalReturnPct.percentiles) {
          expect(x.value).toBeGreaterThanOrEqual(lo - tol);
          expect(x.value).toBeLessThanOrEqual(hi + tol);
        }
        for (const x of a.maxDrawdownPct.percentiles) {
          expect(x.value).toBeLessThanOrEqual(0);
          expect(x.value).toBeGreaterThanOrEqual(-100 - tol);
        }
      },
    ), { numRuns: 200 });
  });
});
