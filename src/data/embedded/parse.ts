import type { BarColumns, StepSeries } from '../../schema/bars.ts';
import { allocBars } from '../columns.ts';
import { importBars } from '../csv/import.ts';
import { importSeries } from '../csv/series.ts';

/** The embedded datasets (vega-datasets, BSD-3-Clause; see src/data/CREDITS.md). */
export const EMBEDDED = {
  sp500: { file: 'sp500-2000.csv', symbol: 'SPX', timeframe: '1d', source: 'embedded: vega-datasets sp500-2000.csv' },
  stocks: { file: 'stocks.csv', symbols: ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'], timeframe: '1mo', source: 'embedded: vega-datasets stocks.csv' },
  employment: {
    file: 'us-employment.csv',
    /** Global series: column of the file → series name. */
    columns: { nonfarm: 'nonfarm', nonfarm_change: 'nonfarm_change' },
    source: 'embedded: vega-datasets us-employment.csv (U.S. BLS Current Employment Statistics, public domain)',
  },
} as const;

/** Names of the embedded economic series (global): what the builder offers and the CLI loads by default. */
export const EMBEDDED_SERIES: readonly string[] = Object.values(EMBEDDED.employment.columns);

/** September 2013's report came out on 22 October 2013, after the federal shutdown; every other month by the 10th. */
const LATE_RELEASES: Readonly<Record<string, string>> = { '2013-09': '2013-10-23' };

/**
 * When a month's payroll figure could first be known. The file stamps each value with its reference
 * month's first day; the BLS publishes it in the Employment Situation, usually on the first Friday of the
 * next month (between the 1st and the 10th in 2006–2015, except September 2013). We key each value to
 * 00:00 UTC on the 12th of the next month (a margin of two days), and to the day after the late release.
 */
export function payrollKnownAt(referenceMonth: string): number {
  const late = LATE_RELEASES[referenceMonth.slice(0, 7)];
  if (late) return Date.parse(`${late}T00:00:00Z`);
  const y = Number(referenceMonth.slice(0, 4)), m = Number(referenceMonth.slice(5, 7));
  return Date.UTC(y, m, 12);
}

/**
 * US nonfarm payrolls 2006–2015 (thousands, seasonally adjusted) and their monthly change as global step
 * series keyed by when each value could be known (payrollKnownAt). The values are the file's (revised as of
 * its 2018 download), not the first print a trader saw: see src/data/CREDITS.md.
 */
export function employmentFromCsv(text: string): StepSeries[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const month = header.indexOf('month');
  return Object.entries(EMBEDDED.employment.columns).map(([column, name]) => {
    const col = header.indexOf(column);
    if (month < 0 || col < 0) throw new Error(`${EMBEDDED.employment.file}: no "${month < 0 ? 'month' : column}" column`);
    const rows = lines.slice(1).map((l) => l.split(','));
    const time = Float64Array.from(rows, (r) => payrollKnownAt(r[month]!));
    const value = Float64Array.from(rows, (r) => Number(r[col]));
    for (let i = 0; i < rows.length; i++) {
      if (!Number.isFinite(value[i]!) || !(time[i]! > (i ? time[i - 1]! : -Infinity))) throw new Error(`${EMBEDDED.employment.file}: bad row ${i + 2}`);
    }
    return { name, symbol: null, length: rows.length, time, value };
  });
}

/** Real S&P 500 daily bars 2000–2020 (date,open,high,low,close,adjclose,volume); unadjusted OHLC. */
export async function sp500FromCsv(text: string): Promise<BarColumns> {
  const { bars } = await importBars(text, { symbol: EMBEDDED.sp500.symbol, timeframe: '1d', format: 'generic' });
  return bars;
}

/**
 * Monthly closes of five large stocks 2000–2010 (symbol,date,price with dates like "Jan 1 2000") as bars
 * with open = high = low = close and volume 0 (the source has no volume).
 */
export async function stocksFromCsv(text: string): Promise<BarColumns[]> {
  const { series } = await importSeries(text, { name: 'price' });
  return series.map((s) => {
    const bars = allocBars(s.symbol ?? 'UNKNOWN', EMBEDDED.stocks.timeframe, s.length);
    bars.time.set(s.time);
    for (const col of [bars.open, bars.high, bars.low, bars.close]) col.set(s.value);
    return bars;
  });
}
