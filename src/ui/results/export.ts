import { unavailableReasons, type Curves, type RunResult, type Stats, type StrategyDocument, type Trade } from '../../schema/index.ts';
import { GROUPS } from './stats-groups.ts';

/**
 * Exports of a run: numbers at full precision (not as displayed), times as ISO 8601 UTC, a statistic that is
 * not available as an empty cell with its reason. RFC 4180 CSV: comma-separated, CRLF, quoted when needed.
 */

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
const num = (x: number) => (Number.isFinite(x) ? String(x) : '');

function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const TRADE_COLUMNS = ['symbol', 'side', 'quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice',
  'pnl', 'returnPct', 'fees', 'strategyId', 'exitReason'] as const;

export function tradesCsv(trades: readonly Trade[]): string {
  return toCsv(TRADE_COLUMNS, trades.map((t) => [t.symbol, t.side, num(t.quantity), iso(t.entryTime), num(t.entryPrice),
    iso(t.exitTime), num(t.exitPrice), num(t.pnl), num(t.returnPct), num(t.fees), t.strategyId, t.exitReason ?? 'signal']));
}

/** One row per statistic in the table's order: its key, label, value, and why it is not available. */
export function statsCsv(stats: Stats): string {
  const why = unavailableReasons(stats);
  const rows = GROUPS.flatMap(([group, rows]) => rows.map(([label, key]) => {
    const v = stats[key];
    const value = why[key] !== undefined ? '' : key === 'startTime' || key === 'endTime' ? iso(v) : num(v);
    return [group, key, label, value, why[key] ?? ''];
  }));
  return toCsv(['group', 'key', 'statistic', 'value', 'notAvailable'], rows);
}

/** The sampled equity, drawdown (fraction) and benchmark curves, one row per point. */
export function equityCsv(c: Curves): string {
  const rows: string[][] = [];
  for (let i = 0; i < c.time.length; i++) rows.push([iso(c.time[i]!), num(c.equity[i]!), num(c.drawdown[i]!), num(c.benchmark[i]!)]);
  return toCsv(['time', 'equity', 'drawdown', 'benchmark'], rows);
}

/**
 * What the JSON says when signals come without their condition trees: a pool run (the app's runs) returns
 * results as columns and builds no traces (src/rpc/POOL.md); the run is deterministic, so the document,
 * its parameters and the same data give each tree back by explain (the audit explorer does it per signal).
 */
export const TRACES_OMITTED = 'Signals carry no condition trace (results as columns: traces are not built in the run). ' +
  'The run is deterministic: the audit explorer re-evaluates a signal\'s bar with tracing on (explain) and shows the same tree; ' +
  'from code, explain(document, data, signal.time) or a run with audit on gives every tree.';

/**
 * The document and everything the run produced; typed arrays as plain arrays, NaN as null (JSON's rule).
 * When signals lack their traces, `signalTraces` says so and how to get them.
 */
export function resultJson(result: RunResult, doc: StrategyDocument | null): string {
  const c = result.curves;
  const curves = { time: [...c.time], equity: [...c.equity], drawdown: [...c.drawdown], benchmark: [...c.benchmark] };
  const omitted = result.signals.some((s) => s.trace === undefined);
  return JSON.stringify({ document: doc, ...(omitted ? { signalTraces: TRACES_OMITTED } : {}), result: { ...result, curves } }, null, 2);
}

/** A file name from the document name: "SMA crossover (10/20)" → "sma-crossover-10-20-trades.csv". */
export function exportName(title: string, what: string, ext: string): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'backtest';
  return `${base}-${what}.${ext}`;
}

/** Saves a blob through the browser's download (no server involved). */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
