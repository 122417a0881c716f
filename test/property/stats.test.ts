/**
 * Properties of computeStats on random equity curves: invariances, bounds, and agreement of the one-pass
 * accumulators with a plain array-based recomputation of the same definitions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeStats, type StatsInput } from '../../src/engine/stats.ts';
import { DAY_MS } from '../../src/lib/civil.ts';
import type { Stats } from '../../src/schema/results.ts';
import { utcDay } from '../../src/lib/time.ts';

const T0 = Date.UTC(2020, 0, 1);

/** Relative closeness with an absolute floor of 1e-9 (values here are percents and ratios). */
function close(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true; // also ±Infinity (a CAGR compounded over minutes overflows)
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
}

/**
 * A curve of 1–120 steps at increasing times (gaps of a minute to three days, so days hold one or many
 * steps), equity kept positive. Step returns are multiples of 1 bp: a return that is pure rounding noise
 * would make ratios like Sharpe noise over noise, which no invariance can hold to.
 */
const curve = fc
  .array(fc.record({
    gapMinutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
    bp: fc.integer({ min: -2000, max: 2500 }),
    exposed: fc.boolean(),
    benchBp: fc.integer({ min: -1000, max: 1000 }),
  }), { minLength: 1, maxLength: 120 })
  .map((steps) => {
    const n = steps.length;
    const time = new Float64Array(n), equity = new Float64Array(n), bench = new Float64Array(n);
    const exposed = new Uint8Array(n);
    let t = T0, e = 1000, b = 50;
    steps.forEach((s, i) => {
      t += s.gapMinutes * 60_000;
      e *= 1 + s.bp / 10_000;
      b *= 1 + s.benchBp / 10_000;
      time[i] = t;
      equity[i] = e;
      bench[i] = i < 3 ? NaN : b;
      exposed[i] = s.exposed ? 1 : 0;
    });
    const inp: StatsInput = {
      time, equity, length: n, benchmark: bench, exposed, trades: [], initialEquity: 1000, feesPaid: 0,
      tradedNotional: 5000, riskFreeRate: 0, dayKey: utcDay,
    };
    return inp;
  });

const PERCENT_STATS: (keyof Stats)[] = ['totalReturnPct', 'buyHoldReturnPct', 'annualReturnPct', 'annualVolatilityPct',
  'cagrPct', 'sharpe', 'sortino', 'calmar', 'maxDrawdownPct', 'avgDrawdownPct', 'maxDrawdownDays', 'avgDrawdownDays',
  'exposurePct', 'alphaPct', 'beta', 'durationDays'];

/** The definitions of docs/STATISTICS.md, computed the slow obvious way with arrays. */
function reference(inp: StatsInput) {
  const n = inp.length;
  const eq = Array.from(inp.equity.subarray(0, n));
  const tm = Array.from(inp.time.subarray(0, n));
  const dayEnds: number[] = [], benchEnds: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === n - 1 || inp.dayKey(tm[i + 1]!) !== inp.dayKey(tm[i]!)) {
      dayEnds.push(eq[i]!);
      benchEnds.push(inp.benchmark![i]!);
    }
  }
  const r = dayEnds.slice(1).map((e, k) => e / dayEnds[k]! - 1);
  // P: the most common gap class (ties to the finer), then the weekend share of the days.
  const classes = [0, 0, 0, 0];
  for (let i = 1; i < n; i++) {
    const d = (tm[i]! - tm[i - 1]!) / DAY_MS;
    classes[d < 5.5 ? 0 : d < 25 ? 1 : d < 300 ? 2 : 3]!++;
  }
  const mode = classes.indexOf(Math.max(...classes));
  const days = [...new Set(tm.map((t) => inp.dayKey(t)))];
  const weekend = days.filter((d) => [0, 6].includes(new Date(d * DAY_MS).getUTCDay())).length / days.length;
  const P = [weekend > 1.2 / 7 ? 365 : 252, 52, 12, 1][mode]!;
  const enough = r.length >= Math.max(2, Math.ceil(P / 4));
  const g = r.some((x) => x <= -1) ? 0 : Math.exp(r.reduce((s, x) => s + Math.log(1 + x), 0) / r.length) - 1;
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1);
  const annRet = enough ? (1 + g) ** P - 1 : NaN;
  const annVol = enough ? Math.sqrt((variance + (1 + g) ** 2) ** P - (1 + g) ** (2 * P)) : NaN;
  const downside = Math.sqrt(r.reduce((s, x) => s + Math.min(x, 0) ** 2, 0) / r.length) * Math.sqrt(P);

  // Drawdown periods: each maximal run of steps below the running peak, from the step before it (the
  // peak) to the step after it (recovery) or to the last step.
  let peak = -Infinity;
  const dd = eq.map((e) => (peak = Math.max(peak, e), 1 - e / peak));
  const depths: number[] = [], durations: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dd[i]! > 0 && (i === 0 || dd[i - 1] === 0)) {
      let j = i;
      while (j + 1 < n && dd[j + 1]! > 0) j++;
      depths.push(Math.max(...dd.slice(i, j + 1)));
      durations.push((tm[Math.min(j + 1, n - 1)]! - tm[i - 1]!) / DAY_MS);
    }
  }
  const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

  // Beta: two-pass cov / var of daily log returns (day-end equity and benchmark) over days whose benchmark
  // is valid at both ends.
  const xs: number[] = [], ys: number[] = [];
  for (let d = 1; d < dayEnds.length; d++) {
    if (benchEnds[d - 1]! > 0 && benchEnds[d]! > 0) {
      xs.push(Math.log(dayEnds[d]! / dayEnds[d - 1]!));
      ys.push(Math.log(benchEnds[d]! / benchEnds[d - 1]!));
    }
  }
  const mx = avg(xs), my = avg(ys);
  const cov = xs.reduce((s, x, k) => s + (x - mx) * (ys[k]! - my), 0);
  const vy = ys.reduce((s, y) => s + (y - my) ** 2, 0);
  return {
    beta: xs.length > 1 && vy > 0 ? cov / vy : NaN,
    P, annRet, annVol, downside, scale: (1 + g) ** (2 * P),
    maxDd: Math.max(...dd), avgDd: avg(depths), maxDdDays: durations.length ? Math.max(...durations) : NaN,
    avgDdDays: avg(durations),
  };
}

