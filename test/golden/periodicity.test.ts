/**
 * Annualisation follows the data (issue 11): the periods per year P are inferred from the bars, and buy &
 * hold starts on the first tradable bar.
 * - Monthly BTCUSD (../shared/data/daily/BTCUSD.csv; skipped with a notice without it), EMA 3/6 cross, long
 *   only, close fills, 0.1 % commission: backtesting.py 0.5.x reports Sharpe 0.560 and Sortino 2.125 — with
 *   252 per year this engine printed an annual return of 535,130 % and Sortino 4,909.
 * - A weekend-trading daily series and a weekly series, run end to end, against figures computed by hand
 *   from the closed-form returns (each expectation is the arithmetic, never the code under test).
 */
import { describe, expect, it } from 'vitest';
import { loadCsvFile } from '../../src/data/node/index.ts';
import { runBacktest } from '../../src/engine/index.ts';
import { unavailableReasons, type Stats } from '../../src/schema/index.ts';
import { bars } from '../helpers/bars.ts';
import { SHARED_DATA, sharedDataPath, warnIfNoSharedData } from '../helpers/shared-data.ts';
import { doc } from '../unit/engine/helpers.ts';

warnIfNoSharedData('golden: monthly BTCUSD against backtesting.py');

const DAY = 86_400_000;
const ema = (n: number) => ({ kind: 'ema' as const, window: { bars: n } });

describe.skipIf(SHARED_DATA === null)('golden: monthly BTCUSD against backtesting.py', () => {
  it('P = 12 from the bars; Sharpe 0.560 ± 0.03 and Sortino 2.125 ± 0.06', async () => {
    const { bars: btc } = await loadCsvFile(sharedDataPath('daily', 'BTCUSD.csv'), { symbol: 'BTCUSD' });
    const d = doc({ universe: ['BTCUSD'], timeframe: '1mo', initialCash: 10_000, fees: { fraction: 0.001 }, fillModel: 'close', units: 'fractional' }, [
      { id: 'enter', condition: { lhs: ema(3), op: 'crossesAbove', rhs: ema(6) }, action: { type: 'setWeight', weight: 1 } },
      { id: 'exit', condition: { lhs: ema(3), op: 'crossesBelow', rhs: ema(6) }, action: { type: 'setWeight', weight: 0 } },
    ]);
    const s = runBacktest(d, { bars: [btc] }).stats;
    expect(s.periodsPerYear).toBe(12);
    expect(s.returnPeriods).toBe(155);
    expect(Math.abs(s.sharpe - 0.560)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(s.sortino - 2.125)).toBeLessThanOrEqual(0.06);
    // Sane annual figures (the 252 annualisation gave 535,130 %).
    expect(s.annualReturnPct).toBeGreaterThan(10);
    expect(s.annualReturnPct).toBeLessThan(200);
    // The same data with P forced to 252 is what the issue saw.
    const old = runBacktest({ ...d, settings: { ...d.settings, periodsPerYear: 252 } }, { bars: [btc] }).stats;
    expect(old.annualReturnPct).toBeGreaterThan(100_000);
  });
});

/** Closes from 100 by alternating returns `up` (odd steps) and `down` (even steps), one bar every `gapDays`. */
function alternating(n: number, gapDays: number, up: number, down: number) {
  const rows: [number, number, number, number, number, number][] = [];
  let p = 100;
  for (let k = 0; k < n; k++) {
    if (k > 0) p *= k % 2 ? 1 + up : 1 + down;
    rows.push([Date.UTC(2024, 0, 1) + k * gapDays * DAY, p, p, p, p, 1]);
  }
  return bars('X', rows, gapDays === 7 ? '1w' : '1d');
}

/** Buy everything at the first close, hold; no costs, fractional units: equity = 10,000 × p / p₀. */
function hold(cols: ReturnType<typeof bars>): Stats {
  const d = doc({ universe: ['X'], initialCash: 10_000, fillModel: 'close', units: 'fractional' }, [
    { id: 'enter', condition: { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }, action: { type: 'buy', amount: { unit: 'all' } } },
  ]);
  return runBacktest(d, { bars: [cols] }).stats;
}

/**
 * Hand formulas for `ups` returns of `up` and `downs` of `down` at P per year (docs/STATISTICS.md):
 * 1 + g = ((1 + up)^ups (1 + down)^downs)^(1/n); annual = (1 + g)^P − 1;
 * σ = √((s² + (1 + g)²)^P − (1 + g)^(2P)); Sortino denominator √(downs · down² / n) · √P.
 */
