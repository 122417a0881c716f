/**
 * computeStats against hand-computed examples. Each expected value is written as the arithmetic a person
 * would do on paper (the comment shows the numbers), never by calling the code under test.
 */
import { describe, expect, it } from 'vitest';
import { computeStats, type StatsInput } from '../../../src/engine/stats.ts';
import { SeriesStats } from '../../../src/engine/series-stats.ts';
import { DAY_MS } from '../../../src/lib/civil.ts';
import { unavailableReasons } from '../../../src/schema/stat-reasons.ts';
import type { Stats, Trade } from '../../../src/schema/results.ts';
import { utcDay } from '../../../src/lib/time.ts';
import { fromZoned, zonedDay } from '../../../src/lib/tz.ts';

const T0 = Date.UTC(2024, 0, 1); // a Monday
const HOUR = 3_600_000;

/** Expects `actual` within `rel` relative error of `expected` (absolute near 0); NaN must match NaN. */
function near(actual: number, expected: number, rel = 1e-12): void {
  if (Number.isNaN(expected)) {
    expect(actual).toBeNaN();
    return;
  }
  const tol = rel * Math.max(Math.abs(expected), 1e-300);
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
  }
}

function input(times: number[], equity: number[], over: Partial<StatsInput> = {}): StatsInput {
  return {
    time: Float64Array.from(times),
    equity: Float64Array.from(equity),
    length: equity.length,
    benchmark: null,
    exposed: new Uint8Array(equity.length),
    trades: [],
    initialEquity: equity[0] ?? 100,
    feesPaid: 0,
    tradedNotional: 0,
    riskFreeRate: 0,
    dayKey: utcDay,
    ...over,
  };
}

/** One bar per calendar day, at midnight UTC, starting at T0. */
function daily(equity: number[], over: Partial<StatsInput> = {}): StatsInput {
  return input(equity.map((_, k) => T0 + k * DAY_MS), equity, over);
}

function trade(pnl: number, returnPct: number, days: number, at = T0): Trade {
  return {
    symbol: 'X', side: 'long', quantity: 1, entryTime: at, exitTime: at + days * DAY_MS,
    entryPrice: 100, exitPrice: 100 + returnPct, pnl, returnPct, fees: 0, strategyId: 's',
  };
}

