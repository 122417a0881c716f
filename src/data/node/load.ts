import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { importBars, type ImportOptions, type ImportResult } from '../csv/import.ts';
import { importSeries, type SeriesImportOptions } from '../csv/series.ts';

/** Streams a bar file (CSV or Alpaca/Polygon JSON) from disk: `loadCsvFile('data/SPY.csv', { timeframe: '1m' })`. */
export async function loadCsvFile(path: string, opts: Omit<ImportOptions, 'totalBytes'> = {}): Promise<ImportResult> {
  const { size } = await stat(path);
  return importBars(createReadStream(path, { highWaterMark: 1 << 20 }), { fileName: basename(path), totalBytes: size, ...opts });
}

export async function loadSeriesFile(path: string, opts: SeriesImportOptions = {}) {
  return importSeries(createReadStream(path, { highWaterMark: 1 << 20 }), { fileName: basename(path), ...opts });
}
