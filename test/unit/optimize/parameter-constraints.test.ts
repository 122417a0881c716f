/**
 * Parameter constraints (`fast < slow`): validated with JSON paths, and honoured by every search — no search
 * ever evaluates a combination a constraint rejects, the grid counts only feasible ones, and the same seed
 * gives the same result in one worker or many.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heatmap, inProcess, optimize, SpaceError, type EvaluatorFactory, type OptimizeOptions } from '../../../src/optimize/index.ts';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { PROJECT_ROOT } from '../../helpers/shared-data.ts';
import { bowl, dailyBars, landscapeEvaluator, pooledEvaluator, rugged, smaCross, type Recording } from './fixtures.ts';

const FAST_LT_SLOW = [{ left: 'fast', op: '<', right: 'slow' }];
const doc = smaCross(undefined, 'SPY', FAST_LT_SLOW); // fast 2…50 × slow 5…200 step 5, fast < slow
const data = { bars: [dailyBars(10)] };
// slow 5: fast 2–4 (3); slow 10…50: 8, 13, …, 48; slow 55…200: all 49 fast values (30 × 49).
const FEASIBLE = 3 + 8 + 13 + 18 + 23 + 28 + 33 + 38 + 43 + 48 + 30 * 49;
const feasible = (p: Record<string, number>) => p.fast! < p.slow!;

function parsed(json: Record<string, unknown>) {
  const base = JSON.parse(readFileSync(join(PROJECT_ROOT, 'public', 'strategies', 'sma-cross.json'), 'utf8'));
  return parseDocument({ ...base, ...json });
}

describe('parameter constraints in the schema', () => {
  it('accepts fast < slow and keeps it on the document', () => {
    const r = parsed({ parameterConstraints: FAST_LT_SLOW });
    expect(r.ok && r.doc.parameterConstraints).toEqual(FAST_LT_SLOW);
  });

  it('refuses a constraint naming an unknown parameter, with its place', () => {
    const r = parsed({ parameterConstraints: [{ left: 'fast', op: '<', right: 'slowest' }] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([{ path: 'parameterConstraints[0].right', message: 'unknown parameter "slowest"; the document declares: fast, slow' }]);
  });

  it('refuses an unknown operator, one parameter on both sides, and defaults that break the constraint', () => {
    const op = parsed({ parameterConstraints: [{ left: 'fast', op: '<<', right: 'slow' }] });
    expect(!op.ok && op.errors.map((e) => e.path)).toEqual(['parameterConstraints[0].op']);
    const same = parsed({ parameterConstraints: [{ left: 'fast', op: '<', right: 'fast' }] });
    expect(!same.ok && same.errors).toEqual([{ path: 'parameterConstraints[0].right', message: 'a constraint relates two different parameters, got "fast" on both sides' }]);
    const defaults = parsed({ parameterConstraints: [{ left: 'fast', op: '>', right: 'slow' }] });
    expect(!defaults.ok && defaults.errors).toEqual([{
      path: 'parameterConstraints[0]',
      message: 'the defaults break fast > slow (fast = 10, slow = 20); change a default or the constraint',
    }]);
  });
});

/** An evaluator that records every candidate and fails the test if one breaks the constraint. */
function guarded(f = bowl(17, 135), rec: Recording = { calls: [], batches: 0 }): EvaluatorFactory {
  const inner = landscapeEvaluator(f, rec);
  return (scope) => {
    const ev = inner(scope);
    return async (cands) => {
      const bad = cands.find((p) => !feasible(p));
      if (bad) throw new Error(`evaluated an infeasible candidate ${JSON.stringify(bad)}`);
      return ev(cands);
    };
  };
}