describe('computeStats: period returns and ratios', () => {
  // Day-end equities 100, 110, 99, 108.9, 119.79, 107.811 → five returns +0.1, −0.1, +0.1, +0.1, −0.1.
  // P = 12 from the settings (five returns are enough at 12 per year: a quarter of a year is 3), so the
  // arithmetic stays on paper; the inference of P has its own tests below.
  const eq = [100, 110, 99, 108.9, 119.79, 107.811];
  const P12 = { periodsPerYear: 12 };
  const s = computeStats(daily(eq, P12));
  // Π(1+r) = 1.1³ × 0.9² = 1.331 × 0.81 = 1.07811, so 1 + g = 1.07811^(1/5).
  const onePlusG = 1.07811 ** (1 / 5);
  // mean r = (0.3 − 0.2) / 5 = 0.02; deviations 0.08, −0.12, 0.08, 0.08, −0.12;
  // Σ dev² = 3 × 0.0064 + 2 × 0.0144 = 0.048; sample variance = 0.048 / 4 = 0.012.
  const variance = 0.012;
  const annRet = onePlusG ** 12 - 1; // = 1.07811^(12/5) − 1
  const annVol = Math.sqrt((variance + onePlusG ** 2) ** 12 - onePlusG ** 24);

  it('annual return, volatility, Sharpe', () => {
    near(s.annualReturnPct, (1.07811 ** (12 / 5) - 1) * 100);
    near(s.annualVolatilityPct, annVol * 100, 1e-11);
    near(s.sharpe, annRet / annVol, 1e-11);
    expect(s.periodsPerYear).toBe(12);
    expect(s.returnPeriods).toBe(5);
  });

  it('Sortino: downside √(mean(min(r,0)²)) over all five returns × √P', () => {
    // mean(min(r,0)²) = (0.01 + 0.01) / 5 = 0.004; × 12 under the root: √(0.004 × 12) = √0.048.
    near(s.sortino, annRet / Math.sqrt(0.048));
  });

  it('Calmar, total return, equity extremes, max drawdown', () => {
    // Max drawdown: 110 → 99 is 1 − 99/110 = 10 %; 119.79 → 107.811 is 1 − 0.9 = 10 % too.
    near(s.maxDrawdownPct, -10);
    near(s.calmar, annRet / 0.1);
    near(s.totalReturnPct, 7.811);
    expect(s.finalEquity).toBe(107.811);
    expect(s.peakEquity).toBe(119.79);
    expect(s.startTime).toBe(T0);
    expect(s.endTime).toBe(T0 + 5 * DAY_MS);
    expect(s.durationDays).toBe(5);
  });

  it('CAGR over calendar years, from a quarter of a year on', () => {
    // 100 → 121 over 730.5 days (two calendar years of 365.25): 1.21^(1/2) − 1 = 10 %.
    near(computeStats(input([T0, T0 + 730.5 * DAY_MS], [100, 121])).cagrPct, 10, 1e-12);
    // 5 days is less than 365.25 / 4: extrapolating to a year is not available.
    expect(s.cagrPct).toBeNaN();
    expect(unavailableReasons(s).cagrPct).toMatch(/spans 5\.0 days, at least 91\.3/);
  });

  it('risk-free rate is subtracted from the annual return in Sharpe and Sortino', () => {
    const r = computeStats(daily(eq, { riskFreeRate: 0.02, ...P12 }));
    near(r.sharpe, (annRet - 0.02) / annVol, 1e-11);
    near(r.sortino, (annRet - 0.02) / Math.sqrt(0.048));
    // Calmar has no risk-free term (backtesting.py).
    near(r.calmar, annRet / 0.1);
  });

  it('a single return is too short to annualise: not available, with the reason', () => {
    // 100 → 101: one return; annualising needs at least 2 (and a quarter of a year).
    const r = computeStats(daily([100, 101], P12));
    for (const k of ['annualReturnPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar'] as const) {
      expect(r[k], k).toBeNaN();
      expect(unavailableReasons(r)[k], k).toBe('too short to annualise: 1 monthly return, at least 3 needed (25 % of a year at 12 per year)');
    }
  });

  it('a day return of −100 % or worse makes the geometric mean 0 (backtesting.py)', () => {
    // 100 → −10: r = −1.1, 1 + r ≤ 0 → g = 0 → annual return (1 + 0)^P − 1 = 0 (P = 2 needs 2 returns).
    const r = computeStats(daily([100, -10, 50], { initialEquity: 100, periodsPerYear: 2 }));
    expect(r.annualReturnPct).toBe(0);
    near(r.totalReturnPct, -50);
  });
});

describe('computeStats: drawdown periods', () => {
  // Bars on calendar days 0, 1, 2, 3, 4, 7, 8, 9, 10, 11 (a gap, so durations are calendar days, not bars).
  const days = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11];
  const eq = [100, 120, 90, 60, 120, 130, 117, 104, 110, 125];
  // running peak 100 120 120 120 120 130 130 130 130 130
  // drawdown       0   0 .25  .5   0   0  .1  .2 1−110/130 1−125/130
  // period 1: peak day 1, recovered (back to 120 exactly) day 4 → 3 days, depth 0.5
  // period 2: peak day 7, never recovered, runs to the end (day 11) → 4 days, depth 0.2
  const s = computeStats(input(days.map((d) => T0 + d * DAY_MS), eq));

  it('max and average depth', () => {
    near(s.maxDrawdownPct, -50);
    near(s.avgDrawdownPct, -((0.5 + 0.2) / 2) * 100); // −35
  });

  it('durations from the peak to recovery or the end, in days', () => {
    expect(s.maxDrawdownDays).toBe(4);
    expect(s.avgDrawdownDays).toBe(3.5);
  });

  it('counts an unrecovered drawdown that starts on the last bar', () => {
    // 100, 110, 99, 121, 108.9: periods day1→day3 (depth 0.1, 2 days) and day3→day4 (depth 0.1, 1 day).
    const r = computeStats(daily([100, 110, 99, 121, 108.9]));
    near(r.avgDrawdownPct, -10);
    expect(r.maxDrawdownDays).toBe(2);
    expect(r.avgDrawdownDays).toBe(1.5);
  });

  it('no drawdown: max is 0 (not −0), averages and durations undefined', () => {
    const r = computeStats(daily([100, 101, 102]));
    expect(r.maxDrawdownPct).toBe(0);
    expect(r.avgDrawdownPct).toBeNaN();
    expect(r.maxDrawdownDays).toBeNaN();
    expect(r.calmar).toBeNaN();
  });
});

