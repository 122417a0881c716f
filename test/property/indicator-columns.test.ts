/**
 * Whole-column kernels (src/indicators/columns.ts) against the streaming indicators they replace in the
 * indicator cache: on random columns (NaN, zeros, negatives, constant runs, huge and tiny magnitudes, lengths
 * around the window and the 64-update recompute period) every element of the kernel's column is the
 * streaming column's, bit for bit (Object.is: NaN = NaN, 0 ≠ −0). No tolerance: the engine version promises
 * that cached columns give the same runs as streaming indicators.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnRuns, computeColumns, evictsBeforeNewest, streamingColumns } from '../../src/engine/indicator-cache.ts';
import { Bollinger, EMA, RSI, SMA, StdDev, emaColumn, meanColumn, rsiColumn, smaColumn, sumsColumns, type Indicator } from '../../src/indicators/index.ts';
import type { BarColumns } from '../../src/schema/index.ts';
import type { IndicatorSource, PlanIndicator } from '../../src/strategy/index.ts';

/** Index of the first element where the columns differ as bits (NaN equals NaN, 0 differs from −0), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** A run of values of one character; a column is several runs back to back. */
const runArb: fc.Arbitrary<number[]> = fc.oneof(
  // A random walk around a level, from tiny to huge.
  fc.record({
    level: fc.constantFrom(1e-300, 1e-9, 0.01, 1, 100, 5e4, 1e9, 1e150, 1e300),
    steps: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }),
  }).map(({ level, steps }) => {
    let x = level;
    return steps.map((s) => (x += s * level * 0.01));
  }),
  // A flat stretch (a market that does not trade), including 0 and negative levels.
  fc.record({ v: fc.constantFrom(0, -0, 1, 100.25, -3, 1e300), n: fc.integer({ min: 1, max: 300 }) }).map(({ v, n }) => Array<number>(n).fill(v)),
  // Single odd values.
  fc.array(fc.constantFrom(NaN, 0, -0, -1, Infinity, -Infinity, 1e308, -1e308, 5e-324, 1e-300, 100), { minLength: 1, maxLength: 5 }),
  // Arbitrary doubles.
  fc.array(fc.double(), { minLength: 1, maxLength: 40 }),
);