describe('every search honours the constraints', () => {
  it('grid: evaluates exactly the feasible combinations and says how many were excluded', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const r = await optimize(doc, data, { method: 'grid', evaluations: 2000 }, guarded(bowl(17, 135), rec));
    expect(r.gridSize).toBe(1960);
    expect(r.feasibleSize).toBe(FEASIBLE);
    expect(r.evaluations).toBe(FEASIBLE);
    expect(rec.calls).toHaveLength(FEASIBLE);
    expect(new Set(rec.calls.map((p) => `${p.fast}/${p.slow}`)).size).toBe(FEASIBLE);
    expect(r.best?.params).toEqual({ fast: 17, slow: 135 });
  });

  it('grid: a peak a constraint rejects is never chosen (the best feasible one is)', async () => {
    // The landscape peaks at fast 40, slow 10 (fast > slow): the best with fast < slow is fast 39, slow 40
    // (10 − 1/50 − 30²/500 = 8.18), well below the peak's 10.
    const r = await optimize(doc, data, { method: 'grid', evaluations: 2000 }, guarded(bowl(40, 10)));
    expect(r.best?.params).toEqual({ fast: 39, slow: 40 });
    expect(r.best?.score).toBeCloseTo(8.18, 12);
  });

  it('grid: the ceiling applies to the feasible count (1,725 fits 1,800 although 1,960 does not)', async () => {
    await expect(optimize(doc, data, { method: 'grid', evaluations: 1800 }, guarded())).resolves.toMatchObject({ evaluations: FEASIBLE });
    await expect(optimize(doc, data, { method: 'grid', evaluations: 1000 }, guarded())).rejects.toThrow('the grid has 1725 candidates (1725 of 1960 satisfy the parameter constraints), more than 1000');
  });

  it('random: spends the budget on distinct feasible candidates, the same ones for the same seed', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const a = await optimize(doc, data, { method: 'random', evaluations: 500, seed: 3 }, guarded(bowl(17, 135), rec));
    expect(a.evaluations).toBe(500);
    expect(new Set(rec.calls.map((p) => `${p.fast}/${p.slow}`)).size).toBe(500);
    const b = await optimize(doc, data, { method: 'random', evaluations: 500, seed: 3 }, guarded());
    expect(b.top).toEqual(a.top);
  });

  it('random: a budget above the feasible count covers exactly the feasible space', async () => {
    const r = await optimize(doc, data, { method: 'random', evaluations: 5000 }, guarded());
    expect(r.evaluations).toBe(FEASIBLE);
    expect(r.stopReason).toBe('exhausted');
  });

  it('genetic: never breeds an infeasible child into an evaluation and finds the planted optimum', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const r = await optimize(doc, data, { method: 'genetic', evaluations: 400, seed: 1, genetic: { patience: 40 } }, guarded(rugged(17, 135, 1), rec));
    expect(r.best?.params).toEqual({ fast: 17, slow: 135 });
    expect(rec.calls.every(feasible)).toBe(true);
    expect(new Set(rec.calls.map((p) => `${p.fast}/${p.slow}`)).size).toBe(rec.calls.length);
  });

  it('a parameter held fixed still counts: searching fast alone with slow at its default 20 tries fast 2…19', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const r = await optimize(doc, data, { method: 'grid', parameters: ['fast'] }, guarded(bowl(17, 135), rec));
    expect(r.feasibleSize).toBe(18);
    expect(rec.calls.map((p) => p.fast)).toEqual(Array.from({ length: 18 }, (_, i) => i + 2));
  });

  it('says which constraints leave nothing to search', async () => {
    const narrow = smaCross({ fast: { default: 10, values: [10, 30] }, slow: { default: 20, values: [20] } }, 'SPY', FAST_LT_SLOW);
    await expect(optimize(narrow, data, { method: 'random', parameters: ['fast'], fixed: { slow: 5 } }, guarded()))
      .rejects.toThrow(new SpaceError('no combination of fast satisfies the parameter constraints (fast < slow); widen the ranges or change a constraint'));
  });

  for (const options of [
    { method: 'grid', batchSize: 97, evaluations: 2000 },
    { method: 'random', evaluations: 250, seed: 11, batchSize: 64 },
    { method: 'genetic', evaluations: 500, seed: 12, genetic: { population: 30 } },
  ] as OptimizeOptions[]) {
    it(`${options.method}: same seed, same result with one in-order worker or 3 shuffled workers`, async () => {
      const f = rugged(23, 80, 99);
      const one = await optimize(doc, data, options, landscapeEvaluator(f));
      const many = await optimize(doc, data, options, pooledEvaluator(f, 3, 93));
      expect({ ...many, elapsedMs: 0, evaluationsPerSecond: 0 }).toEqual({ ...one, elapsedMs: 0, evaluationsPerSecond: 0 });
      expect(one.top.every((c) => feasible(c.params))).toBe(true);
    });
  }

  it('walk-forward: every window searches only feasible combinations, and reruns identically', async () => {
    const wfDoc = smaCross({ fast: { default: 5, values: [3, 5, 8, 20, 30] }, slow: { default: 20, values: [10, 20, 30] } }, 'SPY', FAST_LT_SLOW);
    const wfData = { bars: [dailyBars(700, 4)] };
    const seen: Record<string, number>[] = [];
    const spy: EvaluatorFactory = (scope) => {
      const ev = inProcess()(scope);
      return async (cands) => {
        seen.push(...cands);
        return ev(cands);
      };
    };
    const options: OptimizeOptions = { method: 'genetic', evaluations: 8, seed: 4, walkForward: { inSample: 250, outOfSample: 100, unit: 'bars' } };
    const a = await optimize(wfDoc, wfData, options, spy);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(feasible)).toBe(true);
    expect(a.walkForward!.windows.every((w) => feasible(w.params))).toBe(true);
    // fast 3, 5, 8 with slow 10, 20, 30 (9) + fast 20 with slow 30 (1): 10 of 15.
    expect(a.feasibleSize).toBe(10);
    const b = await optimize(wfDoc, wfData, options);
    expect(b.walkForward!.windows.map((w) => w.params)).toEqual(a.walkForward!.windows.map((w) => w.params));
    expect(b.walkForward!.outOfSample.stats).toEqual(a.walkForward!.outOfSample.stats);
  });

  it('heatmap: cells a constraint rejects are marked excluded and never evaluated', async () => {
    const rec: Recording = { calls: [], batches: 0 };
    const h = await heatmap(doc, data, { x: 'fast', y: 'slow', resolution: 100 }, guarded((p) => p.fast! + p.slow! / 1000, rec));
    expect(rec.calls).toHaveLength(FEASIBLE);
    expect(h.excluded[0]!.slice(0, 4)).toEqual([false, false, false, true]); // slow 5: fast 2, 3, 4 kept, 5 excluded
    expect(Number.isNaN(h.z[0]![3]!)).toBe(true);
    expect(h.excluded.flat().filter(Boolean)).toHaveLength(1960 - FEASIBLE);
  });
});