describe('computeStats: intraday bars', () => {
  // Day 0: 10:00 → 100, 14:00 → 150, 16:00 → 101 (day end 101)
  // Day 1: 10:00 → 50, 16:00 → 103.02 (day end 103.02)
  // Day 2: 12:00 → 104.0502 (day end 104.0502)
  const times = [T0 + 10 * HOUR, T0 + 14 * HOUR, T0 + 16 * HOUR,
    T0 + DAY_MS + 10 * HOUR, T0 + DAY_MS + 16 * HOUR, T0 + 2 * DAY_MS + 12 * HOUR];
  const eq = [100, 150, 101, 50, 103.02, 104.0502];
  // P = 8 from the settings: two returns are enough (a quarter of a year at 8 per year is 2).
  const s = computeStats(input(times, eq, { exposed: Uint8Array.from([0, 1, 1, 0, 1, 0]), periodsPerYear: 8 }));

  it('daily returns use the last equity of each day', () => {
    // returns 103.02/101 − 1 = 0.02 and 104.0502/103.02 − 1 = 0.01 (intraday 150 and 50 are ignored)
    const onePlusG = Math.sqrt(1.02 * 1.01);
    expect(s.returnPeriods).toBe(2);
    near(s.annualReturnPct, (onePlusG ** 8 - 1) * 100, 1e-11);
    // mean 0.015, deviations ±0.005: var = 2 × 0.000025 / 1 = 0.00005
    near(s.annualVolatilityPct, Math.sqrt((0.00005 + onePlusG ** 2) ** 8 - onePlusG ** 16) * 100, 1e-9);
  });

  it('drawdowns and exposure use every step', () => {
    // peak 150 at 14:00 day 0; trough 50 → 1 − 50/150 = 2/3; never regained → ends at the last bar.
    near(s.maxDrawdownPct, -(2 / 3) * 100);
    near(s.maxDrawdownDays, (2 * DAY_MS + 12 * HOUR - 14 * HOUR) / DAY_MS); // 46 h = 1.91666… days
    near(s.exposurePct, (3 / 6) * 100);
    expect(s.peakEquity).toBe(150);
    near(s.durationDays, (2 * DAY_MS + 2 * HOUR) / DAY_MS);
  });
});

describe('computeStats: the day key decides calendar days', () => {
  const NY = 'America/New_York';
  const local = (d: number, h: number) => fromZoned(NY, Date.UTC(2024, 0, 8 + d, h));
  // New York bars at 18:00 and 20:00 local (23:00 and 01:00 UTC in January) on two New York days.
  const times = [local(0, 18), local(0, 20), local(1, 18), local(1, 20)];
  const eq = [100, 110, 99, 132];
  const nyDay = (t: number) => zonedDay(NY, t);

  it('groups by the exchange day, not the UTC day', () => {
    // New York days end at 110 and 132: one return 132/110 − 1 = 0.2 — too few to annualise.
    const s = computeStats(input(times, eq, { dayKey: nyDay, periodsPerYear: 8 }));
    expect(s.returnPeriods).toBe(1);
    expect(s.annualReturnPct).toBeNaN();
  });

  it('UTC days would split the evening session', () => {
    // UTC days: {100}, {110, 99}, {132} → day ends 100, 99, 132: returns −0.01 and 132/99 − 1;
    // 0.99 × 132/99 = 1.32 → 1 + g = √1.32, annual (P = 8) 1.32^4 − 1.
    const s = computeStats(input(times, eq, { dayKey: utcDay, periodsPerYear: 8 }));
    expect(s.returnPeriods).toBe(2);
    near(s.annualReturnPct, (1.32 ** (8 / 2) - 1) * 100, 1e-11);
    expect(s.annualVolatilityPct).toBeGreaterThan(0);
  });
});