/** Mostly clean columns (NaN and infinities poison a window for good), sometimes with odd values. */
const columnArb = fc.oneof(
  { weight: 3, arbitrary: fc.array(runArb.filter((r) => r.every(Number.isFinite)), { minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.array(runArb, { minLength: 1, maxLength: 8 }) },
).map((runs) => Float64Array.from(runs.flat()));

/** Windows at and around the recompute period (64) and the ring sizes (powers of two), and any. */
const windowArb = fc.oneof(fc.constantFrom(1, 2, 3, 7, 8, 63, 64, 65, 127, 128, 129, 200), fc.integer({ min: 1, max: 400 }));

function barsOf(close: Float64Array): BarColumns {
  const n = close.length;
  const time = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000);
  // Other fields differ from close so a kernel reading the wrong field is caught.
  const open = close.map((c, i) => (i % 3 === 0 ? c : c * 1.5));
  return { symbol: 'X', length: n, time, open, high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: open.map((o) => o * 2) } as BarColumns;
}

type Kind = 'sma' | 'rsi' | 'ema' | 'ema-sma' | 'stddev' | 'rsi-ms' | 'ema-ms' | 'sma-ms' | 'stddev-ms';

/** A duration window for the '-ms' kinds: 45 s per bar of the drawn window, so not a multiple of the 1-minute steps. */
const msOf = (bars: number): number => bars * 45_000;

function plan(kind: Kind, bars: number, source: IndicatorSource): PlanIndicator {
  const base = kind.replace(/-(ms|sma)$/, '') as 'sma' | 'rsi' | 'ema' | 'stddev';
  const spec: PlanIndicator['spec'] = kind === 'ema-sma' ? { kind: 'ema', window: { bars }, seed: 'sma' }
    : { kind: base, window: kind.endsWith('-ms') ? { ms: msOf(bars) } : { bars } };
  return { key: `${kind}|${bars}|${source}`, label: kind, asset: 0, source, spec, outputs: [{ field: 'value', slot: 0 }] };
}
const smaPlan = (bars: number, source: IndicatorSource): PlanIndicator => plan('sma', bars, source);

const alloc = (bytes: number): ArrayBuffer => new ArrayBuffer(bytes);

/** Each kernel beside the streaming class it replaces. */
const kernels: { name: Kind; make: (bars: number) => Indicator; run: (input: Float64Array, time: Float64Array, bars: number, out: Float64Array) => void }[] = [
  { name: 'sma', make: (bars) => new SMA({ bars }), run: (input, _time, bars, out) => smaColumn(input, input.length, bars, out, false) },
  { name: 'rsi', make: (bars) => new RSI({ bars }), run: (input, time, bars, out) => rsiColumn(input, time, input.length, bars, 0, out, false) },
  { name: 'ema', make: (bars) => new EMA({ bars }), run: (input, time, bars, out) => emaColumn(input, time, input.length, bars, 0, false, out, false) },
  { name: 'stddev', make: (bars) => new StdDev({ bars }), run: (input, _time, bars, out) => sumsColumns(input, null, input.length, bars, 0, false, { std: out }) },
  { name: 'rsi-ms', make: (bars) => new RSI({ ms: msOf(bars) }), run: (input, time, bars, out) => rsiColumn(input, time, input.length, 0, msOf(bars), out, false) },
  { name: 'ema-ms', make: (bars) => new EMA({ ms: msOf(bars) }), run: (input, time, bars, out) => emaColumn(input, time, input.length, 0, msOf(bars), false, out, false) },
  { name: 'sma-ms', make: (bars) => new SMA({ ms: msOf(bars) }), run: (input, time, bars, out) => meanColumn(input, time, input.length, 0, msOf(bars), false, out) },
  { name: 'stddev-ms', make: (bars) => new StdDev({ ms: msOf(bars) }), run: (input, time, bars, out) => sumsColumns(input, time, input.length, 0, msOf(bars), false, { std: out }) },
  { name: 'ema-sma', make: (bars) => new EMA({ bars }, 'sma'), run: (input, time, bars, out) => emaColumn(input, time, input.length, bars, 0, true, out, false) },
];

/** Times as the streaming indicators read them: minute steps, sometimes repeated, sometimes NaN. */
const timesArb = (n: number): fc.Arbitrary<Float64Array> => fc.oneof(
  { weight: 3, arbitrary: fc.constant(Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000)) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(0, 60_000, 60_000, 86_400_000, NaN), { minLength: n, maxLength: n }).map((steps) => {
    let t = 1_700_000_000_000;
    return Float64Array.from(steps, (d) => (Number.isNaN(d) ? NaN : (t += d)));
  }) },
);

for (const k of kernels) {
  describe(`${k.name.toUpperCase()} column kernel`, () => {
    it(`equals the streaming ${k.name.toUpperCase()} fed bar by bar, bit for bit, for many windows`, () => {
      fc.assert(
        fc.property(columnArb.chain((input) => fc.tuple(fc.constant(input), timesArb(input.length))), fc.array(windowArb, { minLength: 1, maxLength: 6 }), ([input, time], windows) => {
          for (const w of windows) {
            const ind = k.make(w);
            const expected = input.map((x, i) => ind.update(time[i]!, x, x, x));
            const out = new Float64Array(input.length);
            k.run(input, time, w, out);
            expect({ w, at: firstDifference(out, expected) }).toEqual({ w, at: -1 });
          }
        }),
        { numRuns: 300 },
      );
    });

    it("equals the cache's streaming column for every source, 'return' included", () => {
      const sources: IndicatorSource[] = ['close', 'open', 'high', 'low', 'volume', 'return'];
      fc.assert(
        fc.property(columnArb, windowArb, fc.constantFrom(...sources), (close, w, source) => {
          const bars = barsOf(close);
          const pi = plan(k.name, w, source);
          const before = columnRuns.kernel;
          const fast = computeColumns(pi, bars, alloc);
          expect(columnRuns.kernel).toBe(before + 1);
          const reference = streamingColumns(pi, bars, alloc);
          expect({ w, source, at: firstDifference(fast[0]!, reference[0]!) }).toEqual({ w, source, at: -1 });
        }),
      );
    });
  });
}

