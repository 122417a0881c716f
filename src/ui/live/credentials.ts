import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * Alpaca keys, per account kind, in IndexedDB on this device only: never in the live journal, a draft, a share
 * link or the run history. They go to the live worker when a deployment is made or reopened, and from there
 * only into request headers (through the proxy). "Forget" deletes them.
 */
export interface BrokerKeys {
  keyId: string;
  secretKey: string;
}

export type KeyKind = 'alpaca-paper' | 'alpaca-live';

interface KeysDB extends DBSchema {
  keys: { key: KeyKind; value: BrokerKeys };
}

let dbp: Promise<IDBPDatabase<KeysDB>> | null = null;
function db(): Promise<IDBPDatabase<KeysDB>> {
  dbp ??= openDB<KeysDB>('backtester-broker-keys', 1, {
    upgrade(d) {
      d.createObjectStore('keys');
    },
  });
  return dbp;
}

export async function loadKeys(kind: KeyKind): Promise<BrokerKeys | null> {
  const v = await (await db()).get('keys', kind);
  return v && typeof v.keyId === 'string' && typeof v.secretKey === 'string' ? v : null;
}

export async function saveKeys(kind: KeyKind, keys: BrokerKeys | null): Promise<void> {
  const d = await db();
  if (keys === null) await d.delete('keys', kind);
  else await d.put('keys', { keyId: keys.keyId.trim(), secretKey: keys.secretKey.trim() }, kind);
}
