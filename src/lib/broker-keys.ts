/**
 * Broker keys, per account kind, in IndexedDB on this device only (`backtester-broker-keys`): never in the live
 * journal, a draft, a share link or the run history. The page saves what the user types; the live worker reads
 * them when a deployment is made or reopened, keeps them in memory and puts them only in request headers
 * (through the proxy), and saves a refresh token TradeStation rotated. "Forget" deletes them. Plain IndexedDB:
 * the page and the worker both use this module.
 */

/** The account kinds, named as the adapters name themselves (Broker.name). */
export const KEY_KINDS = ['alpaca-paper', 'alpaca-live', 'tradier-sandbox', 'tradier-live', 'tradestation-sim', 'tradestation-live'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * What each kind keeps: Alpaca `keyId`, `secretKey`; Tradier `token`, `accountId`; TradeStation `refreshToken`,
 * `accountId` (the OAuth client id and secret stay in the proxy, never on a page).
 */
export type BrokerKeys = Record<string, string>;

const DB = 'backtester-broker-keys';
const STORE = 'keys';

let dbp: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  dbp ??= new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(`cannot open the broker keys' storage: ${r.error?.message ?? 'unknown error'}`));
  }).catch((e: unknown) => {
    dbp = null;
    throw e;
  });
  return dbp;
}

function request<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return db().then((d) => new Promise<T>((resolve, reject) => {
    const tx = d.transaction(STORE, mode);
    const r = f(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(r.result as T);
    tx.onabort = tx.onerror = () => reject(new Error(`the broker keys' storage failed: ${tx.error?.message ?? 'aborted'}`));
  }));
}

export async function loadKeys(kind: KeyKind): Promise<BrokerKeys | null> {
  const v = await request<unknown>('readonly', (s) => s.get(kind));
  if (!v || typeof v !== 'object') return null;
  const out: BrokerKeys = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Saves (trimmed) or, with null, forgets the keys of one account kind. */
export async function saveKeys(kind: KeyKind, keys: BrokerKeys | null): Promise<void> {
  if (keys === null) {
    await request('readwrite', (s) => s.delete(kind));
    return;
  }
  const clean: BrokerKeys = {};
  for (const [k, x] of Object.entries(keys)) clean[k] = x.trim();
  await request('readwrite', (s) => s.put(clean, kind));
}
