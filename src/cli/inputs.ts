/**
 * What `backtest`, `optimize` and `live` share: read the strategy document, load bar and series files,
 * apply the data and cost flags on top of the document's settings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { allocBars, BAR_COLUMNS, sliceBars, symbolFromFileName } from '../data/index.ts';
import { ActionsImportError, describeProblems, MAX_ACTIONS_BYTES, parseActions, summarizeActions } from '../data/csv/actions.ts';
import { loadCsvFile, loadEmbeddedSeries, loadSeriesFile } from '../data/node/index.ts';
import { formatDuration, parseDuration } from '../lib/duration.ts';
import { finerRange, finerTimeframe, parseDocument, wantsFinerData, type BarColumns, type CorporateAction, type StepSeries, type StrategyDocument } from '../schema/index.ts';
import { rebindSymbol } from '../strategy/index.ts';
import { UsageError } from './args.ts';

export const DATA_FLAGS = {
  strategy: 'string',
  data: 'string',
  series: 'string',
  'series-lag': 'string',
  actions: 'string',
  symbol: 'string',
  cash: 'number',
  commission: 'number',
  'slippage-bps': 'number',
  fill: 'string',
  'whole-units': 'boolean',
  fractional: 'boolean',
  from: 'string',
  to: 'string',
  strict: 'boolean',
  json: 'boolean',
} as const;

export interface DataFlags {
  strategy?: string;
  data?: string;
  series?: string;
  'series-lag'?: string;
  actions?: string;
  symbol?: string;
  cash?: number;
  commission?: number;
  'slippage-bps'?: number;
  fill?: string;
  'whole-units'?: boolean;
  fractional?: boolean;
  from?: string;
  to?: string;
  strict?: boolean;
}

/** A strategy document is a few kilobytes; anything this large is the wrong file, refused before reading. */
export const MAX_DOCUMENT_BYTES = 1 << 20;

