import type { StepSeries } from '../../schema/bars.ts';
import { Zone } from '../../lib/zone.ts';
import { GrowableF64 } from '../grow.ts';
import { normalizeName } from './detect.ts';
import { FieldSplitter, isBlank, lineText } from './fields.ts';
import { LineSplitter } from './lines.ts';
import { isMissingToken, parseNumber } from './numbers.ts';
import { ImportError, type RejectReason, type RejectedRow } from './report.ts';
import { chunksOf, type ByteSource, type ProgressInfo } from './source.ts';
import { parseTime } from './times.ts';
import { isSaneTime } from '../../lib/time.ts';
import { abortError } from '../abort.ts';

export interface SeriesImportOptions {
  /** Series name; default the value column's header (unless it is just "value"), else the file name. */
  name?: string;
  fileName?: string;
  /** Zone of naive local times. Default America/New_York. */
  timezone?: string;
  /**
   * Publication lag in ms, added to every time read: for data stamped by the period they describe (a quarter's
   * end, a month's first day) rather than by when they were published, so a run never reads a value earlier
   * than it could have been known. 0 (default) when the time column already says when a value was known.
   */
  lagMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  maxRejectedSamples?: number;
}

export interface SeriesImportReport {
  name: string;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  byReason: Partial<Record<RejectReason, number>>;
  rejected: RejectedRow[];
  symbols: (string | null)[];
  /** Which column gave the time the value became known. */
  timeColumn: string;
  /** The publication lag added to that column's times (ms; 0 for none). */
  lagMs: number;
}

/** Columns naming when a value became known win over plain period dates. */
const KNOWN_TIME = ['knownat', 'known', 'publishedat', 'published', 'releasedat', 'released', 'releasetime', 'release',
  'availableat', 'asof', 'timeutcms', 'timestamp', 'time', 'datetime', 'date'];

interface Group { t: GrowableF64; v: GrowableF64; lines: number[] }

/**
 * Imports (time, value) or (time, symbol, value) CSVs — fundamentals, economic data, custom series — into
 * step series keyed by the time each value became known. Rows are sorted; for a repeated time the last
 * row in the file wins (a later line is a revision).
 */
export async function importSeries(source: ByteSource, opts: SeriesImportOptions = {}): Promise<{ series: StepSeries[]; report: SeriesImportReport }> {
  const zone = new Zone(opts.timezone ?? 'America/New_York');
  const lagMs = opts.lagMs ?? 0;
  if (!(Number.isFinite(lagMs) && lagMs >= 0)) throw new ImportError(`${opts.fileName ?? 'series'}: the publication lag must be a finite duration ≥ 0`);
  const maxSamples = opts.maxRejectedSamples ?? 50;
  const f = new FieldSplitter();
  const groups = new Map<string | null, Group>();
  const byReason: Partial<Record<RejectReason, number>> = {};
  const rejected: RejectedRow[] = [];
  let rowsRead = 0, rowsRejected = 0, bytesRead = 0;
  let cols: { time: number; symbol: number; value: number; delimiter: number; names: string[] } | undefined;
  let name = opts.name ?? '';
  const reject = (line: number, reason: RejectReason, field: string | undefined, text: string) => {
    rowsRejected++;
    byReason[reason] = (byReason[reason] ?? 0) + 1;
    if (rejected.length < maxSamples) rejected.push(field === undefined ? { line, reason, text } : { line, reason, field, text });
  };
  const splitter = new LineSplitter((b, s, e, line) => {
    if (isBlank(b, s, e)) return;
    if (!cols) {
      const header = lineText(b, s, e).replace(/^\uFEFF/, '');
      const delimiter = [',', ';', '\t'].reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best), ',');
      const raw = header.split(delimiter).map((x) => x.trim());
      const names = raw.map(normalizeName);
      const time = KNOWN_TIME.map((k) => names.indexOf(k)).find((i) => i >= 0) ?? -1;
      const symbol = ['symbol', 'ticker'].map((k) => names.indexOf(k)).find((i) => i >= 0) ?? -1;
      let value = names.indexOf('value');
      // Without a "value" column the value is the last other column: (time, value), (time, symbol, value),
      // (symbol, period, published_at, eps) all end with it.
      if (value < 0) value = names.findLastIndex((_, i) => i !== time && i !== symbol && !KNOWN_TIME.includes(names[i]!));
      if (time < 0 || value < 0) throw new ImportError(`${opts.fileName ?? 'series'}: header needs a time column and a value column: ${header}`);
      if (!name) name = names[value] !== 'value' ? raw[value]! : (opts.fileName?.split(/[\\/]/).pop()?.replace(/\..*$/, '') ?? 'series');
      cols = { time, symbol, value, delimiter: delimiter.charCodeAt(0), names: raw };
      return;
    }
    rowsRead++;
    const n = f.split(b, s, e, cols.delimiter);
    if (n <= Math.max(cols.time, cols.symbol, cols.value)) return reject(line, 'missing-field', undefined, lineText(b, s, e));
    const t = parseTime(b, f.starts[cols.time]!, f.ends[cols.time]!, zone) + lagMs;
    if (t !== t) return reject(line, 'bad-time', cols.names[cols.time], lineText(b, s, e));
    if (!isSaneTime(t)) return reject(line, 'time-out-of-range', cols.names[cols.time], lineText(b, s, e));
    const v = parseNumber(b, f.starts[cols.value]!, f.ends[cols.value]!);
    if (v !== v) {
      return reject(line, isMissingToken(b, f.starts[cols.value]!, f.ends[cols.value]!) ? 'nan' : 'unparseable-number', cols.names[cols.value], lineText(b, s, e));
    }
    if (!Number.isFinite(v)) return reject(line, 'non-finite', cols.names[cols.value], lineText(b, s, e));
    const sym = cols.symbol < 0 ? null : lineText(b, f.starts[cols.symbol]!, f.ends[cols.symbol]!).trim().replace(/^"|"$/g, '');
    let g = groups.get(sym);
    if (!g) groups.set(sym, (g = { t: new GrowableF64(), v: new GrowableF64(), lines: [] }));
    g.t.push(t);
    g.v.push(v);
    g.lines.push(line);
  });
  for await (const chunk of chunksOf(source, opts.signal)) {
    bytesRead += chunk.length;
    splitter.feed(chunk);
    opts.onProgress?.({ bytesRead, rowsRead });
  }
  splitter.end();
  if (opts.signal?.aborted) throw abortError(opts.signal);
  if (!cols) throw new ImportError(`${opts.fileName ?? 'series'}: the file is empty`);
  const series: StepSeries[] = [];
  for (const [symbol, g] of groups) {
    const idx = Array.from({ length: g.t.length }, (_, i) => i).sort((a, b) => g.t.data[a]! - g.t.data[b]! || a - b);
    const time = new GrowableF64(idx.length), value = new GrowableF64(idx.length);
    idx.forEach((r, i) => {
      const next = idx[i + 1];
      if (next !== undefined && g.t.data[next] === g.t.data[r]) {
        return reject(g.lines[r]!, 'duplicate-time', cols!.names[cols!.time], `same time as line ${g.lines[next]}, which is kept`);
      }
      time.push(g.t.data[r]!);
      value.push(g.v.data[r]!);
    });
    series.push({ name, symbol, length: time.length, time: time.toArray(), value: value.toArray() });
  }
  const rowsKept = series.reduce((n, s) => n + s.length, 0);
  return {
    series,
    report: { name, rowsRead, rowsKept, rowsRejected, byReason, rejected, symbols: [...groups.keys()], timeColumn: cols.names[cols.time]!, lagMs },
  };
}
