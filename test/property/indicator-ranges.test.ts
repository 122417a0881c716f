/**
 * The range kernels (src/indicators/columns.ts barMeanRange, rsiRange), which let a run compute an indicator
 * a block at a time into a small buffer (src/engine/fast/blocks.ts): cut into random consecutive ranges, each
 * written at a random offset of its own buffer, they give the whole column's values bit for bit (Object.is).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAR_MEAN_STATE, barMeanRange, exerciseRangeKernels, rsiColumn, rsiRange, rsiState, smaColumn } from '../../src/indicators/index.ts';

const valueArb = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 1, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, 0, -0, -5, Infinity, 1e308, -1e308, 5e-324) },
);
// The length drawn first: fast-check's arrays are short by default, and the recompute period is 64 updates.
const columnArb = fc.integer({ min: 0, max: 600 }).chain((n) => fc.array(valueArb, { minLength: n, maxLength: n })).map((v) => Float64Array.from(v));
const windowArb = fc.oneof(fc.constantFrom(1, 2, 14, 63, 64, 65, 200), fc.integer({ min: 1, max: 300 }));
/** Cut points as fractions of the length: 0 to 8 cuts, repeats allowed (an empty range is a no-op). */
const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

/** Runs `advance(to, out, base)` over consecutive ranges, each into a fresh buffer at an offset, and joins them. */
function byRanges(n: number, cuts: readonly number[], advance: (to: number, out: Float64Array, base: number) => void): Float64Array {
  const ends = [...cuts.map((c) => Math.floor(c * n)), n].sort((a, b) => a - b);
  const joined = new Float64Array(n).fill(12345);
  let from = 0;
  for (const to of ends) {
    // The buffer holds bar `from` at slot 3: base = from − 3.
    const buf = new Float64Array(to - from + 3).fill(-777);
    advance(to, buf, from - 3);
    joined.set(buf.subarray(3, 3 + to - from), from);
    from = to;
  }
  return joined;
}

function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

describe('indicator range kernels', () => {
  it('SMA by consecutive ranges equals the whole column, bit for bit', () => {
    fc.assert(fc.property(columnArb, windowArb, cutsArb, (input, w, cuts) => {
      const whole = new Float64Array(input.length);
      smaColumn(input, input.length, w, whole, false);
      const state = new Float64Array(BAR_MEAN_STATE);
      const parts = byRanges(input.length, cuts, (to, out, base) => barMeanRange(input, w, state, to, out, base));
      expect({ w, at: firstDifference(parts, whole) }).toEqual({ w, at: -1 });
      expect(state[0]).toBe(input.length);
    }), { numRuns: 400 });
  });

  it("RSI by consecutive ranges equals the whole column, bit for bit (bar and duration windows, 'return' inputs, odd times)", () => {
    const timeArb = (n: number) => fc.array(fc.constantFrom(60_000, 60_000, 60_000, 0, 86_400_000, NaN), { minLength: n, maxLength: n }).map((steps) => {
      let t = 1_700_000_000_000;
      return Float64Array.from(steps, (d) => (Number.isNaN(d) ? NaN : (t += d)));
    });
    fc.assert(fc.property(
      columnArb.chain((input) => fc.tuple(fc.constant(input), timeArb(input.length))), windowArb, fc.boolean(), fc.boolean(), cutsArb,
      ([input, time], w, duration, returns, cuts) => {
        const bars = duration ? 0 : w, ms = duration ? w * 45_000 : 0;
        const whole = new Float64Array(input.length);
        rsiColumn(input, time, input.length, bars, ms, whole, returns);
        const state = rsiState();
        const parts = byRanges(input.length, cuts, (to, out, base) => rsiRange(input, time, bars, ms, returns, state, to, out, base));
        expect({ w, duration, returns, at: firstDifference(parts, whole) }).toEqual({ w, duration, returns, at: -1 });
      },
    ), { numRuns: 400 });
  });

  it('priming the kernels between ranges (another column\'s first block, mid-run) changes no value of this one', () => {
    fc.assert(fc.property(columnArb, windowArb, cutsArb, (input, w, cuts) => {
      const time = Float64Array.from(input, (_, i) => 1_700_000_000_000 + i * 60_000);
      const sma = new Float64Array(input.length), rsi = new Float64Array(input.length);
      smaColumn(input, input.length, w, sma, false);
      rsiColumn(input, time, input.length, w, 0, rsi, false);
      const smaState = new Float64Array(BAR_MEAN_STATE), rsiSt = rsiState();
      const smaParts = byRanges(input.length, cuts, (to, out, base) => {
        exerciseRangeKernels();
        barMeanRange(input, w, smaState, to, out, base);
      });
      const rsiParts = byRanges(input.length, cuts, (to, out, base) => {
        exerciseRangeKernels();
        rsiRange(input, time, w, 0, false, rsiSt, to, out, base);
      });
      expect({ w, sma: firstDifference(smaParts, sma), rsi: firstDifference(rsiParts, rsi) }).toEqual({ w, sma: -1, rsi: -1 });
    }), { numRuns: 150 });
  });
});
