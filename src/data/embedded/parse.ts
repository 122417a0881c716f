import type { BarColumns } from '../../schema/bars.ts';
import { allocBars } from '../columns.ts';
import { importBars } from '../csv/import.ts';
import { importSeries } from '../csv/series.ts';

/** The embedded datasets (vega-datasets, BSD-3-Clause; see src/data/CREDITS.md). */
export const EMBEDDED = {
  sp500: { file: 'sp500-2000.csv', symbol: 'SPX', timeframe: '1d', source: 'embedded: vega-datasets sp500-2000.csv' },
  stocks: { file: 'stocks.csv', symbols: ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'], timeframe: '1mo', source: 'embedded: vega-datasets stocks.csv' },
} as const;

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