describe('Bollinger column kernel', () => {
  const fields = ['value', 'upper', 'lower'] as const;
  const kArb = fc.constantFrom(0, 1e-3, 1, 2, 2.5, 3);

  it('equals the streaming Bollinger bands fed bar by bar, bit for bit, every band', () => {
    fc.assert(
      fc.property(columnArb, windowArb, kArb, (input, w, k) => {
        const ind = new Bollinger({ bars: w }, k);
        const expected = fields.map(() => new Float64Array(input.length));
        input.forEach((x, i) => {
          ind.update(i, x, x, x);
          expected[0]![i] = ind.value;
          expected[1]![i] = ind.upper;
          expected[2]![i] = ind.lower;
        });
        const got = fields.map(() => new Float64Array(input.length));
        sumsColumns(input, null, input.length, w, 0, false, { mean: got[0], upper: got[1], lower: got[2], k });
        expect({ w, k, at: fields.map((_, f) => firstDifference(got[f]!, expected[f]!)) }).toEqual({ w, k, at: [-1, -1, -1] });
      }),
      { numRuns: 200 },
    );
  });

  it("equals the cache's streaming columns for any set and order of bands and any source", () => {
    fc.assert(
      fc.property(columnArb, windowArb, kArb, fc.shuffledSubarray([...fields], { minLength: 1 }), fc.constantFrom<IndicatorSource>('close', 'high', 'return'), (close, w, k, outputs, source) => {
        const bars = barsOf(close);
        const pi: PlanIndicator = { key: 'bb', label: 'bb', asset: 0, source, spec: { kind: 'bollinger', window: { bars: w }, k }, outputs: outputs.map((field, slot) => ({ field, slot })) };
        const before = columnRuns.kernel;
        const fast = computeColumns(pi, bars, alloc);
        expect(columnRuns.kernel).toBe(before + 1);
        const reference = streamingColumns(pi, bars, alloc);
        expect({ outputs, at: fast.map((c, f) => firstDifference(c, reference[f]!)) }).toEqual({ outputs, at: outputs.map(() => -1) });
      }),
    );
  });
});