describe('computeStats properties', () => {
  it('scaling equity, cash and notional by a constant leaves every percent and ratio unchanged', () => {
    fc.assert(fc.property(curve, fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (inp, c) => {
      const a = computeStats(inp);
      const b = computeStats({
        ...inp, equity: inp.equity.map((e) => e * c), initialEquity: inp.initialEquity * c,
        tradedNotional: inp.tradedNotional * c,
      });
      for (const k of [...PERCENT_STATS, 'turnover'] as const) {
        if (!close(a[k], b[k], 1e-8)) throw new Error(`${k}: ${a[k]} vs ${b[k]} (×${c})`);
      }
      expect(close(b.finalEquity, a.finalEquity * c, 1e-12)).toBe(true);
    }));
  });

  it('max drawdown bounds every step\'s drawdown and every period\'s depth', () => {
    fc.assert(fc.property(curve, (inp) => {
      const s = computeStats(inp);
      const maxDd = -s.maxDrawdownPct / 100;
      let peak = -Infinity, seen = 0;
      for (let i = 0; i < inp.length; i++) {
        peak = Math.max(peak, inp.equity[i]!);
        const dd = 1 - inp.equity[i]! / peak;
        expect(dd).toBeLessThanOrEqual(maxDd + 1e-15);
        seen = Math.max(seen, dd);
      }
      // …and is attained (up to the ×100 / 100 round trip of the percent).
      expect(Math.abs(seen - maxDd)).toBeLessThanOrEqual(1e-15);
      if (maxDd > 0) {
        expect(s.avgDrawdownPct).toBeGreaterThanOrEqual(s.maxDrawdownPct - 1e-9);
        expect(s.maxDrawdownDays).toBeGreaterThanOrEqual(s.avgDrawdownDays - 1e-9);
        expect(s.maxDrawdownDays).toBeLessThanOrEqual(s.durationDays);
      } else {
        expect(s.avgDrawdownPct).toBeNaN();
      }
    }));
  });

  it('a constant daily return r annualises to (1 + r)^252 − 1 (P = 252 from the settings)', () => {
    fc.assert(fc.property(
      fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.integer({ min: 64, max: 400 }), fc.integer({ min: 1, max: 4 }),
      (r, days, barsPerDay) => {
        const n = days * barsPerDay;
        const time = new Float64Array(n), equity = new Float64Array(n);
        for (let d = 0; d < days; d++) {
          for (let b = 0; b < barsPerDay; b++) {
            const i = d * barsPerDay + b;
            time[i] = T0 + d * DAY_MS + (b + 1) * 3_600_000;
            // intraday wiggles must not matter: only the day's last equity counts
            equity[i] = 100 * (1 + r) ** d * (b === barsPerDay - 1 ? 1 : 1.5);
          }
        }
        const s = computeStats({
          time, equity, length: n, benchmark: null, exposed: new Uint8Array(n), trades: [], initialEquity: 100,
          feesPaid: 0, tradedNotional: 0, riskFreeRate: 0, dayKey: utcDay, periodsPerYear: 252,
        });
        const expected = ((1 + r) ** 252 - 1) * 100;
        if (!close(s.annualReturnPct, expected, 1e-9)) throw new Error(`${s.annualReturnPct} vs ${expected}`);
        expect(s.annualVolatilityPct).toBeLessThan(1e-5);
      },
    ));
  });

  it('one-pass accumulators agree with an array recomputation of the same definitions', () => {
    fc.assert(fc.property(curve, (inp) => {
      const s = computeStats(inp);
      const ref = reference(inp);
      const pairs: [string, number, number][] = [
        ['periodsPerYear', s.periodsPerYear, ref.P],
        ['annualReturn', s.annualReturnPct, ref.annRet * 100],
        ['sortino', s.sortino, ref.downside > 0 ? ref.annRet / ref.downside : NaN],
        ['maxDd', s.maxDrawdownPct, -ref.maxDd * 100],
        ['avgDd', s.avgDrawdownPct, -ref.avgDd * 100],
        ['maxDdDays', s.maxDrawdownDays, ref.maxDdDays],
        ['avgDdDays', s.avgDrawdownDays, ref.avgDdDays],
        ['beta', s.beta, ref.beta],
      ];
      for (const [k, got, want] of pairs) {
        if (!close(got, want, 1e-9)) throw new Error(`${k}: ${got} vs ${want}`);
      }
      // The literal volatility formula subtracts two powers near (1+g)^504, so its square is only good to
      // rounding of that size; compare squares with that tolerance (the code under test factors it out).
      const vol = s.annualVolatilityPct / 100;
      if (!close(vol * vol, ref.annVol ** 2, 1e-9) && !(Math.abs(vol * vol - ref.annVol ** 2) <= 1e-13 * ref.scale)) {
        throw new Error(`annualVol: ${vol} vs ${ref.annVol}`);
      }
    }));
  });
});
