import type { Stats } from '../../schema/index.ts';
import { formatCount, formatDays, formatMoney, formatPct, formatRatio, formatTime } from './format.ts';

/** The statistics table's groups and rows, in order: label, key, display format. */
export type Row = [label: string, key: keyof Stats, format: (x: number) => string];

export const GROUPS: [string, Row[]][] = [
  ['Period', [
    ['Start', 'startTime', formatTime],
    ['End', 'endTime', formatTime],
    ['Duration', 'durationDays', formatDays],
    ['Exposure', 'exposurePct', formatPct],
  ]],
  ['Equity', [
    ['Initial equity', 'initialEquity', formatMoney],
    ['Final equity', 'finalEquity', formatMoney],
    ['Peak equity', 'peakEquity', formatMoney],
    ['Total return', 'totalReturnPct', formatPct],
    ['Buy & hold return', 'buyHoldReturnPct', formatPct],
    ['Buy & hold, whole period', 'buyHoldWholeReturnPct', formatPct],
  ]],
  ['Risk and return', [
    ['Periods per year', 'periodsPerYear', formatCount],
    ['Annual return', 'annualReturnPct', formatPct],
    ['CAGR', 'cagrPct', formatPct],
    ['Annual volatility', 'annualVolatilityPct', formatPct],
    ['Sharpe ratio', 'sharpe', formatRatio],
    ['Sortino ratio', 'sortino', formatRatio],
    ['Calmar ratio', 'calmar', formatRatio],
    ['Alpha', 'alphaPct', formatPct],
    ['Beta', 'beta', formatRatio],
  ]],
  ['Drawdown', [
    ['Max drawdown', 'maxDrawdownPct', formatPct],
    ['Average drawdown', 'avgDrawdownPct', formatPct],
    ['Max drawdown duration', 'maxDrawdownDays', formatDays],
    ['Average drawdown duration', 'avgDrawdownDays', formatDays],
  ]],
  ['Trade statistics', [
    ['Trades', 'tradeCount', formatCount],
    ['Win rate', 'winRatePct', formatPct],
    ['Best trade', 'bestTradePct', formatPct],
    ['Worst trade', 'worstTradePct', formatPct],
    ['Average trade', 'avgTradePct', formatPct],
    ['Max trade duration', 'maxTradeDays', formatDays],
    ['Average trade duration', 'avgTradeDays', formatDays],
    ['Expectancy', 'expectancyPct', formatPct],
    ['Profit factor', 'profitFactor', formatRatio],
    ['SQN', 'sqn', formatRatio],
    ['Kelly criterion', 'kelly', formatRatio],
  ]],
  ['Costs', [
    ['Fees paid', 'feesPaid', formatMoney],
    ['Turnover', 'turnover', formatRatio],
  ]],
];
