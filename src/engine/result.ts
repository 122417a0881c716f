import type { SignalColumns, Strings, Table } from '../lib/result-table.ts';
import { Zone } from '../lib/zone.ts';
import { SESSION_DATED } from './calendar.ts';
import { exchangeZone, type Curves, type OrderRecord, type RunResult, type Settings, type SignalEvent } from '../schema/index.ts';
import type { Kernel } from './kernel.ts';
import { computeStats, statsOf } from './stats.ts';
import type { SeriesStats } from './series-stats.ts';
import { ENGINE_VERSION } from './version.ts';

/** A run's orders and signals made as columns (RunOptions.columns), and the string table they index. */
export interface LogTables {
  strings: Strings;
  orders: Table;
  signals: SignalColumns;
}

/** What a result is built from: the kernel after a run, or the compiled fast walk's books and logs. */
export type ResultSource = Pick<Kernel, 'recorder' | 'portfolio' | 'settings' | 'tradableFrom' | 'orders' | 'signals' | 'barsSeen' | 'stepIndex' | 'hasActions' | 'corporate'> & {
  /** Curves already sampled while the run went (the compiled walk's CurveSampler); else sampled from the recorder. */
  readonly curves?: Curves | null;
  /** Orders and signals kept as a log's columns (the compiled walk's), made on first read instead of `orders` and `signals`. */
  readonly records?: LogRecords | null;
};

/** What makes a kept log's orders and signals into the results' objects (see lazyProperty). */
export interface LogRecords {
  orders(): OrderRecord[];
  signals(): SignalEvent[];
}

/**
 * Calendar day of a time, for daily returns. Daily and longer bars are stamped at UTC midnight of their
 * session date, so their day is the UTC day (exact, and no time-zone lookup per bar); intraday bars are
 * grouped by the exchange-local date.
 */
export function dayKeyOf(settings: Pick<Settings, 'timeframe' | 'timezone' | 'universe'>): (t: number) => number {
  if (SESSION_DATED.has(settings.timeframe)) return (t) => Math.floor(t / 86_400_000);
  const zone = new Zone(exchangeZone(settings));
  return (t) => Math.floor(zone.toLocal(t) / 86_400_000);
}

/** How curves are sampled: every bar, the last step of each UTC hour, or of each exchange-local day. */
export function samplingMode(settings: Settings): 'bar' | 'hour' | 'day' {
  if (settings.sampling !== 'auto') return settings.sampling;
  return SESSION_DATED.has(settings.timeframe) ? 'bar' : 'hour';
}

/** Sampling bucket of a time (null: every bar is a sample). */
export function bucketOf(settings: Settings): ((t: number) => number) | null {
  const mode = samplingMode(settings);
  if (mode === 'bar') return null;
  if (mode === 'hour') return (t) => Math.floor(t / 3_600_000);
  return dayKeyOf(settings);
}

/** sampleCurves' bucket ends, kept for the next run on this thread. */
let keepScratch = new Int32Array(0);

/**
 * Curves keep the last step of each bucket (and every step when sampling by bar). Drawdown is measured
 * against the running peak over every step, not only the sampled ones, so sampling never hides a trough's
 * depth at the sampled points.
 */
export function sampleCurves(k: Pick<ResultSource, 'recorder' | 'settings'>): Curves {
  const r = k.recorder;
  const n = r.length;
  const bucket = bucketOf(k.settings);
  if (bucket === null) return everyStep(r, k.settings.initialCash);
  // Indices of the last step of each bucket, in an array kept for the next run on this thread: one per step
  // was a fresh 3.75 MiB on W2 (982,800 steps) for ~2,500 days. Entries past the last bucket's are stale and
  // never read (the last step always ends a bucket).
  if (keepScratch.length < n) keepScratch = new Int32Array(n);
  const keep = keepScratch;
  let m = 0;
  let next = n > 0 ? bucket(r.time[0]!) : 0;
  for (let i = 0; i < n; i++) {
    const cur = next;
    if (i + 1 < n) next = bucket(r.time[i + 1]!);
    if (i === n - 1 || cur !== next) keep[m++] = i;
  }
  const time = new Float64Array(m), equity = new Float64Array(m), drawdown = new Float64Array(m), benchmark = new Float64Array(m);
  let firstBench = NaN;
  for (let i = 0; i < n && Number.isNaN(firstBench); i++) if (r.benchmark[i]! > 0) firstBench = r.benchmark[i]!;
  let peak = -Infinity, j = 0;
  for (let i = 0; i < n; i++) {
    const e = r.equity[i]!;
    if (e > peak) peak = e;
    if (keep[j] === i) {
      time[j] = r.time[i]!;
      equity[j] = e;
      drawdown[j] = e / peak - 1;
      benchmark[j] = (r.benchmark[i]! / firstBench) * k.settings.initialCash;
      j++;
    }
  }
  return { time, equity, drawdown, benchmark };
}

