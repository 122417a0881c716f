import { describe, expect, it } from 'vitest';
import { buildSpace, parameterValues, SpaceError } from '../../../src/optimize/index.ts';
import { genomeAt, genomeNear, keyOf, paramsOf } from '../../../src/optimize/space.ts';
import { smaCross } from './fixtures.ts';

describe('search space', () => {
  it('takes a values list (deduplicated, sorted), a stepped range, or only the default', () => {
    expect(parameterValues({ default: 3, values: [5, 3, 5, 1] })).toEqual([1, 3, 5]);
    expect(parameterValues({ default: 2, min: 2, max: 10, step: 4 })).toEqual([2, 6, 10]);
    // 0.1-steps keep their last value and print as written, not as 0.30000000000000004.
    expect(parameterValues({ default: 0, min: 0, max: 1, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(parameterValues({ default: 7, min: 1, max: 9 })).toEqual([7]);
    expect(parameterValues({ default: 7 })).toEqual([7]);
  });

  it('searches parameters with more than one value and fixes the rest', () => {
    const doc = smaCross({ fast: { default: 10, min: 2, max: 50, step: 1 }, slow: { default: 20, min: 5, max: 200, step: 5 }, k: { default: 2 } });
    const s = buildSpace(doc);
    expect(s.dims.map((d) => [d.name, d.values.length])).toEqual([['fast', 49], ['slow', 40]]);
    expect(s.fixed).toEqual({ k: 2 });
    expect(s.size).toBe(1960);
    const only = buildSpace(doc, { parameters: ['slow'], fixed: { fast: 7 } });
    expect(only.dims.map((d) => d.name)).toEqual(['slow']);
    expect(only.fixed).toEqual({ fast: 7, k: 2 });
    expect(() => buildSpace(doc, { parameters: ['nope'] })).toThrow(SpaceError);
    expect(() => buildSpace(doc, { fixed: { nope: 1 } })).toThrow(/unknown parameter "nope"/);
  });

  it('enumerates the grid exactly once by counting, last dimension fastest', () => {
    const s = buildSpace(smaCross({ fast: { default: 1, values: [1, 2, 3] }, slow: { default: 10, values: [10, 20] } }));
    const all = Array.from({ length: s.size }, (_, n) => genomeAt(s, n));
    expect(all).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]]);
    expect(new Set(all.map(keyOf)).size).toBe(6);
    expect(paramsOf(s, [2, 1])).toEqual({ fast: 3, slow: 20 });
    expect(genomeNear(s, { fast: 2.4, slow: 19 })).toEqual([1, 1]);
  });
});
