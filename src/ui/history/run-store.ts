import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Curves, RunResult, Stats, StrategyDocument, Trade } from '../../schema/index.ts';
import { tradeRows } from '../../rpc/trade-rows.ts';

/** A finished run as the history keeps it: enough to list, compare and chart it, not the full audit log. */
export interface StoredRun {
  /** Identity of the run: equal for identical runs (same document, engine and outcome), so they keep one row. */
  id: string;
  /** The user's own name for the run, kept when an identical run replaces it. */
  label?: string;
  /** Epoch ms when the run finished. */
  time: number;
  name: string;
  doc: StrategyDocument;
  stats: Stats;
  /** Curves sampled to at most CURVE_POINTS points. */
  curves: Curves;
  /** The first MAX_TRADES trades; `tradeCount` in stats says how many there were. */
  trades: Trade[];
  barCount: number;
  engineVersion: string;
}

export const CURVE_POINTS = 1000;
export const MAX_TRADES = 1000;
/** Older runs beyond this are dropped on save, so the history cannot grow without bound. */
export const MAX_RUNS = 100;

interface RunsDB extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { time: number } };
}

/** Every `step`-th point plus the last one, so the final equity of a sampled curve is exact. */
function sample(a: Float64Array, step: number): Float64Array {
  if (step <= 1) return a.slice();
  const n = a.length;
  const out = new Float64Array(Math.ceil(n / step) + ((n - 1) % step === 0 ? 0 : 1));
  let j = 0;
  for (let i = 0; i < n; i += step) out[j++] = a[i]!;
  if ((n - 1) % step !== 0) out[j] = a[n - 1]!;
  return out;
}

export function compactCurves(c: Curves, points = CURVE_POINTS): Curves {
  const step = Math.max(1, Math.ceil(c.time.length / points));
  return { time: sample(c.time, step), equity: sample(c.equity, step), drawdown: sample(c.drawdown, step), benchmark: sample(c.benchmark, step) };
}

/** The first n trades of a run as objects (a pool result's are made from its columns, only these n). */
export function firstTrades(r: RunResult, n: number): Trade[] {
  const rows = tradeRows(r);
  return Array.from({ length: Math.min(n, rows.length) }, (_, i) => rows.at(i));
}

export function compactRun(doc: StrategyDocument, r: RunResult, time: number, id: string): StoredRun {
  return {
    id, time, name: doc.name, doc, stats: r.stats, curves: compactCurves(r.curves), trades: firstTrades(r, MAX_TRADES),
    barCount: r.barCount, engineVersion: r.engineVersion,
  };
}

/**
 * The id of a run: a digest of its document, engine version and outcome. Runs are deterministic, so an
 * identical re-run yields the same id and replaces its row (newer time, same label) instead of piling up.
 */
export async function runIdentity(doc: StrategyDocument, r: Pick<RunResult, 'engineVersion' | 'barCount' | 'stats'>): Promise<string> {
  const text = JSON.stringify({ doc, engine: r.engineVersion, bars: r.barCount, stats: r.stats });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The run history in its own IndexedDB database (the job queue and data catalog have theirs). */
export class RunStore {
  private constructor(private readonly db: IDBPDatabase<RunsDB>) {}

  static async open(name = 'backtester-runs'): Promise<RunStore> {
    const db = await openDB<RunsDB>(name, 1, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' }).createIndex('time', 'time');
      },
    });
    return new RunStore(db);
  }

  /** Adds a run, or refreshes the identical one already kept (its label survives). */
  async save(run: StoredRun): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const old = await tx.store.get(run.id);
    await tx.store.put(old?.label !== undefined && run.label === undefined ? { ...run, label: old.label } : run);
    const keys = await tx.store.index('time').getAllKeys();
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_RUNS))) await tx.store.delete(k);
    await tx.done;
  }

  /** Newest first. */
  async list(): Promise<StoredRun[]> {
    return (await this.db.getAllFromIndex('runs', 'time')).reverse();
  }

  /** Names a run; an empty label removes the name. */
  async relabel(id: string, label: string): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const run = await tx.store.get(id);
    if (run) {
      const { label: _old, ...rest } = run;
      await tx.store.put(label.trim() ? { ...rest, label: label.trim() } : rest);
    }
    await tx.done;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('runs', id);
  }

  close(): void {
    this.db.close();
  }
}