/** Reads a JSON or YAML document file (by extension) into plain data; throws a one-line UsageError. */
export function readDocumentData(file: string): unknown {
  let text: string;
  try {
    const { size } = statSync(file);
    if (size > MAX_DOCUMENT_BYTES) throw new UsageError(`${file}: ${size} bytes is too large for a strategy document (limit ${MAX_DOCUMENT_BYTES})`);
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON or YAML text.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read strategy ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

export function readDocument(file: string): StrategyDocument {
  const r = parseDocument(readDocumentData(file));
  if (!r.ok) throw new UsageError(`${file}: invalid strategy: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.doc;
}

/** One file, or the files of a directory whose names match `ext` (sorted); a usage error names what is wrong. */
function filesAt(path: string, what: string, ext: RegExp, kinds: string): { files: string[]; isDir: boolean } {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!isDir) return { files: [path], isDir };
  const files = readdirSync(path).filter((f) => ext.test(f)).sort().map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(`no ${kinds} files in ${path}`);
  return { files, isDir };
}

/** Loads one bar file, or every .csv/.json file of a directory (one symbol per file, named by the file). */
export async function loadBars(path: string, flags: DataFlags, warn: (line: string) => void): Promise<BarColumns[]> {
  const { files, isDir } = filesAt(path, 'data', /\.(csv|json)$/i, '.csv or .json');
  const out: BarColumns[] = [];
  for (const file of files) {
    const symbol = !isDir && flags.symbol ? flags.symbol : symbolFromFileName(basename(file));
    const { bars, report } = await loadCsvFile(file, { symbol, maxRejectedSamples: 1_000_000 }).catch((e: Error) => {
      throw new UsageError(`${file}: ${e.message}`);
    });
    for (const r of report.rejected) warn(`${file}:${r.line}: rejected (${r.reason}${r.field ? ` in ${r.field}` : ''}): ${r.text}`);
    if (report.rowsRejected > 0 && flags.strict) {
      throw new UsageError(`${file}: ${report.rowsRejected} row(s) rejected and --strict is set`);
    }
    out.push(bars);
    fileOf.set(bars, basename(file));
  }
  return out;
}

/** The file each loaded bar set came from, for saying which files the bar magnifier read. */
const fileOf = new WeakMap<BarColumns, string>();

/**
 * Splits a --data directory into the bars a run trades and the bar magnifier's candidates: a file whose
 * timeframe is shorter than `timeframe`, of a symbol that also has a file at `timeframe`, is finer data
 * (e.g. SPY.csv daily beside SPY-2011-01.csv minutes). A symbol with files at one timeframe only keeps
 * trading it, as before.
 */
export function separateFiner(bars: readonly BarColumns[], timeframe: string): { bars: BarColumns[]; finer: BarColumns[] } {
  const atRun = new Set(bars.filter((b) => b.timeframe === timeframe).map((b) => b.symbol));
  const isFiner = (b: BarColumns) => atRun.has(b.symbol) && finerTimeframe(timeframe, [b.timeframe]) !== null;
  return { bars: bars.filter((b) => !isFiner(b)), finer: bars.filter(isFiner) };
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The finer bars a finerData run reads: per symbol of the run's universe, the finest timeframe among the
 * candidates, its files joined in time order (overlapping files are an error naming both), cut to the
 * run's range. Says what it used (or that nothing qualified) through `say`. Undefined when the document
 * does not ask for finerData: nothing is read then.
 */
export function finerFor(doc: StrategyDocument, candidates: readonly BarColumns[], say: (line: string) => void): BarColumns[] | undefined {
  const s = doc.settings;
  if (!wantsFinerData(s)) return undefined;
  const range = finerRange(s);
  const out: BarColumns[] = [];
  for (const symbol of s.universe) {
    const mine = candidates.filter((b) => b.symbol === symbol);
    const tf = finerTimeframe(s.timeframe, mine.map((b) => b.timeframe));
    if (!tf) {
      say(`finer data: none for ${symbol} (no file of a timeframe shorter than ${s.timeframe}); the pessimistic rule decides its bars`);
      continue;
    }
    const parts = mine.filter((b) => b.timeframe === tf && b.length > 0).sort((a, b) => a.time[0]! - b.time[0]!);
    for (let i = 1; i < parts.length; i++) {
      const prev = parts[i - 1]!;
      if (parts[i]!.time[0]! <= prev.time[prev.length - 1]!) {
        throw new UsageError(`finer data: ${fileOf.get(prev) ?? symbol} and ${fileOf.get(parts[i]!) ?? symbol} overlap in time (${symbol} ${tf})`);
      }
    }
    const joined = cutToRange(concatBars(symbol, tf, parts), range.from ?? -Infinity, range.to ?? Infinity);
    out.push(joined);
    const span = joined.length > 0 ? `${day(joined.time[0]!)} to ${day(joined.time[joined.length - 1]!)}` : 'none inside the range';
    say(`finer data: ${symbol} ${tf}, ${joined.length} bars (${span}) from ${parts.map((b) => fileOf.get(b) ?? '?').join(', ')}`);
  }
  return out;
}

/**
 * Loads external series (fundamentals, economic data, custom counts) from one CSV or every .csv of a
 * directory: each file is (time, value) or (time, symbol, value), keyed by the time a value became known.
 * `--series-lag 35d` adds a publication lag to every time, for files stamped by the period they describe.
 * Two files giving the same series (name and symbol) are an error rather than one silently winning.
 */
export async function loadSeries(path: string, flags: DataFlags, warn: (line: string) => void): Promise<StepSeries[]> {
  const lag = flags['series-lag'];
  const lagMs = lag === undefined ? 0 : parseDuration(lag);
  if (!(lagMs >= 0)) throw new UsageError(`--series-lag: expected a duration like 35d or 12h, got "${lag}"`);
  const { files } = filesAt(path, 'series', /\.(csv|tsv|txt)$/i, '.csv');
  const out: StepSeries[] = [];
  const from = new Map<string, string>();
  for (const file of files) {
    const { series, report } = await loadSeriesFile(file, { lagMs, maxRejectedSamples: 1_000_000 }).catch((e: Error) => {
      throw new UsageError(`${file}: ${e.message}`);
    });
    for (const r of report.rejected) warn(`${file}:${r.line}: rejected (${r.reason}${r.field ? ` in ${r.field}` : ''}): ${r.text}`);
    if (report.rowsRejected > 0 && flags.strict) throw new UsageError(`${file}: ${report.rowsRejected} row(s) rejected and --strict is set`);
    if (report.rowsKept === 0) throw new UsageError(`${file}: no usable rows for series "${report.name}"`);
    for (const s of series) {
      const key = `${s.name}|${s.symbol ?? ''}`;
      const seen = from.get(key);
      if (seen) throw new UsageError(`${file}: series "${s.name}"${s.symbol ? ` for ${s.symbol}` : ''} is also in ${seen}`);
      from.set(key, file);
      out.push(s);
    }
    warn(`note: series "${report.name}" from ${file}: ${report.rowsKept} value(s)${series.length > 1 || series[0]?.symbol ? ` for ${series.map((s) => s.symbol ?? 'global').join(', ')}` : ' (global)'}, known at column "${report.timeColumn}"${lagMs ? ` + ${formatDuration(lagMs)} publication lag` : ''}`);
  }
  return out;
}

function concatBars(symbol: string, timeframe: string, parts: readonly BarColumns[]): BarColumns {
  if (parts.length === 1) return parts[0]!;
  const out = allocBars(symbol, timeframe, parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const p of parts) {
    for (const k of BAR_COLUMNS) out[k].set(p[k].subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

function cutToRange(b: BarColumns, from: number, to: number): BarColumns {
  let i = 0, j = b.length;
  while (i < j && b.time[i]! < from) i++;
  while (j > i && b.time[j - 1]! >= to) j--;
  return i === 0 && j === b.length ? b : sliceBars(b, i, j);
}

/**
 * The series of --series (with --series-lag) plus the embedded economic series (US nonfarm payrolls), which
 * every run can read like the app's; a file giving a series of the same name replaces the embedded one.
 */
export async function seriesFromFlags(flags: DataFlags, warn: (line: string) => void): Promise<StepSeries[]> {
  if (flags['series-lag'] !== undefined && !flags.series) throw new UsageError('--series-lag needs --series');
  const files = flags.series ? await loadSeries(flags.series, flags, warn) : [];
  const embedded = await loadEmbeddedSeries();
  for (const e of embedded) {
    if (files.some((s) => s.name === e.name && s.symbol === e.symbol)) warn(`note: series "${e.name}" from --series replaces the embedded one`);
  }
  return [...files, ...embedded.filter((e) => !files.some((s) => s.name === e.name && s.symbol === e.symbol))];
}

/** A usage error whose one line is followed by more the user needs (every problem of a file), printed after it. */
export class DetailedUsageError extends UsageError {
  constructor(message: string, readonly detail: string) {
    super(message);
  }
}

/**
 * Corporate actions (splits, cash dividends) from one CSV or every .csv of a directory (docs/ENGINE.md
 * "Corporate actions"). A file with any bad line is refused with every problem as file:line:column; two files
 * giving actions for one symbol are refused too (which one would be right is not ours to guess).
 */
export function loadActions(path: string, warn: (line: string) => void): CorporateAction[] {
  const { files } = filesAt(path, 'actions', /\.(csv|tsv|txt)$/i, '.csv');
  const out: CorporateAction[] = [];
  const from = new Map<string, string>();
  for (const file of files) {
    let list: CorporateAction[];
    try {
      const { size } = statSync(file);
      if (size > MAX_ACTIONS_BYTES) throw new UsageError(`${file}: ${size} bytes is too large for a corporate-actions file (limit ${MAX_ACTIONS_BYTES})`);
      list = parseActions(readFileSync(file, 'utf8'), file);
    } catch (e) {
      if (e instanceof ActionsImportError) {
        // The first problem on the first line (what a one-line error shows), every problem after it.
        const first = describeProblems(file, e.problems.slice(0, 1)).split('\n')[1];
        throw new DetailedUsageError(`${first}${e.problems.length > 1 ? ` (and ${e.problems.length - 1} more problem(s); nothing was loaded)` : ''}`, e.message);
      }
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read actions ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (list.length === 0) throw new UsageError(`${file}: no corporate actions below the header`);
    for (const sum of summarizeActions(list)) {
      const seen = from.get(sum.symbol);
      if (seen) throw new UsageError(`${file}: corporate actions for ${sum.symbol} are also in ${seen}`);
      from.set(sum.symbol, file);
      warn(`note: corporate actions for ${sum.symbol} from ${file}: ${sum.splits} split(s), ${sum.dividends} dividend(s), ex-dates ${day(sum.from)} to ${day(sum.to)}`);
    }
    for (const a of list) out.push(a); // not push(...list): from ~125k actions that overflowed the stack
  }
  return out;
}

/** The actions of --actions, if given; says which price mode the run uses with them. */
export function actionsFromFlags(flags: DataFlags, doc: StrategyDocument, warn: (line: string) => void): CorporateAction[] | undefined {
  if (!flags.actions) return undefined;
  const list = loadActions(flags.actions, warn);
  const mine = list.filter((a) => doc.settings.universe.includes(a.symbol));
  if (mine.length === 0) warn(`note: no corporate action in ${flags.actions} is for the universe (${doc.settings.universe.join(', ')})`);
  else warn(`note: corporate actions on ${doc.settings.prices === 'raw' ? 'raw prices: applied on their ex-dates (settings.prices "raw")' : 'adjusted prices: the bars are back-adjusted for splits and dividends (settings.prices "adjusted", the default)'}`);
  return list;
}

/** Flags override the document's settings; --symbol rebinds a single-asset document to the file's symbol. */
export function applyFlags(doc: StrategyDocument, flags: DataFlags, bars: readonly BarColumns[]): StrategyDocument {
  let d = doc;
  if (flags.symbol) {
    d = rebindSymbol(d, flags.symbol);
  } else if (bars.length === 1 && d.settings.universe.length === 1 && !bars.some((b) => b.symbol === d.settings.universe[0])) {
    // A single-asset template on a single file: run it on that file's symbol.
    d = rebindSymbol(d, bars[0]!.symbol);
  }
  const s = { ...d.settings, fees: { ...d.settings.fees }, slippage: { ...d.settings.slippage }, range: { ...d.settings.range } };
  if (flags.cash !== undefined) {
    if (!(flags.cash > 0)) throw new UsageError('--cash must be > 0');
    s.initialCash = flags.cash;
  }
  if (flags.commission !== undefined) {
    if (!(flags.commission >= 0 && flags.commission < 0.5)) throw new UsageError('--commission is a fraction of notional in [0, 0.5)');
    s.fees.fraction = flags.commission;
  }
  if (flags['slippage-bps'] !== undefined) {
    if (!(flags['slippage-bps'] >= 0)) throw new UsageError('--slippage-bps must be ≥ 0');
    s.slippage.bps = flags['slippage-bps'];
  }
  if (flags.fill !== undefined) {
    if (flags.fill !== 'next-open' && flags.fill !== 'close') throw new UsageError('--fill is next-open or close');
    s.fillModel = flags.fill === 'close' ? 'close' : 'nextOpen';
  }
  if (flags['whole-units'] && flags.fractional) throw new UsageError('--whole-units and --fractional exclude each other');
  if (flags['whole-units']) s.units = 'whole';
  if (flags.fractional) s.units = 'fractional';
  for (const k of ['from', 'to'] as const) {
    const v = flags[k];
    if (v === undefined) continue;
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v))) throw new UsageError(`--${k}: expected a date like 2010-01-31, got "${v}"`);
    s.range[k] = v;
  }
  return { ...d, settings: s };
}