describe('computeStats: trades', () => {
  // pnl 100, −50, 200, −100; returns +10 %, −5 %, +20 %, −10 %; durations 2, 1, 5, 4 days.
  const trades = [trade(100, 10, 2), trade(-50, -5, 1), trade(200, 20, 5), trade(-100, -10, 4)];
  const s = computeStats(daily([100, 100], { trades }));

  it('count, win rate, best, worst', () => {
    expect(s.tradeCount).toBe(4);
    expect(s.winRatePct).toBe(50);
    expect(s.bestTradePct).toBe(20);
    expect(s.worstTradePct).toBe(-10);
  });

  it('average trade is geometric, expectancy arithmetic', () => {
    // 1.1 × 0.95 × 1.2 × 0.9 = 1.045 × 1.2 × 0.9 = 1.254 × 0.9 = 1.1286 → 1.1286^(1/4) − 1 ≈ 3.0717 %
    near(s.avgTradePct, (1.1286 ** 0.25 - 1) * 100);
    // (10 − 5 + 20 − 10) / 4 = 3.75 %
    near(s.expectancyPct, 3.75);
  });

  it('profit factor on returns', () => {
    // (0.10 + 0.20) / |−0.05 − 0.10| = 0.30 / 0.15 = 2
    near(s.profitFactor, 2);
  });

  it('SQN = √n × mean(pnl) / std(pnl, ddof 1)', () => {
    // mean = 150 / 4 = 37.5; deviations 62.5, −87.5, 162.5, −137.5;
    // Σ dev² = 3906.25 + 7656.25 + 26406.25 + 18906.25 = 56875; var = 56875 / 3; SQN = 2 × 37.5 / √(56875/3)
    near(s.sqn, 75 / Math.sqrt(56875 / 3));
  });

  it('Kelly = W − (1 − W) / (avg win / avg loss)', () => {
    // avg win (100 + 200)/2 = 150, avg loss (50 + 100)/2 = 75 → ratio 2; 0.5 − 0.5 / 2 = 0.25
    near(s.kelly, 0.25);
  });

  it('trade durations in days', () => {
    expect(s.maxTradeDays).toBe(5);
    expect(s.avgTradeDays).toBe(3); // (2 + 1 + 5 + 4) / 4
  });

  it('a zero-pnl trade counts in the win rate denominator but is neither win nor loss', () => {
    const r = computeStats(daily([100, 100], { trades: [trade(10, 1, 1), trade(0, 0, 1), trade(-10, -1, 1)] }));
    near(r.winRatePct, 100 / 3);
    // avg win 10, avg loss 10 → 1/3 − (2/3) / 1 = −1/3
    near(r.kelly, -1 / 3);
  });

  it('undefined without losers, with one trade, or after a −100 % trade', () => {
    const r = computeStats(daily([100, 100], { trades: [trade(10, 10, 1)] }));
    expect(r.profitFactor).toBeNaN(); // nothing to divide by
    expect(r.kelly).toBeNaN(); // no average loss
    expect(r.sqn).toBeNaN(); // std of one pnl
    near(r.avgTradePct, 10);
    const ruin = computeStats(daily([100, 100], { trades: [trade(10, 10, 1), trade(-100, -100, 1)] }));
    expect(ruin.avgTradePct).toBe(0); // backtesting.py: a factor ≤ 0 makes the geometric mean 0
    near(ruin.expectancyPct, -45);
  });

  it('no trades: count 0, every trade statistic NaN', () => {
    const r = computeStats(daily([100, 100]));
    expect(r.tradeCount).toBe(0);
    for (const k of ['winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct', 'maxTradeDays', 'avgTradeDays',
      'expectancyPct', 'profitFactor', 'sqn', 'kelly'] as const) {
      expect(r[k], k).toBeNaN();
    }
  });
});

