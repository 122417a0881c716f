import type { BarColumns } from '../../schema/bars.ts';
import { Zone } from '../../lib/zone.ts';
import { defaultTimezone, symbolFromFileName } from '../naming.ts';
import { inferTimeframe, timeframeMs } from '../timeframe.ts';
import { CsvBarRows } from './bar-rows.ts';
import { type BarSourceFormat, detectLayout, type LayoutOverrides, looksLikeJson } from './detect.ts';
import { LineSplitter } from './lines.ts';
import { parseJsonBars } from './json-bars.ts';
import { ImportError, type ImportReport } from './report.ts';
import { BarSink } from './sink.ts';
import { abortError } from '../abort.ts';
import { chunksOf, type ByteSource, type ProgressInfo } from './source.ts';

export interface ImportOptions extends Omit<LayoutOverrides, 'format'> {
  /** Defaults to the symbol at the start of `fileName`. */
  symbol?: string;
  /** File name, for the default symbol and error messages. */
  fileName?: string;
  /** Inferred from the most common gap between bars when omitted. */
  timeframe?: string;
  /** Zone of naive local times; default UTC for NinjaTrader and FX/crypto symbols, else America/New_York. */
  timezone?: string;
  /** Force a format instead of detecting it. */
  format?: BarSourceFormat;
  /** Yahoo: scale OHLC by Adj Close / Close (dividend- and split-adjusted bars). Default false. */
  adjust?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  totalBytes?: number;
  /** How many rejected rows the report lists (all are counted). Default 50. */
  maxRejectedSamples?: number;
}

export interface ImportResult {
  bars: BarColumns;
  report: ImportReport;
}

const DETECT_BYTES = 4096;
const SAMPLE_LINES = 20;

/**
 * Streams bytes into validated, sorted, de-duplicated bar columns. Only one line at a time is decoded, and
 * only for reports; the whole input is never held (except JSON, which is parsed as one document).
 * Throws ImportError when nothing usable is found and the AbortSignal's reason when cancelled.
 */
export async function importBars(source: ByteSource, opts: ImportOptions = {}): Promise<ImportResult> {
  const symbol = opts.symbol ?? (opts.fileName ? symbolFromFileName(opts.fileName) : undefined);
  if (!symbol) throw new ImportError('a symbol is needed (pass symbol or fileName)');
  const where = opts.fileName ?? symbol;
  const sink = new BarSink(opts.maxRejectedSamples ?? 50);
  let bytesRead = 0;
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let mode = (opts.format?.endsWith('-json') ? 'json' : 'unknown') as 'unknown' | 'csv' | 'json';
  let rows: CsvBarRows | undefined;
  let splitter: LineSplitter | undefined;
  let format: string = opts.format ?? '';
  let timezone = opts.timezone ?? '';
  const notes: string[] = [];

  const startCsv = (bytes: Uint8Array) => {
    // The format is decided from up to SAMPLE_LINES lines of the head (a partial last line is left out).
    const head = new TextDecoder().decode(bytes.subarray(0, DETECT_BYTES)).split('\n');
    if (bytes.length > DETECT_BYTES && head.length > 1) head.pop();
    const sample = head.slice(0, SAMPLE_LINES);
    const layout = detectLayout(sample[0]!, { ...opts, format: opts.format as LayoutOverrides['format'] }, sample);
    format = layout.format;
    timezone ||= layout.format === 'ninjatrader' ? 'UTC' : defaultTimezone(symbol);
    if (layout.columns.volume < 0) notes.push('no volume column: volume set to 0');
    if (layout.columns.open < 0 || layout.columns.high < 0 || layout.columns.low < 0) notes.push('close-only data: open = high = low = close');
    rows = new CsvBarRows(layout, new Zone(timezone), sink, !!opts.adjust);
    splitter = new LineSplitter(rows.onLine);
    mode = 'csv';
  };

  try {
    for await (const chunk of chunksOf(source, opts.signal)) {
      bytesRead += chunk.length;
      if (mode === 'csv') splitter!.feed(chunk);
      else {
        head.push(chunk);
        headBytes += chunk.length;
        if (mode === 'unknown' && headBytes >= DETECT_BYTES) {
          const all = concat(head);
          const first = all.findIndex((c) => c > 32 && c !== 0xef && c !== 0xbb && c !== 0xbf);
          if (looksLikeJson(all[first])) mode = 'json';
          else {
            head = [];
            startCsv(all);
            splitter!.feed(all);
          }
        }
      }
      opts.onProgress?.({ bytesRead, totalBytes: opts.totalBytes, rowsRead: sink.rowsRead });
    }
  } catch (e) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    throw e;
  }
  if (mode !== 'csv') {
    const all = concat(head);
    const first = all.findIndex((c) => c > 32 && c !== 0xef && c !== 0xbb && c !== 0xbf);
    if (first < 0) throw new ImportError(`${where}: the file is empty`);
    if (mode === 'json' || looksLikeJson(all[first])) {
      timezone ||= defaultTimezone(symbol);
      format = parseJsonBars(new TextDecoder().decode(all), symbol, new Zone(timezone), sink);
    } else {
      startCsv(all);
      splitter!.feed(all);
    }
  }
  splitter?.end();
  if (opts.signal?.aborted) throw abortError(opts.signal);

  const finished = sink.finish(symbol, opts.timeframe ?? '');
  const { sorted, duplicates } = finished;
  const timeframe = opts.timeframe || inferTimeframe(finished.bars.time);
  const bars = { ...finished.bars, timeframe };
  if (rows?.sawIntraday && (opts.stampedAtEnd ?? format === 'ninjatrader')) {
    const period = timeframeMs(timeframe);
    if (!(period > 0)) throw new ImportError(`${where}: bars are stamped at their end but timeframe ${timeframe} has no fixed length`);
    const t = bars.time;
    for (let i = 0; i < t.length; i++) t[i] = t[i]! - period;
    notes.push(`times marked bar ends: ${timeframe} subtracted to get bar starts`);
  }
  if (sorted) notes.push('input was not in time order: sorted');
  if (duplicates) notes.push(`${duplicates} duplicate times: the last occurrence in the file was kept`);
  const report = sink.report({ format, symbol, timeframe, timezone, adjusted: !!opts.adjust && format === 'yahoo', bytesRead, notes }, bars, sorted, duplicates);
  if (bars.length === 0) {
    const reasons = Object.entries(report.byReason).map(([r, n]) => `${r}: ${n}`).join(', ');
    throw Object.assign(new ImportError(`${where}: no valid rows (${report.rowsRead} read${reasons ? `; ${reasons}` : ''})`), { report });
  }
  return { bars, report };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