/** sampleCurves keeping every step: the columns copy in bulk, only drawdown and the benchmark are computed. */
function everyStep(r: ResultSource['recorder'], initialCash: number): Curves {
  const n = r.length;
  const time = r.time.slice(0, n), equity = r.equity.slice(0, n), drawdown = new Float64Array(n), benchmark = new Float64Array(n);
  let firstBench = NaN;
  for (let i = 0; i < n && Number.isNaN(firstBench); i++) if (r.benchmark[i]! > 0) firstBench = r.benchmark[i]!;
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    drawdown[i] = e / peak - 1;
    benchmark[i] = (r.benchmark[i]! / firstBench) * initialCash;
  }
  return { time, equity, drawdown, benchmark };
}

const NO_CURVES: Curves = { time: new Float64Array(0), equity: new Float64Array(0), drawdown: new Float64Array(0), benchmark: new Float64Array(0) };

/**
 * `days`: the day key of each recorded step when the caller has them (the fast path's per-data-set day
 * index). `series`: the step series already folded while the run went (the compiled walk's stats-only
 * runs); then the recorder is not read for statistics. `release`: the run is over and its portfolio is
 * dropped after this: a full result keeps the trade log and makes its trades from it on first read; a
 * stats-only one keeps a detached copy (made into objects on first read) and the log's columns go back to
 * the thread's pool (TradeLog.release); a result with columns copies them out first.
 * `keepTrades` false (stats only, RunOptions.trades): the result's trades stay empty and nothing is copied.
 */
export function buildResult(
  k: ResultSource, warnings: string[], statsOnly = false, days?: Float64Array, series?: SeriesStats, release = false, keepTrades = true,
  tables: LogTables | null = null,
): RunResult {
  const r = k.recorder;
  const p = k.portfolio;
  const totals = {
    trades: p.tradeLog,
    initialEquity: k.settings.initialCash,
    feesPaid: p.feesPaid,
    tradedNotional: p.tradedNotional,
    riskFreeRate: k.settings.riskFreeRate,
    periodsPerYear: k.settings.periodsPerYear,
  };
  const stats = series ? statsOf(series, totals) : computeStats({
    ...totals,
    time: r.time,
    equity: r.equity,
    length: r.length,
    benchmark: r.benchmark,
    exposed: r.exposed,
    dayKey: dayKeyOf(k.settings),
    days,
    // Buy & hold from the first tradable bar; an indicator that never got a value leaves none (NaN, with why).
    // The compiled walk's folding series applies the same rule (fast/walk.ts).
    tradableFrom: Number.isNaN(k.tradableFrom) ? Infinity : k.tradableFrom,
  });
  const result: RunResult = {
    engineVersion: ENGINE_VERSION,
    stats,
    curves: statsOnly ? { ...NO_CURVES } : k.curves ?? sampleCurves(k),
    trades: statsOnly || tables !== null || release ? [] : p.trades,
    orders: k.orders,
    signals: k.signals,
    barCount: k.barsSeen,
    eventCount: k.stepIndex + 1,
    warnings,
    ...(k.hasActions ? { corporateActions: k.corporate } : {}),
  };
  if (tables !== null) result.columns = { strings: tables.strings.list, trades: p.tradeLog.toTable(tables.strings), orders: tables.orders, signals: tables.signals };
  if (statsOnly && keepTrades) lazyProperty(result, 'trades', release ? p.tradeLog.detached() : p.tradeLog);
  // A finished full run's trades are made from its log on first read, so the log stays with the result;
  // any other finished run's log goes back to the thread's pool.
  if (release && !statsOnly && tables === null) lazyProperty(result, 'trades', p.tradeLog);
  else if (release) p.tradeLog.release();
  const records = k.records;
  if (records) {
    lazyProperty(result, 'orders', { toObjects: () => records.orders() });
    lazyProperty(result, 'signals', { toObjects: () => records.signals() });
  }
  return result;
}

/**
 * A finished run keeps its trades (and the compiled walk its orders and signals) as columns: a 20k-trade
 * sweep candidate whose statistics are all the optimizer reads makes no trade object, and W2's ~100k orders
 * and signals were objects that every collection then copied (in Node the run's last ~150 ms were spent
 * making and collecting them). `key` is still an ordinary enumerable property to every reader (spread,
 * JSON, structured clone, deep equality): made from the columns on first read, then kept.
 */
function lazyProperty<K extends 'trades' | 'orders' | 'signals'>(result: RunResult, key: K, source: { toObjects(): RunResult[K] }): void {
  Object.defineProperty(result, key, {
    enumerable: true,
    configurable: true,
    get(): RunResult[K] {
      const value = source.toObjects();
      Object.defineProperty(result, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value: RunResult[K]): void {
      Object.defineProperty(result, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}
