import { unavailableReasons, type Stats } from '../../schema/index.ts';
import { formatCount, formatDays, formatMoney, formatPct, formatRatio, formatTime } from './format.ts';

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

/** A statistic the run cannot support shows "not available" and why (docs/STATISTICS.md). */
export function StatsTable({ stats }: { stats: Stats }) {
  const why = unavailableReasons(stats);
  return (
    <table className="grid stats">
      <caption>Statistics</caption>
      {GROUPS.map(([group, rows]) => (
        <tbody key={group}>
          <tr className="group">
            <th colSpan={2} scope="colgroup">{group}</th>
          </tr>
          {rows.map(([label, key, format]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {why[key] !== undefined
                ? <td className="na">not available<span className="why"> ({why[key]})</span></td>
                : <td className={`n${typeof stats[key] === 'number' && stats[key] < 0 ? ' neg' : ''}`}>{format(stats[key])}</td>}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
