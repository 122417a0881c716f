import { describe, expect, it } from 'vitest';
import { extent, histogram } from '../../../src/ui/results/report-math.ts';

describe('trade return histogram', () => {
  it('histogram of 300k trade returns: Math.min(...values) overflowed the stack from ~125k values', () => {
    const returns = Array.from({ length: 300_000 }, (_, i) => ((i * 7919) % 2001) / 100 - 10);
    const h = histogram(returns);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(300_000);
    expect(h.edges[0]).toBeLessThanOrEqual(-10);
    expect(h.edges[h.edges.length - 1]! + h.width).toBeGreaterThan(10);
  });

  it('extent gives what Math.min and Math.max give, −0 and +0 and an empty list included', () => {
    const cases = [[], [3], [0, -0], [-0, 0], [1, -0, 0, 2], [-5, -0], [0, 5], [2, -3, 7, -3, 7]];
    for (const v of cases) {
      const [lo, hi] = extent(v);
      expect([Object.is(lo, Math.min(...v)), Object.is(hi, Math.max(...v))], JSON.stringify(v)).toEqual([true, true]);
    }
    expect(extent(Float64Array.of(4, 1, 9))).toEqual([1, 9]);
  });
});
