import { describe, expect, it } from 'vitest';
import { applyParams, buildJob, formFeasibleSize, formGridSize, initialForm } from '../../../src/ui/optimize/form.ts';
import { smaCross } from '../optimize/fixtures.ts';

const doc = smaCross({ fast: { default: 10, min: 2, max: 50, step: 1 }, slow: { default: 20, min: 5, max: 200, step: 5 }, fixed: { default: 3 } });

describe('Optimize page form', () => {
  it('starts from the document: ranged parameters searched, the rest fixed, heatmap over the first two', () => {
    const f = initialForm(doc);
    expect(f.ranges).toEqual({
      fast: { include: true, min: '2', max: '50', step: '1' }, slow: { include: true, min: '5', max: '200', step: '5' },
      fixed: { include: false, min: '', max: '', step: '' },
    });
    expect([f.heatX, f.heatY]).toEqual(['fast', 'slow']);
    // 49 × 40 = 1,960 combinations exceed the default budget of 1,000: the default search is random, so it runs as it is.
    expect(f.method).toBe('random');
    const small = smaCross({ fast: { default: 10, min: 2, max: 20, step: 2 }, slow: { default: 20, min: 20, max: 60, step: 10 } });
    expect(initialForm(small).method).toBe('grid');
  });

  it('counts only the combinations the parameter constraints allow, and starts on a grid when those fit the budget', () => {
    const lt = [{ left: 'fast', op: '<', right: 'slow' }];
    // fast 1…60 × slow 1…59 step 2 = 1,800 combinations; fast < slow keeps 0 + 2 + 4 + … + 58 = 870 of them.
    const c = smaCross({ fast: { default: 10, min: 1, max: 60, step: 1 }, slow: { default: 21, min: 1, max: 59, step: 2 } }, 'SPY', lt);
    const f = initialForm(c);
    expect(formGridSize(c, f.ranges)).toBe(1800);
    expect(formFeasibleSize(c, f.ranges)).toBe(870);
    expect(f.method).toBe('grid');
    expect(buildJob(c, f).ok).toBe(true);
    // A parameter left out of the search stays at its default, as the optimizer holds it: slow = 21 keeps fast 1…20.
    f.ranges.slow = { ...f.ranges.slow!, include: false };
    expect(formFeasibleSize(c, f.ranges)).toBe(20);
    // The template's own space: 1,725 of 1,960 do not fit 1,000 evaluations, so it stays random.
    const t = smaCross(undefined, 'SPY', lt);
    expect(formFeasibleSize(t, initialForm(t).ranges)).toBe(1725);
    expect(initialForm(t).method).toBe('random');
  });

  it('builds the job from edited ranges, clamping each default into its range', () => {
    const f = initialForm(doc);
    f.ranges.fast = { include: true, min: '12', max: '20', step: '4' };
    f.objective = 'mix';
    f.weights = { ...f.weights, sharpe: '1', cagr: '0.5' };
    f.minTrades = '5';
    f.walkForward = true;
    f.method = 'grid';
    const b = buildJob(doc, f);
    if (!b.ok) throw new Error(b.error);
    expect(b.doc.parameters.fast).toMatchObject({ min: 12, max: 20, step: 4, default: 12 });
    expect(b.job.options).toMatchObject({
      method: 'grid', parameters: ['fast', 'slow'], constraints: { minTrades: 5, maxDrawdownPct: undefined },
      objective: { weights: { sharpe: 1, sortino: 0, cagr: 0.5, calmar: 0, return: 0 } },
      walkForward: { inSample: 504, outOfSample: 126, unit: 'bars', anchored: false },
    });
    expect(b.job.heatmap).toEqual({ x: 'fast', y: 'slow', resolution: 25 });
  });

  it('says what is wrong instead of building a job', () => {
    const f = initialForm(doc);
    f.ranges.fast = { include: true, min: '30', max: '20', step: '1' };
    expect(buildJob(doc, f)).toEqual({ ok: false, error: '$fast: max is below min' });
    f.ranges.fast = { include: false, min: '', max: '', step: '' };
    f.ranges.slow = { include: false, min: '', max: '', step: '' };
    expect(buildJob(doc, f)).toEqual({ ok: false, error: 'choose at least one parameter to search' });
    expect(buildJob(doc, { ...initialForm(doc), seed: '1.5' })).toEqual({ ok: false, error: 'seed must be a whole number' });
  });

  it('Apply sets defaults and widens a range the value falls outside', () => {
    const draft = { ...doc, parameters: { ...doc.parameters } };
    const out = applyParams(draft, { fast: 60, slow: 25 });
    expect(out.parameters).toMatchObject({ fast: { default: 60, min: 2, max: 60 }, slow: { default: 25, min: 5, max: 200 }, fixed: { default: 3 } });
    expect(draft.parameters.fast!.default).toBe(10);
  });
});
