import type { ActionsStore } from '../actions-store.ts';
import { DatasetStore } from '../dataset-store.ts';
import { IdbCatalog } from './idb-catalog.ts';
import { OpfsFiles } from './opfs-files.ts';

export interface OpfsStoreOptions {
  /** OPFS directory for the files. Default "bars". */
  dir?: string;
  /** IndexedDB database for the catalog. Default "swiftbacktest-data". */
  dbName?: string;
}

export interface OpfsStore extends DatasetStore {
  /** Corporate actions, in the catalog's database. */
  readonly actions: ActionsStore;
  close(): void;
}

/** The browser bar store: bytes in OPFS, catalog in IndexedDB. Best used inside a worker (sync handles). */
export async function createOpfsStore(opts: OpfsStoreOptions = {}): Promise<OpfsStore> {
  const [files, catalog] = await Promise.all([OpfsFiles.open(opts.dir ?? 'bars'), IdbCatalog.open(opts.dbName ?? 'swiftbacktest-data')]);
  return Object.assign(new DatasetStore(files, catalog), { actions: catalog, close: () => catalog.close() });
}