function byHand(ups: number, up: number, downs: number, down: number, P: number) {
  const n = ups + downs;
  const onePlusG = ((1 + up) ** ups * (1 + down) ** downs) ** (1 / n);
  const mean = (ups * up + downs * down) / n;
  const variance = (ups * (up - mean) ** 2 + downs * (down - mean) ** 2) / (n - 1);
  const annual = onePlusG ** P - 1;
  const vol = Math.sqrt((variance + onePlusG ** 2) ** P - onePlusG ** (2 * P));
  return { annual, vol, sharpe: annual / vol, sortino: annual / (Math.sqrt((downs * down * down) / n) * Math.sqrt(P)) };
}

function near(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/** The run's P, return count and annualised figures against the hand formulas. */
function expectByHand(s: Stats, P: number, n: number, h: ReturnType<typeof byHand>): void {
  expect(s.periodsPerYear).toBe(P);
  expect(s.returnPeriods).toBe(n);
  near(s.annualReturnPct, h.annual * 100);
  near(s.annualVolatilityPct, h.vol * 100, 1e-8);
  near(s.sharpe, h.sharpe, 1e-8);
  near(s.sortino, h.sortino);
}

describe('golden: periods per year from the bars (hand-computed)', () => {
  it('daily bars on every calendar day (weekends trade): P = 365', () => {
    // 120 days from Monday 2024-01-01: 119 returns, 60 of +2 % and 59 of −1 %.
    const s = hold(alternating(120, 1, 0.02, -0.01));
    expectByHand(s, 365, 119, byHand(60, 0.02, 59, -0.01, 365));
    // Total return and buy & hold: 1.02^60 × 0.99^59 − 1 (no indicator: the first bar is tradable).
    near(s.totalReturnPct, (1.02 ** 60 * 0.99 ** 59 - 1) * 100);
    near(s.buyHoldReturnPct, (1.02 ** 60 * 0.99 ** 59 - 1) * 100);
  });

  it('the same returns on weekdays only: P = 252', () => {
    const rows = alternating(170, 1, 0.02, -0.01);
    // Keep Monday–Friday bars (2024-01-01 is a Monday): 170 days hold 122 weekdays → 121 returns.
    const keep = Array.from(rows.time, (t, i) => i).filter((i) => ![0, 6].includes(new Date(rows.time[i]!).getUTCDay()));
    const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
    const weekdays = { ...rows, length: keep.length, time: pick(rows.time), open: pick(rows.open), high: pick(rows.high), low: pick(rows.low), close: pick(rows.close), volume: pick(rows.volume) };
    const s = hold(weekdays);
    expect(s.periodsPerYear).toBe(252);
    expect(s.returnPeriods).toBe(keep.length - 1);
  });

  it('weekly bars: P = 52, one return per bar', () => {
    // 60 weeks: 59 returns, 30 of +3 % and 29 of −1 %.
    expectByHand(hold(alternating(60, 7, 0.03, -0.01)), 52, 59, byHand(30, 0.03, 29, -0.01, 52));
  });

  it('a setting overrides the inferred P', () => {
    const cols = alternating(60, 7, 0.03, -0.01);
    const d = doc({ universe: ['X'], initialCash: 10_000, fillModel: 'close', units: 'fractional', periodsPerYear: 12 }, [
      { id: 'enter', condition: { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }, action: { type: 'buy', amount: { unit: 'all' } } },
    ]);
    const s = runBacktest(d, { bars: [cols] }).stats;
    expect(s.periodsPerYear).toBe(12);
    near(s.annualReturnPct, byHand(30, 0.03, 29, -0.01, 12).annual * 100);
  });

  it('ten weeks are too short to annualise at 52 a year: not available, with the reason', () => {
    const s = hold(alternating(10, 7, 0.03, -0.01));
    expect(s.annualReturnPct).toBeNaN();
    expect(s.sharpe).toBeNaN();
    expect(unavailableReasons(s).sharpe).toBe('too short to annualise: 9 weekly returns, at least 13 needed (25 % of a year at 52 per year)');
  });
});

describe('golden: buy & hold from the first tradable bar', () => {
  it('starts at the close of the bar on which the slowest indicator is first ready', () => {
    // Closes 100, 110, 121, 133.1, 146.41 (+10 % a bar). EMA(3) is first ready on the third bar (121):
    // buy & hold = 146.41 / 121 − 1 = 21 %; over the whole run 146.41 / 100 − 1 = 46.41 %.
    const rows: [number, number, number, number, number, number][] = [100, 110, 121, 133.1, 146.41].map((c, k) => [Date.UTC(2024, 0, 1 + k), c, c, c, c, 1]);
    const d = doc({ universe: ['X'], initialCash: 10_000, fillModel: 'close' }, [
      { id: 'up', condition: { lhs: { kind: 'price', field: 'close' }, op: '>', rhs: ema(3) }, action: { type: 'alert', message: 'above' } },
    ]);
    const s = runBacktest(d, { bars: [bars('X', rows)] }).stats;
    near(s.buyHoldReturnPct, 21, 1e-12);
    near(s.buyHoldWholeReturnPct, 46.41, 1e-12);
  });
});
