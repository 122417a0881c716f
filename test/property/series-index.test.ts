/**
 * The data set's indexes (src/engine/series-index.ts) and the marked fold that reads them instead of every
 * step (SeriesStats.addMarked → foldHeld): the indexes equal their definitions, and a fold of held stretches
 * long enough to skip whole blocks gives every accumulator bit for bit as the per-step fold over the same
 * equity — on prices that trend to new peaks, sit flat at the peak, fall into deep drawdowns, hold NaN or
 * infinite closes, with long and short positions, negative cash (and negative equity throughout), wide gaps
 * and days of uneven length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, blockExtremes, dayEndLogs, dayStarts, lowerBound, weekendStarts, wideGaps } from '../../src/engine/series-index.ts';
import { SeriesStats } from '../../src/engine/series-stats.ts';
import { lcg } from '../helpers/lcg.ts';
import { same } from '../helpers/same-bits.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 29, 14, 30);
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 29);

interface Data {
  time: Float64Array;
  close: Float64Array;
  days: Float64Array;
}

/**
 * n steps of minute bars in regimes: trends up (new peaks), flat (equity at the peak), down, noise. `daily`:
 * a bar a day instead (W1's shape, where every step closes a day and reads the day-end logs).
 */
function data(r: () => number, n: number, oddities: boolean, daily = false): Data {
  const time = new Float64Array(n), close = new Float64Array(n), days = new Float64Array(n);
  let t = T0, c = 100, regime = 0;
  for (let i = 0; i < n; i++) {
    const u = r();
    // Mostly a minute; sometimes overnight, a weekend, or more than a week.
    t += daily ? (u < 0.8 ? DAY : u < 0.99 ? 3 * DAY : 9 * DAY) : u < 0.97 ? MIN : u < 0.99 ? 17 * 3_600_000 : u < 0.997 ? 3 * DAY : 9 * DAY;
    if (r() < 0.02) regime = Math.floor(r() * 4);
    if (regime === 0) c *= 1 + 0.002 * r();
    else if (regime === 2) c *= 1 - 0.002 * r();
    else if (regime === 3) c *= 1 + 0.004 * (r() - 0.5);
    time[i] = t;
    close[i] = oddities && r() < 0.002 ? [NaN, Infinity, -Infinity, 0][Math.floor(r() * 4)]! : c;
    days[i] = Math.floor(t / DAY);
  }
  return { time, close, days };
}

function accumulators(s: SeriesStats): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('ix')));
}

describe('series indexes', () => {
  it('day starts, wide gaps and block extremes equal their definitions', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), fc.boolean(), (s, n, odd) => {
        const d = data(lcg(s), n, odd);
        const starts: number[] = [], wide: number[] = [];
        for (let i = 1; i < n; i++) {
          if (d.days[i] !== d.days[i - 1]) starts.push(i);
          if (!(d.time[i]! - d.time[i - 1]! < 5.5 * DAY)) wide.push(i);
        }
        expect([...dayStarts(d.days)]).toEqual(starts);
        const weekend = (k: number) => [0, 6].includes((((k + 4) % 7) + 7) % 7);
        expect([...weekendStarts(d.days, dayStarts(d.days))]).toEqual(starts.reduce((acc, st) => [...acc, acc.at(-1)! + (weekend(d.days[st]!) ? 1 : 0)], [0]));
        const logs = dayEndLogs(d.close, dayStarts(d.days));
        starts.forEach((st, j) => {
          const b = d.close[st - 1]!, b0 = j > 0 ? d.close[starts[j - 1]! - 1]! : NaN;
          expect(Object.is(logs.end[j], b) && Object.is(logs.prev[j], b0) && Object.is(logs.y[j], Math.log(b / b0))).toBe(true);
        });
        expect([...wideGaps(d.time, 5.5 * DAY).steps]).toEqual(wide);
        const ext = blockExtremes(d.close);
        expect(ext.min.length).toBe(Math.ceil(n / BLOCK));
        for (let b = 0; b < ext.min.length; b++) {
          const xs = [...d.close.subarray(b * BLOCK, (b + 1) * BLOCK)];
          const nan = xs.some((x) => x !== x);
          expect(Object.is(ext.min[b], nan ? NaN : Math.min(...xs))).toBe(true);
          expect(Object.is(ext.max[b], nan ? NaN : Math.max(...xs))).toBe(true);
        }
        for (let k = 0; k < 5; k++) {
          const x = Math.floor(lcg(s + k)() * (n + 2));
          expect(lowerBound(Int32Array.from(starts), x)).toBe(starts.findIndex((v) => v >= x) < 0 ? starts.length : starts.findIndex((v) => v >= x));
        }
      }),
      { numRuns: runs, seed },
    );
  });

  it('held stretches folded by blocks ≡ the per-step fold of the same equity, bit for bit', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6_000 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (s, n, odd, withBench, underwater, daily) => {
        const r = lcg(s);
        const d = data(r, n, odd, daily);
        const dayKey = (x: number) => Math.floor(x / DAY);
        const blocks = new SeriesStats(withBench, -Infinity, dayKey);
        const steps = new SeriesStats(withBench, -Infinity, dayKey);
        const equity = new Float64Array(n), exposed = new Uint8Array(n);
        for (let i = 0; i < n;) {
          // Stretches from one step to many blocks; the position flips between long, short and flat.
          const end = Math.min(n, i + 1 + Math.floor(r() * (r() < 0.5 ? 40 : 1_500)));
          const u = r();
          const qty = u < 0.45 ? 50 * r() : u < 0.9 ? -50 * r() : 0;
          // Underwater: every equity (and so the running peak) is negative, where a deeper drawdown is a higher equity.
          const cash = (r() < 0.8 ? 10_000 * (r() - (qty < 0 ? -0.5 : 0.2)) : 0) - (underwater ? 1e6 : 0);
          const ex = qty !== 0 ? 1 : 0;
          for (let k = i; k < end; k++) {
            equity[k] = cash + qty * d.close[k]!;
            exposed[k] = ex;
          }
          if (r() < 0.85) blocks.addMarked(d.time, d.close, cash, qty, ex, withBench ? d.close : null, d.days, i, end);
          // The data set's whole day column from an offset, as the walk's chunks pass it (day ends may then read
          // the benchmark's day-end logs that addMarked left).
          else blocks.add(d.time.subarray(i), equity.subarray(i), exposed.subarray(i), withBench ? d.close.subarray(i) : null, d.days, end - i, i);
          steps.add(d.time.subarray(i), equity.subarray(i), exposed.subarray(i), withBench ? d.close.subarray(i) : null, d.days.subarray(i), end - i);
          i = end;
        }
        blocks.close();
        steps.close();
        expect(same(accumulators(blocks), accumulators(steps), 'series')).toBeNull();
      }),
      { numRuns: runs, seed },
    );
  });
});
