import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LiveEvent } from '../events.ts';
import type { DeploymentConfig, Journal, JournalEntry } from '../journal.ts';

/**
 * The live processor's journal in IndexedDB (DESIGN.md §2: "IndexedDB holds … live-trading state"). Entries
 * are append-only, keyed [deployment id, sequence]; one `append` is one readwrite transaction (strict
 * durability for money: it resolves only once the whole batch is on disk), and a batch that fails (a value that cannot
 * be stored, quota, a second tab appending the same sequence number) aborts the transaction and leaves nothing
 * of itself behind. Keys and tokens never reach it: a deployment's config names its broker and account only.
 */

/** What the Live page lists: read from the deployment's first entry, plus where the run stands. */
export interface DeploymentRecord {
  id: string;
  name: string;
  mode: DeploymentConfig['mode'];
  broker: string;
  accountId: string;
  createdAt: number;
  /** Running when the page went away: a resume starts it again. Ended: a practice run reached the end of its data. */
  state: 'stopped' | 'running' | 'ended';
  /** Practice replay speed: milliseconds between timestamps (0: as fast as it goes). Paper/live: poll interval. */
  intervalMs: number;
  /** Paper/live: false when the deployment polls REST only (no Alpaca streams). */
  streams?: boolean;
}

interface LiveDB extends DBSchema {
  deployments: { key: string; value: DeploymentRecord };
  entries: { key: [string, number]; value: { deployment: string; seq: number; entry: JournalEntry } };
  /** The audit the page shows (bars excluded); not needed to resume, so written after the tick, best effort. */
  events: { key: [string, number]; value: { deployment: string; seq: number; event: LiveEvent } };
}

export const LIVE_DB = 'backtester-live';
const MAX = Number.MAX_SAFE_INTEGER;

let dbp: Promise<IDBPDatabase<LiveDB>> | null = null;
export function liveDb(): Promise<IDBPDatabase<LiveDB>> {
  dbp ??= openDB<LiveDB>(LIVE_DB, 1, {
    upgrade(d) {
      d.createObjectStore('deployments', { keyPath: 'id' });
      d.createObjectStore('entries', { keyPath: ['deployment', 'seq'] });
      d.createObjectStore('events', { keyPath: ['deployment', 'seq'] });
    },
  }).catch((e: unknown) => {
    dbp = null;
    throw e;
  });
  return dbp;
}

const range = (id: string) => IDBKeyRange.bound([id, 0], [id, MAX]);

/**
 * Appends `rows` after the last sequence number of `id` in `store`, all or nothing. The last number is read
 * inside the same transaction, so two writers can never interleave a batch; `add` refuses an existing key.
 */
async function appendRows<S extends 'entries' | 'events'>(store: S, id: string, make: (seq: number, i: number) => LiveDB[S]['value'], n: number, durability: IDBTransactionDurability): Promise<void> {
  const d = await liveDb();
  const tx = d.transaction(store, 'readwrite', { durability });
  const done = tx.done;
  try {
    const last = await tx.store.openKeyCursor(range(id), 'prev');
    let seq = last ? (last.key as [string, number])[1] + 1 : 0;
    const adds: Promise<unknown>[] = [];
    // A value that cannot be cloned throws here, after earlier adds were queued: they fail with the abort.
    for (let i = 0; i < n; i++) {
      const p = tx.store.add(make(seq++, i));
      p.catch(() => undefined);
      adds.push(p);
    }
    await Promise.all(adds);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already aborted by the failing request
    }
    await done.catch(() => undefined);
    throw new Error(`the live journal could not be written (nothing of this write was kept): ${(e as Error).message}`);
  }
  await done;
}

export class IdbJournal implements Journal {
  /**
   * `strict` (paper and live): a write resolves once it is flushed to disk. A practice deployment trades no
   * money and may use `relaxed` (committed and visible, flushed by the OS later; a crash can lose the last
   * steps, which a resume replays again from the data).
   */
  constructor(readonly id: string, private readonly durability: IDBTransactionDurability = 'strict') {}

  async read(): Promise<JournalEntry[]> {
    const rows = await (await liveDb()).getAll('entries', range(this.id));
    return rows.map((r) => r.entry);
  }

  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendRows('entries', this.id, (seq, i) => ({ deployment: this.id, seq, entry: entries[i]! }), entries.length, this.durability);
  }
}

export async function appendEvents(id: string, events: readonly LiveEvent[]): Promise<void> {
  if (events.length === 0) return;
  await appendRows('events', id, (seq, i) => ({ deployment: id, seq, event: events[i]! }), events.length, 'relaxed');
}

/** The last `limit` events of a deployment, oldest first. */
export async function readEvents(id: string, limit: number): Promise<LiveEvent[]> {
  const d = await liveDb();
  const out: LiveEvent[] = [];
  let c = await d.transaction('events').store.openCursor(range(id), 'prev');
  while (c && out.length < limit) {
    out.push(c.value.event);
    c = await c.continue();
  }
  return out.reverse();
}

export async function listDeployments(): Promise<DeploymentRecord[]> {
  return (await (await liveDb()).getAll('deployments')).sort((a, b) => b.createdAt - a.createdAt);
}

export async function getDeployment(id: string): Promise<DeploymentRecord | null> {
  return (await (await liveDb()).get('deployments', id)) ?? null;
}

export async function putDeployment(r: DeploymentRecord): Promise<void> {
  await (await liveDb()).put('deployments', r);
}

/** Forgets a deployment: its record, journal and events, in one transaction. */
export async function deleteDeployment(id: string): Promise<void> {
  const d = await liveDb();
  const tx = d.transaction(['deployments', 'entries', 'events'], 'readwrite');
  await Promise.all([tx.objectStore('deployments').delete(id), tx.objectStore('entries').delete(range(id)), tx.objectStore('events').delete(range(id))]);
  await tx.done;
}

/** Closes this context's connection (the next call opens a new one), as a reload would. */
export async function closeLiveDb(): Promise<void> {
  const p = dbp;
  dbp = null;
  if (p) (await p.catch(() => null))?.close();
}
