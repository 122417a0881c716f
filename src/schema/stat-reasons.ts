/**
 * Why a statistic is not available. A figure the sample cannot support is NaN in `Stats` (JSON null);
 * every place that shows statistics (CLI, JSON, app) says why from the statistics themselves, so old run
 * records and optimizer rows explain themselves too. Definitions: docs/STATISTICS.md.
 */
import type { Stats } from './results.ts';

/**
 * Annualised figures need returns covering at least this fraction of a year (and at least two returns):
 * below it, compounding the mean period return P times extrapolates a few observations into a year — a
 * month of minute bars that lost 3 % a day printed an annual return of −100 % and a volatility of 0.00 %.
 * CAGR needs the run to span the same fraction of a calendar year.
 */
export const MIN_YEAR_FRACTION = 0.25;

/** Fewest period returns an annualised figure needs at P periods per year. */
export function minReturnsFor(periodsPerYear: number): number {
  return Math.max(2, Math.ceil(periodsPerYear * MIN_YEAR_FRACTION));
}

export type StatKey = keyof Stats;

/** What one period return spans, for messages: "daily" at 252 or 365 per year, else by P. */
export function periodName(p: number): string {
  return p === 252 || p === 365 ? 'daily' : p === 52 ? 'weekly' : p === 12 ? 'monthly' : p === 1 ? 'yearly' : 'period';
}

const TRADE_KEYS: readonly StatKey[] = ['winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct', 'maxTradeDays',
  'avgTradeDays', 'expectancyPct', 'profitFactor', 'sqn', 'kelly'];
const ANNUAL_KEYS: readonly StatKey[] = ['annualReturnPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar'];
const DRAWDOWN_KEYS: readonly StatKey[] = ['avgDrawdownPct', 'maxDrawdownDays', 'avgDrawdownDays'];

/** For every statistic that is NaN, the reason it is not available. Finite statistics have no entry. */
export function unavailableReasons(s: Stats): Partial<Record<StatKey, string>> {
  const out: Partial<Record<StatKey, string>> = {};
  const missing = (k: StatKey) => Number.isNaN(s[k]);
  if (Number.isNaN(s.endTime)) {
    for (const k of Object.keys(s) as StatKey[]) if (missing(k)) out[k] = 'no bars in the run';
    return out;
  }
  const p = s.periodsPerYear;
  const need = minReturnsFor(p);
  const name = periodName(p);
  const short = s.returnPeriods < need;
  for (const k of ANNUAL_KEYS) {
    if (!missing(k)) continue;
    if (short) {
      out[k] = `too short to annualise: ${s.returnPeriods} ${name} return${s.returnPeriods === 1 ? '' : 's'}, ` +
        `at least ${need} needed (${MIN_YEAR_FRACTION * 100} % of a year at ${p} per year)`;
    } else if (k === 'sharpe' || k === 'annualVolatilityPct') out[k] = 'the returns have no (or numerically zero) volatility';
    else if (k === 'sortino') out[k] = `no losing ${name} return`;
    else if (k === 'calmar') out[k] = 'no drawdown';
  }
  if (missing('cagrPct')) out.cagrPct = `too short to annualise: the run spans ${s.durationDays.toFixed(1)} days, at least ${(365.25 * MIN_YEAR_FRACTION).toFixed(1)} needed`;
  for (const k of DRAWDOWN_KEYS) if (missing(k)) out[k] = 'no drawdown';
  if (missing('buyHoldReturnPct')) out.buyHoldReturnPct = 'no benchmark price on or after the first tradable bar';
  if (missing('buyHoldWholeReturnPct')) out.buyHoldWholeReturnPct = 'no benchmark price in the run';
  if (missing('beta')) out.beta = Number.isNaN(s.buyHoldWholeReturnPct) ? 'no benchmark' : 'fewer than two steps with both a benchmark and an equity return, or a flat benchmark';
  if (missing('alphaPct')) out.alphaPct = out.beta ? `needs beta: ${out.beta}` : 'needs a buy & hold return';
  for (const k of TRADE_KEYS) {
    if (!missing(k)) continue;
    if (s.tradeCount === 0) out[k] = 'no closed trades';
    else if (k === 'profitFactor') out[k] = 'no losing trade';
    else if (k === 'kelly') out[k] = 'needs both a winning and a losing trade';
    else if (k === 'sqn') out[k] = s.tradeCount < 2 ? 'needs at least 2 trades' : 'every trade has the same pnl';
    else out[k] = 'a trade lost 100 % or more';
  }
  for (const k of Object.keys(s) as StatKey[]) if (missing(k) && out[k] === undefined) out[k] = 'undefined for this run';
  return out;
}
