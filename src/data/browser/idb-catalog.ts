import { openDB, type IDBPDatabase } from 'idb';
import { wallClock } from '../../lib/clock.ts';
import type { CorporateAction } from '../../schema/actions.ts';
import { actionRows, type ActionsStore, type StoredActions } from '../actions-store.ts';
import type { CatalogBackend, DatasetInfo } from '../store.ts';
import { FORMAT_V1 } from '../format.ts';

const STORE = 'catalog';
const ACTIONS = 'actions';

/**
 * Version of the data database. Each version's upgrade step runs in order from the stored version, so a
 * later change adds its step after these and never re-creates what exists:
 * 1: "catalog" (dataset rows, keyed by id); 2: "actions" (corporate actions, one row per symbol);
 * 3: every catalog row says its file's format (`format: 1` on the rows that were there: raw float64 files);
 *    the data worker then rewrites those files in the compact format one by one (DatasetStore.migrate).
 * The upgrade runs in IndexedDB's versionchange transaction: a tab closed during it leaves version 2 as it
 * was, and the next open runs it again.
 */
export const DATA_DB_VERSION = 3;

/** Catalog rows in IndexedDB (object store "catalog", keyed by id); each change is one transaction. */
export class IdbCatalog implements CatalogBackend, ActionsStore {
  private constructor(readonly db: IDBPDatabase) {}

  static async open(dbName: string): Promise<IdbCatalog> {
    const db = await openDB(dbName, DATA_DB_VERSION, {
      async upgrade(d, oldVersion, _newVersion, tx) {
        if (oldVersion < 1 && !d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE, { keyPath: 'id' });
        if (oldVersion < 2 && !d.objectStoreNames.contains(ACTIONS)) d.createObjectStore(ACTIONS, { keyPath: 'symbol' });
        if (oldVersion >= 1 && oldVersion < 3) {
          for (let c = await tx.objectStore(STORE).openCursor(); c; c = await c.continue()) {
            const row = c.value as DatasetInfo;
            if (row.format === undefined) await c.update({ ...row, format: FORMAT_V1 });
          }
        }
      },
    });
    return new IdbCatalog(db);
  }

  async list(): Promise<DatasetInfo[]> {
    return (await this.db.getAll(STORE)) as DatasetInfo[];
  }

  async get(id: string): Promise<DatasetInfo | undefined> {
    return (await this.db.get(STORE, id)) as DatasetInfo | undefined;
  }

  async set(id: string, info: DatasetInfo | null): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    if (info) await tx.store.put(info);
    else await tx.store.delete(id);
    await tx.done;
  }

  async swap(id: string, expectFile: string, info: DatasetInfo): Promise<boolean> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const cur = (await tx.store.get(id)) as DatasetInfo | undefined;
    const ok = cur?.file === expectFile;
    if (ok) await tx.store.put(info);
    await tx.done;
    return ok;
  }

  async listActions(): Promise<StoredActions[]> {
    return (await this.db.getAll(ACTIONS)) as StoredActions[];
  }

  /** One transaction for every symbol of the file: it commits whole or aborts whole. */
  async replaceActions(list: readonly CorporateAction[], source: string): Promise<StoredActions[]> {
    const rows = actionRows(list, source, wallClock.now());
    const tx = this.db.transaction(ACTIONS, 'readwrite');
    await Promise.all([...rows.map((r) => tx.store.put(r)), tx.done]);
    return rows;
  }

  async deleteActions(symbol: string): Promise<boolean> {
    const tx = this.db.transaction(ACTIONS, 'readwrite');
    const had = (await tx.store.getKey(symbol)) !== undefined;
    if (had) await tx.store.delete(symbol);
    await tx.done;
    return had;
  }

  close(): void {
    this.db.close();
  }
}
