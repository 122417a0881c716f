import type { BarColumns, StepSeries } from '../../schema/bars.ts';
import { employmentFromCsv, sp500FromCsv, stocksFromCsv } from './parse.ts';

// vega-datasets' package exports hide data/, so the files are imported by path. `?raw` inlines them into a
// lazily loaded chunk: the data work offline once the app's assets are cached.
export async function loadEmbeddedBars(): Promise<BarColumns[]> {
  const [sp500, stocks] = await Promise.all([
    import('../../../node_modules/vega-datasets/data/sp500-2000.csv?raw'),
    import('../../../node_modules/vega-datasets/data/stocks.csv?raw'),
  ]);
  return [await sp500FromCsv(sp500.default), ...(await stocksFromCsv(stocks.default))];
}

/** The embedded economic series (US nonfarm payrolls, vega-datasets us-employment.csv). */
export async function loadEmbeddedSeries(): Promise<StepSeries[]> {
  const text = await import('../../../node_modules/vega-datasets/data/us-employment.csv?raw');
  return employmentFromCsv(text.default);
}
