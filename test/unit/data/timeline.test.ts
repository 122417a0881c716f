import { describe, expect, it } from 'vitest';
import { allocBars } from '../../../src/data/columns.ts';
import { mergeTimeline } from '../../../src/data/timeline.ts';

const withTimes = (symbol: string, times: number[]) => {
  const b = allocBars(symbol, '1m', times.length);
  b.time.set(times);
  return b;
};

describe('mergeTimeline', () => {
  it('is the sorted union without duplicates', () => {
    const t = mergeTimeline([withTimes('A', [1, 3, 5, 7]), withTimes('B', [2, 3, 8]), withTimes('C', []), withTimes('D', [0, 7])]);
    expect(Array.from(t.time)).toEqual([0, 1, 2, 3, 5, 7, 8]);
    expect(t.length).toBe(7);
  });

  it('gives the same answer through the heap path (many symbols)', () => {
    const cols = Array.from({ length: 40 }, (_, k) => withTimes(`S${k}`, Array.from({ length: 50 }, (_, i) => i * (k + 1))));
    const expected = [...new Set(cols.flatMap((c) => Array.from(c.time)))].sort((x, y) => x - y);
    expect(Array.from(mergeTimeline(cols).time)).toEqual(expected);
  });

  it('handles none and one input, and rejects unsorted columns', () => {
    expect(mergeTimeline([]).length).toBe(0);
    expect(Array.from(mergeTimeline([withTimes('A', [1, 2])]).time)).toEqual([1, 2]);
    expect(() => mergeTimeline([withTimes('A', [2, 1])])).toThrow(/A 1m: time at row 1/);
  });
});