describe('templates', () => {
  const dir = join(PROJECT_ROOT, 'public', 'strategies');
  const templates = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json');

  it('every template with parameters has a default search that runs as it is, on feasible combinations only', async () => {
    let searched = 0;
    for (const file of templates) {
      const r = parseDocument(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(r.ok, file).toBe(true);
      const t = (r as { doc: StrategyDocument }).doc;
      if (Object.keys(t.parameters).length === 0) continue;
      searched++;
      const calls: Record<string, number>[] = [];
      const ev: EvaluatorFactory = (scope) => async (cands) => {
        calls.push(...cands);
        return landscapeEvaluator(() => 1)(scope)(cands);
      };
      // The Optimize page's and CLI's default: a grid when it fits 1,000 evaluations, else random sampling.
      const grid = await optimize(t, data, { method: 'random', evaluations: 1 }, ev);
      const method = (grid.feasibleSize ?? grid.gridSize) <= 1000 ? 'grid' : 'random';
      calls.length = 0;
      const res = await optimize(t, data, { method, evaluations: 1000 }, ev);
      expect(res.evaluations, file).toBeGreaterThan(0);
      for (const c of t.parameterConstraints ?? []) {
        expect(calls.every((p) => (c.op === '<' ? p[c.left]! < p[c.right]! : true)), `${file}: ${c.left} ${c.op} ${c.right}`).toBe(true);
      }
    }
    expect(searched).toBeGreaterThanOrEqual(4);
  });

  it('the SMA crossover template states fast < slow', () => {
    const r = parseDocument(JSON.parse(readFileSync(join(dir, 'sma-cross.json'), 'utf8')));
    expect(r.ok && r.doc.parameterConstraints).toEqual(FAST_LT_SLOW);
  });
});
