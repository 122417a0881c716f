import { importBars, type ImportOptions, type ImportResult } from './csv/import.ts';
import type { ByteSource } from './csv/source.ts';
import type { BarStore, DatasetInfo } from './store.ts';

/**
 * Parses a whole source, then replaces the stored dataset in one atomic put: a bad file, a read error or a
 * cancel at any point leaves the previous data and catalog as they were.
 */
export async function importIntoStore(store: BarStore, source: ByteSource, opts: ImportOptions = {}): Promise<ImportResult & { info: DatasetInfo }> {
  const result = await importBars(source, opts);
  const info = await store.put(result.bars, {
    source: opts.fileName ?? result.report.format,
    adjusted: result.report.adjusted,
    signal: opts.signal,
  });
  return { ...result, info };
}
