import type { Clock } from '../../lib/clock.ts';
import { DatasetStore } from '../dataset-store.ts';
import { FsCatalog, FsFiles } from './fs-backend.ts';

/** The Node bar store: the same file format as OPFS, in `dir`, with `dir/catalog.json` as the catalog. */
export function createFsStore(dir: string, clock?: Clock): DatasetStore {
  return new DatasetStore(new FsFiles(dir), new FsCatalog(dir), clock);
}
