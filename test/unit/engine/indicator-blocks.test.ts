/**
 * IndicatorBlock (src/engine/fast/blocks.ts): a transient indicator computed a range of bars at a time into a
 * small buffer. Whatever sequence of ranges a group's loop asks for (each starting at or after the last one's
 * end bar: the same bar again, the next one, or bars later, as a sparse asset's cursor moves), the buffer holds
 * the whole column's values for that range, and the notes (first bar with a value, a NaN after it) are the
 * whole column's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndicatorBlock } from '../../../src/engine/fast/blocks.ts';
import { computeColumns, rangeKernel } from '../../../src/engine/indicator-cache.ts';
import type { BarColumns } from '../../../src/schema/index.ts';
import type { PlanIndicator } from '../../../src/strategy/index.ts';

function barsOf(close: readonly number[]): BarColumns {
  const c = Float64Array.from(close), n = c.length;
  const time = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000);
  return { symbol: 'X', length: n, time, open: c, high: c, low: c, close: c, volume: c } as BarColumns;
}

const indicatorArb = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((bars): PlanIndicator => ({ key: `sma${bars}`, label: 'sma', asset: 0, source: 'close', spec: { kind: 'sma', window: { bars } }, outputs: [{ field: 'value', slot: 0 }] })),
  fc.integer({ min: 1, max: 30 }).map((bars): PlanIndicator => ({ key: `rsi${bars}`, label: 'rsi', asset: 0, source: 'close', spec: { kind: 'rsi', window: { bars } }, outputs: [{ field: 'value', slot: 0 }] })),
  fc.constant<PlanIndicator>({ key: 'rsi-ret', label: 'rsi', asset: 0, source: 'return', spec: { kind: 'rsi', window: { bars: 3 } }, outputs: [{ field: 'value', slot: 0 }] }),
);
const closeArb = fc.integer({ min: 0, max: 300 }).chain((n) => fc.array(fc.oneof(
  { weight: 30, arbitrary: fc.double({ min: 1, max: 200, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(NaN) },
), { minLength: n, maxLength: n }));
/** Moves of a group's loop: how far the range's first bar is past the last range's end (0: the same bar), and its length. */
const movesArb = fc.array(fc.record({ skip: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 40 })), span: fc.integer({ min: 0, max: 12 }) }), { maxLength: 60 });

describe('IndicatorBlock', () => {
  it('holds the whole column\'s values for every range asked, and notes what the whole column says', () => {
    fc.assert(fc.property(indicatorArb, closeArb, movesArb, fc.integer({ min: 1, max: 16 }), (pi, close, moves, steps) => {
      const bars = barsOf(close);
      const whole = computeColumns(pi, bars, (n) => new ArrayBuffer(n))[0]!;
      const block = new IndicatorBlock(rangeKernel(pi, bars)!, bars.length, steps);
      let end = -1;
      for (const m of moves) {
        const lo = Math.max(0, end + (end < 0 ? 0 : m.skip)), hi = Math.min(bars.length - 1, lo + Math.min(m.span, steps));
        if (lo >= bars.length) break;
        block.cover(lo, hi);
        for (let i = lo; i <= hi; i++) expect({ i, v: block.buffer[i - block.base] }).toEqual({ i, v: whole[i] });
        end = hi;
      }
      let first = 0;
      while (first < whole.length && Number.isNaN(whole[first])) first++;
      expect(block.finish()).toBe(first);
      expect(block.gapped).toBe(whole.subarray(first).some(Number.isNaN));
      block.release();
    }), { numRuns: 500 });
  });

  it('refuses a range longer than its buffer, or one that goes back', () => {
    const pi: PlanIndicator = { key: 's', label: 'sma', asset: 0, source: 'close', spec: { kind: 'sma', window: { bars: 2 } }, outputs: [{ field: 'value', slot: 0 }] };
    const bars = barsOf(Array.from({ length: 50 }, (_, i) => 100 + i));
    const block = new IndicatorBlock(rangeKernel(pi, bars)!, 50, 4);
    expect(() => block.cover(0, 5)).toThrow(/longer than its buffer/);
    block.cover(0, 4);
    block.cover(10, 12);
    expect(() => block.cover(11, 12)).toThrow(/goes back/);
  });
});