describe('computeStats: benchmark, alpha, beta, costs', () => {
  it('beta 2 when every equity log return is twice the benchmark one', () => {
    // benchmark NaN, 100, 110, 99, 108.9: ratios 1.1, 0.9, 1.1 (step 0→1 has no benchmark return)
    // equity 1000, 1000, 1210, 980.1, 1185.921: ratios 1.21 = 1.1², 0.81 = 0.9², 1.21 → x = 2y
    const s = computeStats(daily([1000, 1000, 1210, 980.1, 1185.921], {
      benchmark: Float64Array.from([NaN, 100, 110, 99, 108.9]), initialEquity: 1000,
    }));
    near(s.beta, 2, 1e-12);
    near(s.buyHoldReturnPct, 8.9); // 108.9 / 100 − 1, from the first valid price
    near(s.totalReturnPct, 18.5921);
    near(s.alphaPct, 18.5921 - 2 * 8.9, 1e-11); // 0.7921
    // with rf = 1 %: (0.185921 − 0.01) − 2 × (0.089 − 0.01) = 0.175921 − 0.158 = 0.017921
    const r = computeStats(daily([1000, 1000, 1210, 980.1, 1185.921], {
      benchmark: Float64Array.from([NaN, 100, 110, 99, 108.9]), initialEquity: 1000, riskFreeRate: 0.01,
    }));
    near(r.alphaPct, 1.7921, 1e-11);
  });

  it('beta = cov(x, y) / var(y) on daily log returns', () => {
    // y = ln 1.1, ln 0.9, 0   x = ln 1.05, 0, ln 1.05
    const y = [Math.log(1.1), Math.log(0.9), 0];
    const x = [Math.log(1.05), 0, Math.log(1.05)];
    const my = (y[0]! + y[1]! + y[2]!) / 3, mx = (2 * Math.log(1.05)) / 3;
    const cov = (x[0]! - mx) * (y[0]! - my) + (x[1]! - mx) * (y[1]! - my) + (x[2]! - mx) * (y[2]! - my);
    const vy = (y[0]! - my) ** 2 + (y[1]! - my) ** 2 + (y[2]! - my) ** 2;
    const s = computeStats(daily([100, 105, 105, 110.25], { benchmark: Float64Array.from([100, 110, 99, 99]) }));
    near(s.beta, cov / vy, 1e-12);
    near(s.buyHoldReturnPct, -1);
  });

  it('beta reads day-end returns: moves inside a day leave it unchanged (engine 0.3.0, was per step)', () => {
    // Two intraday steps per day (10:00 and 15:00 UTC) over four days. The day ends are those of the test
    // above (equity 100, 105, 105, 110.25; benchmark 100, 110, 99, 99), so beta is its cov / var; the
    // 10:00 steps wander (equity ±3 %, benchmark ±5 %) and a per-step beta would read them.
    const H = 3_600_000;
    const times: number[] = [], eq: number[] = [], bench: number[] = [];
    const ends = [[100, 100], [105, 110], [105, 99], [110.25, 99]] as const;
    ends.forEach(([e, b], d) => {
      times.push(T0 + d * DAY_MS + 10 * H, T0 + d * DAY_MS + 15 * H);
      eq.push(e * (d % 2 ? 1.03 : 0.97), e);
      bench.push(b * (d % 2 ? 0.95 : 1.05), b);
    });
    const y = [Math.log(1.1), Math.log(0.9), 0];
    const x = [Math.log(1.05), 0, Math.log(1.05)];
    const my = (y[0]! + y[1]! + y[2]!) / 3, mx = (2 * Math.log(1.05)) / 3;
    const cov = (x[0]! - mx) * (y[0]! - my) + (x[1]! - mx) * (y[1]! - my) + (x[2]! - mx) * (y[2]! - my);
    const vy = (y[0]! - my) ** 2 + (y[1]! - my) ** 2 + (y[2]! - my) ** 2;
    const s = computeStats(input(times, eq, { benchmark: Float64Array.from(bench) }));
    near(s.beta, cov / vy, 1e-12);
    // Alpha is still backtesting.py's Jensen alpha, with this beta.
    near(s.alphaPct, s.totalReturnPct - s.beta * s.buyHoldReturnPct, 1e-12);
  });

  it('no benchmark, or a flat one: buy-and-hold, alpha and beta undefined', () => {
    const none = computeStats(daily([100, 105, 110]));
    expect(none.buyHoldReturnPct).toBeNaN();
    expect(none.beta).toBeNaN();
    expect(none.alphaPct).toBeNaN();
    const flat = computeStats(daily([100, 105, 110], { benchmark: Float64Array.from([50, 50, 50]) }));
    expect(flat.buyHoldReturnPct).toBe(0);
    expect(flat.beta).toBeNaN();
  });

  it('fees pass through; turnover = traded notional / mean equity', () => {
    // mean equity (100 + 110 + 90 + 100) / 4 = 100; 250 / 100 = 2.5
    const s = computeStats(daily([100, 110, 90, 100], { tradedNotional: 250, feesPaid: 1.25 }));
    expect(s.turnover).toBe(2.5);
    expect(s.feesPaid).toBe(1.25);
  });

  it('turnover on intraday bars divides by the mean day-end equity, not the mean of every bar (engine 0.5.0)', () => {
    // Day 1: 100, 300, 200 (ends at 200); day 2: 50, 400 (ends at 400). Day ends' mean 300; every bar's 210.
    const times = [T0 + 10 * HOUR, T0 + 11 * HOUR, T0 + 12 * HOUR, T0 + DAY_MS + 10 * HOUR, T0 + DAY_MS + 11 * HOUR];
    const s = computeStats(input(times, [100, 300, 200, 50, 400], { tradedNotional: 600 }));
    expect(s.turnover).toBe(2);
  });

  it('the geometric mean sums ln(E_d / E_{d-1}), the log beta takes too, not log1p(r) (engine 0.5.1)', () => {
    // Day-end equities whose ratios q give Math.log(q) !== Math.log1p(q - 1) (they differ in the last bit).
    const eq = [100, 100.155, 100.155 * (100.254 / 100), 100.155 * (100.254 / 100) * (101.36 / 100)];
    const times = eq.map((_, i) => T0 + i * DAY_MS);
    const s = new SeriesStats(false, -Infinity, (t) => Math.floor(t / DAY_MS));
    s.add(Float64Array.from(times), Float64Array.from(eq), new Uint8Array(eq.length), null, undefined, eq.length);
    s.close();
    let ln = 0, log1p = 0;
    for (let i = 1; i < eq.length; i++) {
      ln += Math.log(eq[i]! / eq[i - 1]!);
      log1p += Math.log1p(eq[i]! / eq[i - 1]! - 1);
    }
    expect(ln).not.toBe(log1p); // else this data could not tell the two apart
    expect(s.daily.sumLog1p).toBe(ln);
  });

  it('total return and CAGR are measured from the initial cash, not the first marked equity', () => {
    // A fill and fee at the first close marks equity[0] at 99; the user started with 100.
    const s = computeStats(input([T0, T0 + 365.25 * DAY_MS], [99, 104.5], { initialEquity: 100 }));
    near(s.totalReturnPct, 4.5);
    near(s.cagrPct, 4.5, 1e-11);
    expect(s.initialEquity).toBe(100);
  });
});

