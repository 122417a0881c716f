import type { Stats } from '../../schema/index.ts';

/**
 * What each statistic measures, in a trader's words (the tooltip beside its row). The formula is in
 * docs/STATISTICS.md, which the tooltip links at the statistic's own anchor (#/docs/statistics/<key>).
 */
export const STAT_HELP: Partial<Record<keyof Stats, string>> = {
  startTime: 'First step of the run (UTC).',
  endTime: 'Last step of the run (UTC).',
  durationDays: 'Calendar time from the first to the last step, in days.',
  exposurePct: 'Share of the steps at whose close a position was held.',
  initialEquity: 'Starting cash.',
  finalEquity: 'Equity at the last close: cash plus positions at market.',
  peakEquity: 'Highest equity marked at any close.',
  totalReturnPct: 'Final equity against the starting cash, fees and slippage included.',
  buyHoldReturnPct: 'Return of holding the benchmark from the first tradable bar (indicators warm) to the end.',
  buyHoldWholeReturnPct: 'Return of holding the benchmark over the whole period, warm-up included.',
  periodsPerYear: 'Return periods per year used to annualise: 252 or 365 for daily and intraday data, 52, 12 or 1 for coarser bars.',
  annualReturnPct: 'Geometric mean daily return compounded over a year.',
  cagrPct: 'Compound annual growth rate over calendar time (365.25-day years).',
  annualVolatilityPct: 'Standard deviation of the daily returns, annualised: how much the equity swings.',
  sharpe: 'Annual return in excess of the risk-free rate per unit of annual volatility: return per unit of risk.',
  sortino: 'Like Sharpe, but only losing periods count as risk (downside deviation).',
  calmar: 'Annual return divided by the maximum drawdown: return per unit of worst loss.',
  alphaPct: 'Return not explained by the benchmark after adjusting for beta (Jensen\'s alpha over the whole period).',
  beta: 'Sensitivity of daily equity returns to the benchmark\'s: 1 moves with it, 0 unrelated.',
  maxDrawdownPct: 'Largest fall of equity from a previous peak.',
  avgDrawdownPct: 'Mean depth of the drawdown periods.',
  maxDrawdownDays: 'Longest time from a peak until equity was back at it (or the end).',
  avgDrawdownDays: 'Mean length of the drawdown periods.',
  tradeCount: 'Closed round trips.',
  winRatePct: 'Share of trades with a positive net profit.',
  bestTradePct: 'Highest return of one trade.',
  worstTradePct: 'Lowest return of one trade.',
  avgTradePct: 'Geometric mean return per trade.',
  maxTradeDays: 'Longest time a trade was open.',
  avgTradeDays: 'Mean time a trade was open.',
  expectancyPct: 'Arithmetic mean return per trade: what one trade earns on average.',
  profitFactor: 'Sum of winning trade returns divided by the sum of losing ones: above 1 the winners outweigh the losers.',
  sqn: 'System Quality Number: √trades × mean profit ÷ its standard deviation (Van Tharp).',
  kelly: 'Kelly criterion: the fraction of capital the win rate and win/loss ratio would justify risking.',
  feesPaid: 'Total commissions and fees paid.',
  turnover: 'Traded notional divided by mean equity: how many times the capital was traded.',
};
