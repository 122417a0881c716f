/**
 * Run statistics: every formula lives here or, for the step series (drawdowns, day-end returns, beta's
 * co-moment), in series-stats.ts; docs/STATISTICS.md states the same definitions in prose.
 *
 * Definitions follow backtesting.py's `compute_stats` so numbers are comparable with the tool most users
 * know; DESIGN.md ("Statistics") wins where the two differ, and each deliberate difference is marked
 * "≠ backtesting.py" below and listed in the doc.
 *
 * Cost model: one pass over the step arrays and one over the trades, no allocation per step. The W1 budget
 * (a whole 3,780-bar backtest in ≤ 1 ms) and W2 (~1 M steps) leave no room for per-day arrays, so every
 * series statistic is an accumulator: day-end returns are folded into sums and a Welford variance the moment
 * a day closes, drawdown periods are closed as soon as equity regains its peak, and the equity/benchmark
 * co-moment behind beta is folded at the same day closes (one logarithm pair per day, not per step).
 */
import type { Stats, Trade } from '../schema/results.ts';
import { MIN_YEAR_FRACTION, minReturnsFor } from '../schema/stat-reasons.ts';
import { DAY_MS } from '../lib/civil.ts';
import { ratio, SeriesStats } from './series-stats.ts';
import { tradeColumns, type TradeColumnsView } from './trade-log.ts';

export interface StatsInput {
  /** Equity marked at each bar's close, one entry per timeline step (not sampled); only [0, length) valid. */
  time: Float64Array;
  equity: Float64Array;
  length: number;
  /** Benchmark price (e.g. the benchmark asset's close, as-of) aligned to `time`; NaN before its first bar. */
  benchmark: Float64Array | null;
  /** 1 where the portfolio held any position at that step's close, else 0. */
  exposed: Uint8Array;
  /** Trade objects, or the run's trade columns (the engine's TradeLog: no object per trade). */
  trades: readonly Trade[] | TradeColumnsView;
  initialEquity: number;
  feesPaid: number;
  /** Sum of |fill notional| over all fills. */
  tradedNotional: number;
  /** Annual, as a fraction (0.02 = 2 %); 0 by default. */
  riskFreeRate: number;
  /** Maps a time to its calendar-day key in the exchange time zone (injected so stats stay tz-correct without Intl in the hot path). */
  dayKey: (time: number) => number;
  /** dayKey of each recorded step, precomputed (the fast path's per-data-set day index); else dayKey is called per step. */
  days?: Float64Array;
  /** Periods per year from the settings; absent (or undefined) ⇒ inferred from the step times. */
  periodsPerYear?: number | undefined;
  /**
   * Time of the first bar the strategy could trade (after warm-up, the kernel's tradableFrom); buy & hold runs
   * from the benchmark's price at the first step at or after it. Absent ⇒ the first step.
   */
  tradableFrom?: number;
}

/** Periods per year of exchange-traded days (no weekend sessions). */
export const TRADING_DAYS_PER_YEAR = 252;
/** Periods per year of days when the data trade on weekends (crypto). */
export const CALENDAR_DAYS_PER_YEAR = 365;
/** Calendar year for CAGR and durations: DESIGN.md's "days / 365.25". */
export const DAYS_PER_YEAR = 365.25;


/**
 * P, the periods per year, from the data (DESIGN.md "Statistics"): the most common gap between steps
 * decides weekly (52), monthly (12) or yearly (1) bars — one return per bar, since each such bar closes its
 * own day; otherwise returns are daily and P is 365 when weekend days make up more than 0.6 × 2/7 of the
 * days (the asset trades on weekends, as backtesting.py decides it), else 252. Ties go to the finer class,
 * so two daily bars around a weekend stay daily.
 */
export function periodsPerYearOf(gaps: Int32Array, days: number, weekendDays: number): number {
  let best = 0;
  for (let c = 1; c < 4; c++) if (gaps[c]! > gaps[best]!) best = c;
  if (best === 1) return 52;
  if (best === 2) return 12;
  if (best === 3) return 1;
  return days > 0 && weekendDays / days > (0.6 * 2) / 7 ? CALENDAR_DAYS_PER_YEAR : TRADING_DAYS_PER_YEAR;
}