describe('computeStats: degenerate inputs', () => {
  const equityFields: (keyof Stats)[] = ['annualReturnPct', 'annualVolatilityPct', 'cagrPct', 'sharpe', 'sortino',
    'calmar', 'avgDrawdownPct', 'maxDrawdownDays', 'avgDrawdownDays', 'beta', 'alphaPct', 'buyHoldReturnPct'];

  it('length 0 does not throw and reports only what exists', () => {
    const s = computeStats(input([], [], { initialEquity: 1000, feesPaid: 3 }));
    expect(s.initialEquity).toBe(1000);
    expect(s.feesPaid).toBe(3);
    expect(s.tradeCount).toBe(0);
    for (const k of [...equityFields, 'startTime', 'endTime', 'finalEquity', 'totalReturnPct', 'maxDrawdownPct',
      'exposurePct', 'turnover'] as const) {
      expect(s[k], k).toBeNaN();
    }
  });

  it('length 1: one marked equity, no returns', () => {
    const s = computeStats(input([T0], [1010], { initialEquity: 1000, exposed: Uint8Array.of(1) }));
    expect(s.startTime).toBe(T0);
    expect(s.endTime).toBe(T0);
    expect(s.durationDays).toBe(0);
    expect(s.finalEquity).toBe(1010);
    expect(s.peakEquity).toBe(1010);
    near(s.totalReturnPct, 1);
    expect(s.maxDrawdownPct).toBe(0);
    expect(s.exposurePct).toBe(100);
    for (const k of equityFields) expect(s[k], k).toBeNaN();
  });

  it('only [0, length) is read', () => {
    const s = computeStats({ ...daily([100, 110, 1, 1e9]), length: 2 });
    expect(s.finalEquity).toBe(110);
    expect(s.peakEquity).toBe(110);
    expect(s.maxDrawdownPct).toBe(0);
  });

  it('flat equity: zero return and volatility, ratios undefined', () => {
    const s = computeStats(daily([100, 100, 100, 100, 100], { periodsPerYear: 12 }));
    expect(s.annualReturnPct).toBe(0);
    expect(s.annualVolatilityPct).toBe(0);
    expect(s.totalReturnPct).toBe(0);
    expect(computeStats(input([T0, T0 + 100 * DAY_MS], [100, 100])).cagrPct).toBe(0);
    expect(s.maxDrawdownPct).toBe(0);
    expect(s.sharpe).toBeNaN();
    expect(s.sortino).toBeNaN();
    expect(s.calmar).toBeNaN();
  });
});

