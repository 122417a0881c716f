import { describe, expect, it } from 'vitest';
import { alignAsOf } from '../../../src/ui/results/series-align.ts';

const s = (time: number[], value: number[]) => ({ length: time.length, time: Float64Array.from(time), value: Float64Array.from(value) });

describe('alignAsOf (series panes under the price chart)', () => {
  it('shows at each bar the last value known at or before it: a gap before the first, the later of two equal stamps, NaN as a gap', () => {
    expect(alignAsOf(s([10, 20, 20, 35], [1, 2, 3, NaN]), [5, 10, 19, 20, 34, 35, 99])).toEqual([null, 1, 1, 3, 3, null, null]);
  });
  it('never shows a value before it was known, whatever the bar spacing', () => {
    const series = s([3, 7, 7.5, 100], [1, 2, 3, 4]);
    const bars = [0, 2.9, 3, 7.4, 8, 99.99, 100];
    expect(alignAsOf(series, bars)).toEqual([null, null, 1, 2, 3, 3, 4]);
    expect(alignAsOf(s([], []), bars)).toEqual(bars.map(() => null));
  });
});
