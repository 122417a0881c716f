/**
 * Recursive indicators (EMA, RSI, ATR, MACD) on random irregular series, bar and duration windows, against
 * the plain loop references in indicators-reference.ts; plus the cross-check that a duration window on
 * evenly spaced data equals the bar window with N = D / spacing wherever both are ready.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATR, EMA, MACD, RSI, SMA, StdDev, WMA, Highest, Lowest, ROC, type Indicator, type WindowSpec } from '../../src/indicators/index.ts';
import { atrRef, emaRef, macdRef, near, rsiRef, series, windowSpec, type Series } from './indicators-reference.ts';

function expectSeries(actual: readonly number[], expected: readonly number[], s: Series, what: string): void {
  const scale = Math.max(...s.close, ...s.high);
  expected.forEach((e, i) => {
    if (!near(actual[i]!, e, scale)) expect.fail(`${what} step ${i}: got ${actual[i]}, expected ${e}`);
  });
}

const run = (ind: Indicator, s: Series, read: () => number = () => ind.value) =>
  s.t.map((t, i) => (ind.update(t, s.close[i]!, s.high[i]!, s.low[i]!), read()));

const seed = fc.constantFrom('first' as const, 'sma' as const);
const runs = { numRuns: 300 };

describe('recursive indicators equal their plain references on irregular times', () => {
  it('EMA (value and raw), both seeds', () => {
    fc.assert(fc.property(series, windowSpec, seed, (s, w, sd) => {
      const ref = emaRef(s.t, s.close, w, sd);
      const e = new EMA(w, sd);
      expectSeries(run(e, s, () => e.raw), ref.raw, s, 'raw');
      e.reset();
      expectSeries(run(e, s), ref.raw.map((x, i) => (ref.ready[i] ? x : NaN)), s, 'value');
    }), runs);
  });

  it('RSI (Wilder)', () => {
    fc.assert(fc.property(series, windowSpec, (s, w) => expectSeries(run(new RSI(w), s), rsiRef(s, w), s, 'rsi')), runs);
  });

  it('ATR, both first-bar conventions', () => {
    fc.assert(fc.property(series, windowSpec, fc.constantFrom('range' as const, 'skip' as const), (s, w, fb) =>
      expectSeries(run(new ATR(w, fb), s), atrRef(s, w, fb), s, 'atr')), runs);
  });

  it('MACD line, signal and histogram', () => {
    const sameKind = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 6 }))
        .map(([a, b, c]) => [{ bars: a }, { bars: b }, { bars: c }] as WindowSpec[]),
      fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 1, max: 15_000 }))
        .map(([a, b, c]) => [{ ms: a }, { ms: b }, { ms: c }] as WindowSpec[]),
    );
    fc.assert(fc.property(series, sameKind, seed, (s, [f, sl, sg], sd) => {
      const ref = macdRef(s, f!, sl!, sg!, sd);
      const m = new MACD(f!, sl!, sg!, sd);
      const out = s.t.map((t, i) => (m.update(t, s.close[i]!, s.high[i]!, s.low[i]!), [m.value, m.signal, m.histogram] as const));
      expectSeries(out.map((o) => o[0]), ref.line, s, 'line');
      expectSeries(out.map((o) => o[1]), ref.signal, s, 'signal');
      expectSeries(out.map((o) => o[2]), ref.line.map((l, i) => l - ref.signal[i]!), s, 'histogram');
    }), runs);
  });
});

describe('a duration window on evenly spaced data equals the bar window with N = D / spacing', () => {
  const even = fc.record({
    n: fc.integer({ min: 1, max: 15 }),
    spacing: fc.integer({ min: 1, max: 60_000 }),
    s: series,
  }).map(({ n, spacing, s }) => ({ n, spacing, s: { ...s, t: s.t.map((_, i) => 1_700_000_000_000 + i * spacing) } }));

  const cases: [string, (w: WindowSpec) => Indicator, (ind: Indicator) => number][] = [
    ['SMA', (w) => new SMA(w), (x) => x.value],
    ['WMA', (w) => new WMA(w), (x) => x.value],
    ['StdDev', (w) => new StdDev(w), (x) => x.value],
    ['Highest', (w) => new Highest(w), (x) => x.value],
    ['Lowest', (w) => new Lowest(w), (x) => x.value],
    ['ROC', (w) => new ROC(w), (x) => x.value],
    ['EMA raw', (w) => new EMA(w), (x) => (x as EMA).raw],
    ['RSI', (w) => new RSI(w), (x) => x.value],
    ['ATR skip', (w) => new ATR(w, 'skip'), (x) => x.value],
  ];

  it.each(cases)('%s', (_, make, read) => {
    fc.assert(fc.property(even, ({ n, spacing, s }) => {
      const bars = make({ bars: n });
      const dur = make({ ms: n * spacing });
      const scale = Math.max(...s.close, ...s.high);
      s.t.forEach((t, i) => {
        bars.update(t, s.close[i]!, s.high[i]!, s.low[i]!);
        dur.update(t, s.close[i]!, s.high[i]!, s.low[i]!);
        const a = read(dur), b = read(bars);
        if (!Number.isNaN(a) && !Number.isNaN(b) && !near(a, b, scale)) expect.fail(`step ${i}: duration ${a}, bars ${b}`);
        if (dur.ready) expect(bars.ready).toBe(true);
      });
    }), { numRuns: 200 });
  });
});
