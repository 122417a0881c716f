import { unavailableReasons, type CorporateActionEvent, type RunResult, type Stats } from '../schema/index.ts';

const TIME_KEYS = new Set(['startTime', 'endTime', 'entryTime', 'exitTime', 'createdTime', 'fillTime', 'time']);

/** JSON with every time as an ISO-8601 UTC string and NaN/Infinity as null (JSON has neither). */
export function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Float64Array) return Array.from(value, (x) => (Number.isFinite(x) ? x : null));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = TIME_KEYS.has(k) && typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : toJson(v);
  }
  return out;
}

const LABELS: [keyof Stats, string, 'time' | 'money' | 'pct' | 'ratio' | 'days' | 'count'][] = [
  ['startTime', 'Start', 'time'], ['endTime', 'End', 'time'], ['durationDays', 'Duration [days]', 'days'],
  ['exposurePct', 'Exposure [%]', 'pct'], ['finalEquity', 'Equity final', 'money'], ['peakEquity', 'Equity peak', 'money'],
  ['totalReturnPct', 'Return [%]', 'pct'], ['buyHoldReturnPct', 'Buy & hold return [%]', 'pct'],
  ['buyHoldWholeReturnPct', 'Buy & hold, whole period [%]', 'pct'], ['periodsPerYear', 'Periods per year', 'count'],
  ['annualReturnPct', 'Return (ann.) [%]', 'pct'], ['annualVolatilityPct', 'Volatility (ann.) [%]', 'pct'], ['cagrPct', 'CAGR [%]', 'pct'],
  ['sharpe', 'Sharpe ratio', 'ratio'], ['sortino', 'Sortino ratio', 'ratio'], ['calmar', 'Calmar ratio', 'ratio'],
  ['alphaPct', 'Alpha [%]', 'pct'], ['beta', 'Beta', 'ratio'],
  ['maxDrawdownPct', 'Max. drawdown [%]', 'pct'], ['avgDrawdownPct', 'Avg. drawdown [%]', 'pct'],
  ['maxDrawdownDays', 'Max. drawdown duration [days]', 'days'], ['avgDrawdownDays', 'Avg. drawdown duration [days]', 'days'],
  ['tradeCount', '# Trades', 'count'], ['winRatePct', 'Win rate [%]', 'pct'], ['bestTradePct', 'Best trade [%]', 'pct'],
  ['worstTradePct', 'Worst trade [%]', 'pct'], ['avgTradePct', 'Avg. trade [%]', 'pct'], ['maxTradeDays', 'Max. trade duration [days]', 'days'],
  ['avgTradeDays', 'Avg. trade duration [days]', 'days'], ['profitFactor', 'Profit factor', 'ratio'], ['expectancyPct', 'Expectancy [%]', 'pct'],
  ['sqn', 'SQN', 'ratio'], ['kelly', 'Kelly criterion', 'ratio'], ['feesPaid', 'Fees paid', 'money'], ['turnover', 'Turnover [× equity]', 'ratio'],
];

function fmt(v: number, kind: (typeof LABELS)[number][2]): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '−∞';
  switch (kind) {
    case 'time': return new Date(v).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
    case 'money': return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'pct': return v.toFixed(2);
    case 'ratio': return v.toFixed(3);
    case 'days': return v.toFixed(v % 1 === 0 ? 0 : 1);
    case 'count': return String(v);
  }
}

/** The human table: a statistic that is not available says why ("n/a: too short to annualise: …"). */
export function statsTable(stats: Stats): string {
  const width = Math.max(...LABELS.map(([, l]) => l.length));
  const why = unavailableReasons(stats);
  return LABELS.map(([k, label, kind]) => `${label.padEnd(width)}  ${fmt(stats[k], kind)}${why[k] ? `: ${why[k]}` : ''}`).join('\n');
}

/** What `backtest --json` prints: statistics (each null one with its reason), trades, counts and warnings. */
export function resultJson(r: RunResult): Record<string, unknown> {
  return {
    stats: toJson(r.stats),
    statsUnavailable: unavailableReasons(r.stats),
    trades: toJson(r.trades),
    barCount: r.barCount,
    eventCount: r.eventCount,
    engineVersion: r.engineVersion,
    warnings: r.warnings,
    ...(r.corporateActions ? { corporateActions: r.corporateActions } : {}),
  };
}

export function humanReport(r: RunResult): string {
  const lines = [statsTable(r.stats), '', `${r.trades.length} trades, ${r.orders.length} orders (${r.orders.filter((o) => o.status === 'rejected').length} rejected), ${r.barCount} bars read`];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const e of r.corporateActions ?? []) lines.push(`corporate action: ${actionSentence(e)}`);
  return lines.join('\n');
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4).replace(/0+$/, ''));

/** "2020-08-31 AAPL split 4 (ex 2020-08-31): position 10 → 40, average price 400 → 100, cash +0.00, 1 open order adjusted". */
export function actionSentence(e: CorporateActionEvent): string {
  const ex = new Date(e.exDate).toISOString().slice(0, 10);
  const at = new Date(e.time).toISOString().slice(0, 10);
  const pos = e.quantityBefore === e.quantityAfter ? `position ${num(e.quantityBefore)}` : `position ${num(e.quantityBefore)} → ${num(e.quantityAfter)}, average price ${num(e.avgPriceBefore)} → ${num(e.avgPriceAfter)}`;
  return `${at} ${e.symbol} ${e.type} ${num(e.value)}${at === ex ? '' : ` (ex-date ${ex})`}: ${pos}, cash ${e.cash >= 0 ? '+' : ''}${e.cash.toFixed(2)}${e.ordersAdjusted ? `, ${e.ordersAdjusted} open order(s) adjusted` : ''}`;
}
