/**
 * Window indicators on random irregular series, bar and duration windows: the streaming value equals a
 * naive recomputation from the window's observations at every step (NaN exactly while not ready).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bollinger, Highest, Lowest, ROC, SMA, StdDev, WMA, type Indicator, type WindowSpec } from '../../src/indicators/index.ts';
import { isReady, mean, near, popStd, series, windowIdx, windowSpec, type Series } from './indicators-reference.ts';

type Ref = (s: Series, i: number, w: WindowSpec) => number;

/** Reference from the window's values, NaN while not ready. */
const fromWindow = (f: (xs: number[]) => number): Ref => (s, i, w) =>
  isReady(s.t, i, w) ? f(windowIdx(s.t, i, w).map((j) => s.close[j]!)) : NaN;

const weighted = (xs: number[]) => xs.reduce((a, x, k) => a + (k + 1) * x, 0) / ((xs.length * (xs.length + 1)) / 2);

/** ROC against the value N observations ago, or the as-of value at t − D. */
const rocRef: Ref = (s, i, w) => {
  if (!isReady(s.t, i, w, 1)) return NaN;
  let j = i - ('bars' in w ? w.bars : 0);
  if ('ms' in w) while (s.t[j]! > s.t[i]! - w.ms) j--;
  const then = s.close[j]!;
  return (100 * (s.close[i]! - then)) / then;
};

const cases: [string, (w: WindowSpec) => Indicator, Ref][] = [
  ['SMA', (w) => new SMA(w), fromWindow(mean)],
  ['WMA', (w) => new WMA(w), fromWindow(weighted)],
  ['StdDev', (w) => new StdDev(w), fromWindow(popStd)],
  ['Highest', (w) => new Highest(w), fromWindow((xs) => Math.max(...xs))],
  ['Lowest', (w) => new Lowest(w), fromWindow((xs) => Math.min(...xs))],
  ['ROC', (w) => new ROC(w), rocRef],
];

function check(s: Series, w: WindowSpec, ind: Indicator, ref: Ref, read: (ind: Indicator) => number = (x) => x.value): void {
  const scale = Math.max(...s.close);
  s.t.forEach((t, i) => {
    ind.update(t, s.close[i]!, s.high[i]!, s.low[i]!);
    const e = ref(s, i, w);
    const a = read(ind);
    if (!near(a, e, scale)) expect.fail(`step ${i}: got ${a}, expected ${e} (window ${JSON.stringify(w)})`);
    expect(ind.ready).toBe(!Number.isNaN(e));
  });
}

describe('window indicators equal naive recomputation on irregular times', () => {
  it.each(cases)('%s', (_, make, ref) => {
    fc.assert(fc.property(series, windowSpec, (s, w) => check(s, w, make(w), ref)), { numRuns: 300 });
  });

  it('Bollinger middle/upper/lower', () => {
    fc.assert(
      fc.property(series, windowSpec, fc.double({ min: 0, max: 4, noNaN: true }), (s, w, k) => {
        const band = (sign: number): Ref => fromWindow((xs) => mean(xs) + sign * k * popStd(xs));
        check(s, w, new Bollinger(w, k), band(0));
        check(s, w, new Bollinger(w, k), band(1), (b) => (b as Bollinger).upper);
        check(s, w, new Bollinger(w, k), band(-1), (b) => (b as Bollinger).lower);
      }),
      { numRuns: 200 },
    );
  });

  it('reset then replay gives the same outputs (no state leaks across runs)', () => {
    fc.assert(
      fc.property(series, windowSpec, (s, w) => {
        for (const [, make] of cases) {
          const ind = make(w);
          const first = s.t.map((t, i) => ind.update(t, s.close[i]!, s.high[i]!, s.low[i]!));
          ind.reset();
          expect(s.t.map((t, i) => ind.update(t, s.close[i]!, s.high[i]!, s.low[i]!))).toEqual(first);
        }
      }),
      { numRuns: 100 },
    );
  });
});