/** Trade-list part of the statistics. */
interface TradePass {
  n: number;
  wins: number;
  winPnlSum: number;
  losses: number;
  lossPnlSum: number;
  pnlMean: number;
  pnlStd: number;
  best: number;
  worst: number;
  retSum: number;
  posRetSum: number;
  negRetSum: number;
  sumLog1p: number;
  anyRuin: boolean;
  maxDays: number;
  daysSum: number;
}

function tradePass(trades: TradeColumnsView): TradePass {
  const n = trades.length;
  const pnls = trades.pnl, rets = trades.returnPct, entries = trades.entryTime, exits = trades.exitTime;
  let wins = 0, winPnlSum = 0, losses = 0, lossPnlSum = 0;
  let pMean = 0, pM2 = 0;
  let best = -Infinity, worst = Infinity;
  let retSum = 0, posRetSum = 0, negRetSum = 0, sumLog1p = 0, anyRuin = false;
  let maxDays = -Infinity, daysSum = 0;
  for (let i = 0; i < n; i++) {
    const pnl = pnls[i]!;
    // Win/loss by pnl (net of fees), as backtesting.py's `pl > 0`; a zero-pnl trade is neither.
    if (pnl > 0) {
      wins++;
      winPnlSum += pnl;
    } else if (pnl < 0) {
      losses++;
      lossPnlSum += pnl;
    }
    const d = pnl - pMean;
    pMean += d / (i + 1);
    pM2 += d * (pnl - pMean);

    const returnPct = rets[i]!;
    const r = returnPct / 100;
    if (returnPct > best) best = returnPct;
    if (returnPct < worst) worst = returnPct;
    retSum += r;
    if (r > 0) posRetSum += r;
    else if (r < 0) negRetSum += r;
    if (1 + r > 0) sumLog1p += Math.log1p(r);
    else anyRuin = true;

    const days = (exits[i]! - entries[i]!) / DAY_MS;
    if (days > maxDays) maxDays = days;
    daysSum += days;
  }
  return {
    n, wins, winPnlSum, losses, lossPnlSum,
    pnlMean: n > 0 ? pMean : NaN,
    pnlStd: n > 1 ? Math.sqrt(pM2 / (n - 1)) : NaN,
    best: n > 0 ? best : NaN,
    worst: n > 0 ? worst : NaN,
    retSum, posRetSum, negRetSum, sumLog1p, anyRuin,
    maxDays: n > 0 ? maxDays : NaN,
    daysSum,
  };
}

/**
 * Geometric mean return from Σ log(1 + r) over n returns. backtesting.py's convention: a return of −100 %
 * or worse (1 + r ≤ 0) has no logarithm, and the mean is then reported as 0 rather than NaN.
 */
function geometricMean(sumLog1p: number, anyRuin: boolean, n: number): number {
  if (n === 0) return NaN;
  return anyRuin ? 0 : Math.expm1(sumLog1p / n);
}

/** Annual volatility (as a fraction) below which it counts as zero: 1e-9 = 0.0000001 %. */
export const MIN_ANNUAL_VOL = 1e-9;

export function computeStats(inp: StatsInput): Stats {
  const n = Math.max(0, Math.min(inp.length, inp.time.length, inp.equity.length));
  const series = new SeriesStats(inp.benchmark !== null, inp.tradableFrom ?? -Infinity, inp.dayKey);
  series.add(inp.time, inp.equity, inp.exposed, inp.benchmark, inp.days, n);
  series.close();
  return statsOf(series, inp);
}

/** What the statistics read besides the step series: the trades and the run's totals and settings. */
export type StatsTotals = Pick<StatsInput, 'trades' | 'initialEquity' | 'feesPaid' | 'tradedNotional' | 'riskFreeRate' | 'periodsPerYear'>;