describe('SMA column kernel on long columns', () => {
  it('equals the streaming SMA across many recomputes, the stretches between them read from the column', () => {
    fc.assert(
      fc.property(fc.array(runArb.filter((r) => r.every(Number.isFinite)), { minLength: 12, maxLength: 40 }), fc.array(fc.oneof(fc.integer({ min: 1, max: 80 }), windowArb), { minLength: 1, maxLength: 3 }), (runs, windows) => {
        const input = Float64Array.from(runs.flat());
        for (const w of windows) {
          const ind = new SMA({ bars: w });
          const expected = input.map((x, i) => ind.update(i, x, x, x));
          const out = new Float64Array(input.length);
          smaColumn(input, input.length, w, out, false);
          expect({ w, at: firstDifference(out, expected) }).toEqual({ w, at: -1 });
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('SMA column kernel regressions', () => {
  it('pins the early recompute of StdDev: a variance collapse (a spike leaving a flat window) re-centres like SlidingSums', () => {
    // m2 falls below 1e-6·noise when the spike leaves the window, long before the periodic recompute at 64.
    const input = Float64Array.from({ length: 300 }, (_, i) => (i === 10 ? 1e6 : 100 + (i > 150 ? 1e-9 * i : 0)));
    for (const w of [3, 20, 100]) {
      const ind = new StdDev({ bars: w });
      const expected = input.map((x, i) => ind.update(i, x, x, x));
      const out = new Float64Array(input.length);
      sumsColumns(input, null, input.length, w, 0, false, { std: out });
      expect(firstDifference(out, expected)).toBe(-1);
    }
  });

  it("pins the removals' share of noise: StdDev's early-recompute trigger counts the m2 a leaving value takes out", () => {
    // Found by the property above with removals left out of noise: the early recompute then fires a bar late.
    const input = Float64Array.from([0, 0, 1.5e-300, 1e-300, 75_000, 150, 100, 0, 0, 0, 0, 0]);
    const ind = new StdDev({ bars: 6 });
    const expected = input.map((x, i) => ind.update(i, x, x, x));
    const out = new Float64Array(input.length);
    sumsColumns(input, null, input.length, 6, 0, false, { std: out });
    expect(firstDifference(out, expected)).toBe(-1);
  });

  it('pins the recompute of the SMA: the newest value becomes the shift, so a far first value stops costing precision', () => {
    // The first value (1e9) is the shift until the recompute on the 64th update (bar 63): until then every
    // small value loses ~1e-7 to v − 1e9. From bar 63 on the shift is a small value and the mean is exact to
    // ~1e-15 (and the kernel is the streaming class bit for bit throughout).
    const input = Float64Array.from({ length: 140 }, (_, i) => (i < 10 ? 1e9 : 5.1 + (i % 3) * 0.37));
    const ind = new SMA({ bars: 7 });
    const expected = input.map((x, i) => ind.update(i, x, x, x));
    const out = new Float64Array(input.length);
    smaColumn(input, input.length, 7, out, false);
    expect(firstDifference(out, expected)).toBe(-1);
    const error = (i: number) => Math.abs(out[i]! - [0, 1, 2, 3, 4, 5, 6].reduce((s, k) => s + input[i - k]!, 0) / 7);
    expect(Math.max(...[40, 50, 62].map(error))).toBeGreaterThan(1e-9);
    for (let i = 63; i < 140; i++) expect(error(i)).toBeLessThan(1e-13);
  });

  it("pins the 'return' source: a bar after a non-positive close repeats the last value and feeds nothing", () => {
    const close = Float64Array.from([100, 101, 0, 102, 103, -1, 104, 105, 106, 107]);
    const out = computeColumns(smaPlan(2, 'return'), barsOf(close), alloc)[0]!;
    const ref = streamingColumns(smaPlan(2, 'return'), barsOf(close), alloc)[0]!;
    expect(firstDifference(out, ref)).toBe(-1);
    expect(Object.is(out[0], NaN)).toBe(true);
    expect(out[3]).toBe(out[2]); // 0 before bar 3: no return, value held
  });

  it("leaves EMA's 'sma' seed over a duration to the streaming class", () => {
    const before = { ...columnRuns };
    computeColumns({ ...smaPlan(5, 'close'), spec: { kind: 'ema', window: { ms: 300_000 }, seed: 'sma' } }, barsOf(Float64Array.from({ length: 50 }, (_, i) => 100 + i)), alloc);
    expect([columnRuns.kernel - before.kernel, columnRuns.streaming - before.streaming]).toEqual([0, 1]);
  });

  it('declines StdDev duration windows over times where t − D ≥ t (an infinite time, D below the ulp of t)', () => {
    // SlidingSums would evict its newest entry there and loop for ever on the emptied ring's stale slots, so
    // the test asks the guard, not computeColumns.
    const times = Float64Array.from({ length: 50 }, (_, i) => 1_700_000_000_000 + i * 60_000);
    expect(evictsBeforeNewest(times, times.length, 300_000)).toBe(true);
    expect(evictsBeforeNewest(times, times.length, 1e-6)).toBe(false);
    times[49] = Infinity;
    expect(evictsBeforeNewest(times, times.length, 300_000)).toBe(false);
    times[49] = NaN; // no eviction at a NaN time (NaN ≤ anything is false): safe
    expect(evictsBeforeNewest(times, times.length, 300_000)).toBe(true);
  });

  it('keeps the newest value of an SMA duration window where t − D ≥ t, in the kernel as in SlidingMean', () => {
    const close = Float64Array.from({ length: 80 }, (_, i) => 100 + (i % 7));
    const bars = barsOf(close);
    (bars.time as Float64Array)[60] = Infinity;
    for (const ms of [300_000, 1e-6]) {
      const pi = plan('sma-ms', 5, 'close');
      const spec = { kind: 'sma' as const, window: { ms } };
      const fast = computeColumns({ ...pi, spec }, bars, alloc)[0]!;
      const reference = streamingColumns({ ...pi, spec }, bars, alloc)[0]!;
      expect(firstDifference(fast, reference)).toBe(-1);
      expect(fast[60]).toBe(close[60]); // only the newest left in the window
    }
  });

});

describe('RSI column kernel regressions', () => {
  it('runs a column longer than one steady call (65,536 bars) as the streaming RSI, across the calls', () => {
    const input = Float64Array.from({ length: 200_000 }, (_, i) => 100 + 10 * Math.sin(i / 37) + ((i * 7919) % 13) / 10);
    const time = Float64Array.from(input, (_, i) => i * 60_000);
    const ind = new RSI({ bars: 14 });
    const expected = input.map((x, i) => ind.update(time[i]!, x, x, x));
    const out = new Float64Array(input.length);
    rsiColumn(input, time, input.length, 14, 0, out, false);
    expect(firstDifference(out, expected)).toBe(-1);
  });

  it('pins a NaN time: the observation after it is not a change, as in the streaming RSI', () => {
    const input = Float64Array.from([10, 11, 12, 11, 13, 12, 14, 15, 13, 16]);
    const time = Float64Array.from(input, (_, i) => (i === 4 ? NaN : i * 60_000));
    const ind = new RSI({ bars: 3 });
    const expected = input.map((x, i) => ind.update(time[i]!, x, x, x));
    const out = new Float64Array(input.length);
    rsiColumn(input, time, input.length, 3, 0, out, false);
    expect(firstDifference(out, expected)).toBe(-1);
    // Without the skip the change 11 → 13 at index 4 and 13 → 12 at 5 would both count: the value moves.
    const noSkip = new Float64Array(input.length);
    rsiColumn(input, Float64Array.from(input, (_, i) => i * 60_000), input.length, 3, 0, noSkip, false);
    expect(firstDifference(out, noSkip)).toBeGreaterThan(0);
  });

  it('pins the branch-free gain and loss on the edges of their exactness: ±0, subnormal, near and past 2^1023, NaN', () => {
    const edges = [0, -0, 5e-324, -5e-324, 1e-310, 7.9e307, -7.9e307, 8e307, -8.5e307, 1.7e308, -1.7e308, NaN, 1, 1];
    const input = Float64Array.from(edges.flatMap((x) => [0, x, x / 3, 0]));
    for (const w of [1, 2, 5]) {
      const ind = new RSI({ bars: w });
      const expected = input.map((x, i) => ind.update(i, x, x, x));
      const out = new Float64Array(input.length);
      rsiColumn(input, Float64Array.from(input, (_, i) => i), input.length, w, 0, out, false);
      expect({ w, at: firstDifference(out, expected) }).toEqual({ w, at: -1 });
    }
  });

  it('pins the flat case: no movement in the averages is 50, not NaN', () => {
    const input = Float64Array.from({ length: 30 }, () => 42);
    const out = new Float64Array(input.length);
    rsiColumn(input, Float64Array.from(input, (_, i) => i), input.length, 14, 0, out, false);
    expect(Array.from(out.subarray(13, 16))).toEqual([NaN, 50, 50]);
  });
});
