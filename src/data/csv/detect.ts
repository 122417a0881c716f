import { ImportError } from './report.ts';

export const CSV_FORMATS = ['yahoo', 'unnamed-date', 'generic', 'ninjatrader'] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];
export const BAR_SOURCE_FORMATS = [...CSV_FORMATS, 'alpaca-json', 'polygon-json'] as const;
export type BarSourceFormat = (typeof BAR_SOURCE_FORMATS)[number];

export type LayoutColumn = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'adjclose';

/** Where each field is in a row; -1 when absent. */
export interface CsvLayout {
  format: CsvFormat;
  delimiter: number;
  hasHeader: boolean;
  columns: Record<LayoutColumn, number>;
  /** Times mark the end of each bar (NinjaTrader), so one bar period is subtracted from intraday times. */
  stampedAtEnd: boolean;
  /** Names as read from the header, for error messages. */
  names: string[];
}

export interface LayoutOverrides {
  format?: CsvFormat;
  delimiter?: string;
  hasHeader?: boolean;
  /** Column index or header name per field. */
  columns?: Partial<Record<LayoutColumn, number | string>>;
  stampedAtEnd?: boolean;
}

const NAMES: Record<LayoutColumn, readonly string[]> = {
  time: ['timeutcms', 'timestamp', 'time', 'datetime', 'date', 't', 'utc', 'timeutc', 'gmttime'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c', 'last', 'price'],
  volume: ['volume', 'v', 'vol'],
  adjclose: ['adjclose', 'adjustedclose'],
};

export const normalizeName = (s: string) => s.trim().replace(/^"|"$/g, '').toLowerCase().replace(/[\s_\-.()]/g, '');

const NINJA_RE = /^\d{8}( \d{6})?;/;

function pickDelimiter(line: string): number {
  let best = ',', bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const c = line.split(d).length - 1;
    if (c > bestCount) { best = d; bestCount = c; }
  }
  return best.charCodeAt(0);
}

/**
 * NinjaTrader when the first line has its shape, or when most of the sampled lines do: a malformed first
 * line is then one rejected line, not a reason to read 17,000 good ones as a different format (and zone).
 */
function looksNinja(line: string, sample: readonly string[]): boolean {
  if (NINJA_RE.test(line)) return true;
  const rest = sample.slice(1).map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  if (/[A-Za-z]/.test(line) || rest.length === 0) return false;
  return rest.filter((l) => NINJA_RE.test(l)).length * 2 > rest.length;
}

/**
 * Decides the layout from the first line, a sample of the following ones (`sample`, first line included)
 * and the caller's overrides. The first column with a known
 * time name wins in the order of NAMES.time (so `time_utc_ms` beats `time_ny`); an unnamed first column is
 * the date column of pandas exports.
 */
export function detectLayout(firstLine: string, o: LayoutOverrides = {}, sample: readonly string[] = [firstLine]): CsvLayout {
  const line = firstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (o.format === 'ninjatrader' || (!o.format && looksNinja(line, sample))) {
    const delimiter = (o.delimiter ?? ';').charCodeAt(0);
    const fixed = withColumns(o, ['time', 'open', 'high', 'low', 'close', 'volume']);
    return {
      format: 'ninjatrader', delimiter, hasHeader: o.hasHeader ?? false, stampedAtEnd: o.stampedAtEnd ?? true,
      columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, adjclose: -1, ...fixed.columns },
      names: [],
    };
  }
  const delimiter = o.delimiter ? o.delimiter.charCodeAt(0) : pickDelimiter(line);
  const raw = line.split(String.fromCharCode(delimiter));
  const names = raw.map(normalizeName);
  const hasHeader = o.hasHeader ?? names.some((n) => /^[a-z]/.test(n) || n === '');
  const columns: Record<LayoutColumn, number> = { time: -1, open: -1, high: -1, low: -1, close: -1, volume: -1, adjclose: -1 };
  if (hasHeader) {
    for (const key of Object.keys(NAMES) as LayoutColumn[]) {
      for (const alias of NAMES[key]) {
        const i = names.indexOf(alias);
        if (i >= 0) { columns[key] = i; break; }
      }
    }
    if (columns.time < 0 && names[0] === '') columns.time = 0;
  } else {
    Object.assign(columns, { time: 0, open: 1, high: 2, low: 3, close: 4, volume: raw.length > 5 ? 5 : -1 });
  }
  const fixed = withColumns(o, names);
  Object.assign(columns, fixed.columns);
  const format: CsvFormat = o.format
    ?? (columns.adjclose >= 0 && names[columns.time] === 'date' ? 'yahoo' : names[columns.time] === '' && hasHeader ? 'unnamed-date' : 'generic');
  if (format === 'yahoo' && columns.adjclose < 0) throw new ImportError(`Yahoo format needs an "Adj Close" column; header is: ${line}`);
  if (columns.time < 0) throw new ImportError(`no time column found in header: ${line} (name one with the columns option)`);
  if (columns.close < 0) throw new ImportError(`no close/price column found in header: ${line}`);
  return { format, delimiter, hasHeader, stampedAtEnd: o.stampedAtEnd ?? false, columns, names: hasHeader ? raw.map((s) => s.trim()) : [] };
}

function withColumns(o: LayoutOverrides, names: string[]): { columns: Partial<Record<LayoutColumn, number>> } {
  const columns: Partial<Record<LayoutColumn, number>> = {};
  for (const [key, v] of Object.entries(o.columns ?? {}) as [LayoutColumn, number | string][]) {
    const i = typeof v === 'number' ? v : names.indexOf(normalizeName(v));
    if (i < 0) throw new ImportError(`column ${JSON.stringify(v)} for ${key} is not in the header`);
    columns[key] = i;
  }
  return { columns };
}

export function looksLikeJson(firstByte: number | undefined): boolean {
  return firstByte === 0x7b || firstByte === 0x5b;
}