describe('regressions', () => {
  it('regression: Sharpe was ≈ −4e17 when equity compounds to nothing within a year (volatility collapses to ~1e-18)', () => {
    // Losing 15 % a day (with some spread) for 70 days at P = 252: (1 + g)^252 ≈ 0.85^252 ≈ 1.6e-18, so the
    // compounded annual volatility is numerically zero; Sharpe is undefined rather than a 17-digit number.
    const equity = [10_000];
    for (let k = 1; k <= 70; k++) equity.push(equity[k - 1]! * (k % 2 ? 0.8 : 0.9));
    const s = computeStats(daily(equity, { periodsPerYear: 252 }));
    expect(s.annualVolatilityPct).toBeLessThan(1e-7);
    expect(s.sharpe).toBeNaN();
    expect(unavailableReasons(s).sharpe).toBe('the returns have no (or numerically zero) volatility');
    // The other ratios stay defined: Sortino annualises by √P, not by compounding.
    expect(s.sortino).toBeLessThan(0);
    expect(s.annualReturnPct).toBeCloseTo(-100, 6);
  });

  it('regression: a month of daily returns printed an annual return of −100 % and a volatility of 0.00 % (issue 11)', () => {
    // The same losses for 20 days: too few returns to annualise at 252 a year → not available, with why.
    const equity = [10_000];
    for (let k = 1; k <= 20; k++) equity.push(equity[k - 1]! * (k % 2 ? 0.8 : 0.9));
    const d = computeStats(daily(equity, { periodsPerYear: 252 }));
    for (const k of ['annualReturnPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar'] as const) expect(d[k], k).toBeNaN();
    expect(unavailableReasons(d).annualReturnPct).toBe('too short to annualise: 20 daily returns, at least 63 needed (25 % of a year at 252 per year)');
  });
});
