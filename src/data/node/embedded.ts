import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BarColumns, StepSeries } from '../../schema/bars.ts';
import { EMBEDDED, employmentFromCsv, sp500FromCsv, stocksFromCsv } from '../embedded/parse.ts';

/** vega-datasets' data folder (its package exports only name the JS entry, which sits in build/). */
export function vegaDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
}

export async function loadEmbeddedBars(): Promise<BarColumns[]> {
  const dir = vegaDataDir();
  const [sp500, stocks] = await Promise.all([
    readFile(join(dir, EMBEDDED.sp500.file), 'utf8'),
    readFile(join(dir, EMBEDDED.stocks.file), 'utf8'),
  ]);
  return [await sp500FromCsv(sp500), ...(await stocksFromCsv(stocks))];
}

/** The embedded economic series (US nonfarm payrolls), from node_modules. */
export async function loadEmbeddedSeries(): Promise<StepSeries[]> {
  return employmentFromCsv(await readFile(join(vegaDataDir(), EMBEDDED.employment.file), 'utf8'));
}
