import { openDB, type IDBPDatabase } from 'idb';
import type { CatalogBackend, DatasetInfo } from '../store.ts';

const STORE = 'catalog';

/** Catalog rows in IndexedDB (object store "catalog", keyed by id); each change is one transaction. */
export class IdbCatalog implements CatalogBackend {
  private constructor(readonly db: IDBPDatabase) {}

  static async open(dbName: string): Promise<IdbCatalog> {
    const db = await openDB(dbName, 1, {
      upgrade(d) {
        if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE, { keyPath: 'id' });
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

  close(): void {
    this.db.close();
  }
}
