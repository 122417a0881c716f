import { describe, expect, it } from 'vitest';
import { optimize, SpaceError, type OptimizeOptions } from '../../../src/optimize/index.ts';
import { bowl, dailyBars, landscapeEvaluator, pooledEvaluator, rugged, smaCross, statsWith, type Recording } from './fixtures.ts';

const doc = smaCross(); // fast 2…50 × slow 5…200 step 5: 1,960 candidates
const data = { bars: [dailyBars(10)] };
const keyOf = (p: Record<string, number>) => `${p.fast}/${p.slow}`;

describe('grid search', () => {
  it('finds the known optimum of a synthetic landscape, evaluating every candidate exactly once', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const r = await optimize(doc, data, { method: 'grid', batchSize: 500 }, landscapeEvaluator(bowl(17, 135), rec));
    expect(r.best?.params).toEqual({ fast: 17, slow: 135 });
    expect(r.best?.score).toBe(10);
    expect(r.evaluations).toBe(1960);
    expect(rec.calls).toHaveLength(1960);
    expect(new Set(rec.calls.map(keyOf)).size).toBe(1960);
    expect(rec.batches).toBe(4);
    expect(r.stopReason).toBe('exhausted');
    expect(r.top).toHaveLength(10);
    expect(r.top[1]!.score).toBeLessThanOrEqual(r.top[0]!.score);
    expect(r.space).toEqual([{ name: 'fast', count: 49 }, { name: 'slow', count: 40 }]);
    expect(r.evaluationsPerSecond).toBeGreaterThan(0);
  });

  it('refuses a grid beyond its ceiling instead of running for ever', async () => {
    await expect(optimize(doc, data, { method: 'grid', evaluations: 1000 }, landscapeEvaluator(bowl(17, 135)))).rejects.toThrow(SpaceError);
  });

  it('ranks a constraint violator below every feasible candidate and NaN last', async () => {
    // The landscape's peak (fast 17) has too few trades; fast 18 is NaN; the feasible best is the runner-up.
    const f = bowl(17, 135);
    const evaluator = landscapeEvaluator((p) => statsWith(p.fast === 18 ? NaN : f(p), { tradeCount: p.fast === 17 ? 2 : 10 }));
    const r = await optimize(doc, data, { method: 'grid', constraints: { minTrades: 5 } }, evaluator);
    expect(r.best?.params.fast).not.toBe(17);
    expect(r.best?.feasible).toBe(true);
    expect(r.best?.params).toEqual({ fast: 16, slow: 135 });
    const all = await optimize(doc, data, { method: 'grid', constraints: { minTrades: 5 }, top: 1960 }, evaluator);
    const firstInfeasible = all.top.findIndex((c) => !c.feasible);
    expect(all.top.slice(firstInfeasible).every((c) => !c.feasible || Number.isNaN(c.score))).toBe(true);
    expect(all.top.slice(-40).every((c) => Number.isNaN(c.score))).toBe(true);
  });
});

describe('random search', () => {
  it('evaluates exactly the budget of distinct candidates, the same ones for the same seed', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const a = await optimize(doc, data, { method: 'random', evaluations: 300, seed: 5 }, landscapeEvaluator(bowl(17, 135), rec));
    expect(a.evaluations).toBe(300);
    expect(new Set(rec.calls.map(keyOf)).size).toBe(300);
    const b = await optimize(doc, data, { method: 'random', evaluations: 300, seed: 5 }, landscapeEvaluator(bowl(17, 135)));
    expect(b.top).toEqual(a.top);
    const c = await optimize(doc, data, { method: 'random', evaluations: 300, seed: 6 }, landscapeEvaluator(bowl(17, 135)));
    expect(c.top).not.toEqual(a.top);
  });

  it('covers the whole space when the budget exceeds it', async () => {
    const small = smaCross({ fast: { default: 2, values: [2, 3, 4] }, slow: { default: 10, values: [10, 20] } });
    const r = await optimize(small, data, { method: 'random', evaluations: 50 }, landscapeEvaluator(bowl(3, 20)));
    expect(r.evaluations).toBe(6);
    expect(r.stopReason).toBe('exhausted');
    expect(r.best?.params).toEqual({ fast: 3, slow: 20 });
  });
});

describe('genetic search', () => {
  it('reaches the planted optimum of a rugged seeded landscape within 400 of 1,960 evaluations', async () => {
    for (const [seed, fast, slow] of [[1, 17, 135], [2, 44, 20], [3, 5, 190]] as const) {
      const rec: Recording = { calls: [], batches: 0 };
      const r = await optimize(doc, data, { method: 'genetic', evaluations: 400, seed, genetic: { patience: 40 } }, landscapeEvaluator(rugged(fast, slow, seed), rec));
      expect(r.best?.params, `seed ${seed}`).toEqual({ fast, slow });
      expect(r.evaluations).toBeLessThanOrEqual(400);
      // Never the same candidate twice.
      expect(new Set(rec.calls.map(keyOf)).size).toBe(rec.calls.length);
    }
  });

  it('stops on stagnation before spending the budget on a flat landscape', async () => {
    const r = await optimize(doc, data, { method: 'genetic', evaluations: 1960, genetic: { population: 20, patience: 3 } }, landscapeEvaluator(() => 1));
    expect(r.stopReason).toBe('stagnation');
    expect(r.generations).toBe(4);
    expect(r.evaluations).toBeLessThan(100);
  });

  it('starts from the document defaults', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    await optimize(doc, data, { method: 'genetic', evaluations: 50 }, landscapeEvaluator(bowl(17, 135), rec));
    expect(rec.calls[0]).toEqual({ fast: 10, slow: 20 });
  });
});

describe('determinism across workers', () => {
  const cases: OptimizeOptions[] = [
    { method: 'grid', batchSize: 97 },
    { method: 'random', evaluations: 250, seed: 11, batchSize: 64 },
    { method: 'genetic', evaluations: 500, seed: 12, genetic: { population: 30 } },
  ];
  for (const options of cases) {
    it(`${options.method}: one in-order worker and 1, 3 or 7 shuffled workers give identical results`, async () => {
      const f = rugged(23, 80, 99);
      const one = await optimize(doc, data, options, landscapeEvaluator(f));
      for (const workers of [1, 3, 7]) {
        const many = await optimize(doc, data, options, pooledEvaluator(f, workers, workers * 31));
        expect({ ...many, elapsedMs: 0, evaluationsPerSecond: 0 }).toEqual({ ...one, elapsedMs: 0, evaluationsPerSecond: 0 });
      }
    });
  }
});

describe('progress', () => {
  it('reports evaluations against the planned total and the best so far', async () => {
    const seen: { evaluations: number; total: number; best?: Record<string, number> }[] = [];
    await optimize(doc, data, { method: 'grid', batchSize: 1000 }, landscapeEvaluator(bowl(17, 135)), (p) => seen.push({ evaluations: p.evaluations, total: p.total, best: p.best?.params }));
    expect(seen).toEqual([
      { evaluations: 1000, total: 1960, best: expect.any(Object) },
      { evaluations: 1960, total: 1960, best: { fast: 17, slow: 135 } },
    ]);
  });
});

describe('cancellation', () => {
  it('stops between batches when the signal aborts', async () => {
    const ac = new AbortController();
    const run = optimize(doc, data, { method: 'grid', batchSize: 100 }, landscapeEvaluator(bowl(17, 135)), (p) => {
      if (p.evaluations >= 300) ac.abort();
    }, ac.signal);
    await expect(run).rejects.toThrow();
  });
});