/** The statistics from a folded (and closed) step series and the run's trades and totals. */
export function statsOf(s: SeriesStats, inp: StatsTotals): Stats {
  const n = s.count;
  const rf = inp.riskFreeRate;
  const tr = tradePass(Array.isArray(inp.trades) ? tradeColumns(inp.trades as readonly Trade[]) : inp.trades as TradeColumnsView);

  // Trades.
  const winRate = tr.n > 0 ? tr.wins / tr.n : NaN;
  // Kelly = W − (1 − W) / R, R = mean winning pnl / |mean losing pnl| (backtesting.py); NaN without both.
  const winLoss = (tr.winPnlSum / tr.wins) / (-tr.lossPnlSum / tr.losses);
  const kelly = winRate - (1 - winRate) / winLoss;
  // SQN (Van Tharp) = √n × mean(pnl) / std(pnl), ddof 1.
  const sqn = ratio(Math.sqrt(tr.n) * tr.pnlMean, tr.pnlStd);
  const tradeStats = {
    tradeCount: tr.n,
    winRatePct: winRate * 100,
    bestTradePct: tr.best,
    worstTradePct: tr.worst,
    // Average trade is geometric (compounding), expectancy arithmetic: both as in backtesting.py.
    avgTradePct: geometricMean(tr.sumLog1p, tr.anyRuin, tr.n) * 100,
    maxTradeDays: tr.maxDays,
    avgTradeDays: tr.n > 0 ? tr.daysSum / tr.n : NaN,
    expectancyPct: tr.n > 0 ? (tr.retSum / tr.n) * 100 : NaN,
    // Profit factor on trade returns, not pnl, as backtesting.py does (size-neutral).
    profitFactor: tr.n > 0 ? ratio(tr.posRetSum, -tr.negRetSum) : NaN,
    sqn,
    kelly,
  };

  if (n === 0) {
    return {
      startTime: NaN, endTime: NaN, durationDays: NaN, initialEquity: inp.initialEquity,
      finalEquity: NaN, peakEquity: NaN, totalReturnPct: NaN, buyHoldReturnPct: NaN,
      buyHoldWholeReturnPct: NaN, periodsPerYear: inp.periodsPerYear ?? NaN, returnPeriods: 0,
      annualReturnPct: NaN, annualVolatilityPct: NaN, cagrPct: NaN, sharpe: NaN, sortino: NaN, calmar: NaN,
      maxDrawdownPct: NaN, avgDrawdownPct: NaN, maxDrawdownDays: NaN, avgDrawdownDays: NaN, exposurePct: NaN,
      ...tradeStats,
      feesPaid: inp.feesPaid, turnover: NaN, alphaPct: NaN, beta: NaN,
    };
  }

  const bp = s.buyHold;
  const startTime = s.firstTime;
  const endTime = s.lastTime;
  const durationDays = (endTime - startTime) / DAY_MS;
  const finalEquity = s.lastEquity;

  // Total return against the cash the user started with. ≠ backtesting.py, which divides by equity[0]: here
  // equity[0] is already marked at the first close, after any fill (and fee) the close fill model made there.
  const totalReturn = finalEquity / inp.initialEquity - 1;
  // CAGR over calendar time (DESIGN.md: days / 365.25). ≠ backtesting.py, which divides calendar days by its
  // trading-days factor.
  const cagr = durationDays >= DAYS_PER_YEAR * MIN_YEAR_FRACTION ? Math.pow(finalEquity / inp.initialEquity, DAYS_PER_YEAR / durationDays) - 1 : NaN;
  // Buy & hold from the first bar the strategy could trade (after warm-up), as backtesting.py since its
  // issue 327; ≠ backtesting.py in reading the benchmark's price, which may start later than the run.
  const buyHold = bp.buyHold;

  // P: from the settings, or inferred from the steps. Annualised figures need enough returns.
  const P = inp.periodsPerYear ?? periodsPerYearOf(s.gaps, s.daily.days, s.daily.weekendDays);
  const enough = s.daily.n >= minReturnsFor(P);

  // g: geometric mean daily return. ≠ backtesting.py, whose geometric_mean fills the first day's NaN with 0
  // and so divides Σ log(1+r) by the number of days instead of the number of returns; we average the returns
  // that exist, so a constant daily return r gives g = r exactly.
  const g = geometricMean(s.daily.sumLog1p, s.daily.anyRuin, s.daily.n);
  const annualReturn = enough ? Math.pow(1 + g, P) - 1 : NaN;
  // Annual volatility of compounded returns (backtesting.py, after SSRN 3054517):
  //   σ_a = √((var + (1+g)²)^P − (1+g)^(2·P)).
  // Evaluated as (1+g)^P · √(expm1(P · log1p(var / (1+g)²))), the same quantity factored so that the
  // difference of two nearly equal powers never cancels: var = 0 gives exactly 0 (Sharpe NaN) instead of
  // ±rounding noise, and small variances keep full relative precision.
  const a = 1 + g;
  const annualVol = enough ? Math.pow(a, P) * Math.sqrt(Math.expm1(P * Math.log1p(s.daily.variance() / (a * a)))) : NaN;
  // Sharpe and Sortino in fractions on both sides. ≠ backtesting.py, whose Sharpe subtracts the fractional
  // rate from a percentage return (a unit slip); with rf = 0 the two agree.
  // A strategy that compounds to nothing within a year ((1+g)^P ≈ 0) has an annual volatility that
  // collapses to ~1e-18 by this formula; dividing by it gave Sharpe ≈ −4e17 on a month of minute bars.
  // Below MIN_ANNUAL_VOL the volatility is numerically zero and the ratio is undefined, like var = 0.
  const sharpe = annualVol < MIN_ANNUAL_VOL ? NaN : ratio(annualReturn - rf, annualVol);
  // Sortino's downside deviation: √(mean(min(r, 0)²)) over all period returns, annualised by √P.
  const downside = s.daily.n > 0 ? Math.sqrt(s.daily.sumDown2 / s.daily.n) * Math.sqrt(P) : NaN;
  const sortino = ratio(annualReturn - rf, downside);
  const calmar = ratio(annualReturn, s.maxDd);

  // Jensen's alpha as backtesting.py defines it: whole-period returns, the annual rate applied once.
  const alpha = totalReturn - rf - s.beta * (buyHold - rf);

  return {
    startTime,
    endTime,
    durationDays,
    initialEquity: inp.initialEquity,
    finalEquity,
    peakEquity: s.peak,
    totalReturnPct: totalReturn * 100,
    buyHoldReturnPct: buyHold * 100,
    buyHoldWholeReturnPct: bp.buyHoldWhole * 100,
    periodsPerYear: P,
    returnPeriods: s.daily.n,
    annualReturnPct: annualReturn * 100,
    annualVolatilityPct: annualVol * 100,
    cagrPct: cagr * 100,
    sharpe,
    sortino,
    calmar,
    // Printed negative, as backtesting.py does (−47.98); `0 - x` keeps a flat curve at +0, not −0.
    maxDrawdownPct: 0 - s.maxDd * 100,
    avgDrawdownPct: s.dd.count > 0 ? -(s.dd.depthSum / s.dd.count) * 100 : NaN,
    maxDrawdownDays: s.dd.count > 0 ? s.dd.daysMax : NaN,
    avgDrawdownDays: s.dd.count > 0 ? s.dd.daysSum / s.dd.count : NaN,
    exposurePct: (s.exposedSteps / n) * 100,
    ...tradeStats,
    feesPaid: inp.feesPaid,
    // Turnover: traded notional over the mean day-end equity, i.e. how many times the average capital was
    // traded over the whole run (not annualised; one round trip of the full equity ≈ 2). Day-end marks, not
    // every bar's, so the figure does not depend on the bar size (and the statistics need no per-bar sum).
    turnover: ratio(inp.tradedNotional, s.daySum / s.daily.days),
    alphaPct: alpha * 100,
    beta: s.beta,
  };
}
