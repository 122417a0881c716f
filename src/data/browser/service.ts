import type { BarColumns, BarField, StepSeries } from '../../schema/bars.ts';
import { canShare, defaultAllocator } from '../columns.ts';
import { reserveNanColumn } from '../codec.ts';
import type { ImportOptions } from '../csv/import.ts';
import type { ProgressInfo } from '../csv/source.ts';
import { loadEmbeddedBars, loadEmbeddedSeries } from '../embedded/browser.ts';
import { EMBEDDED } from '../embedded/parse.ts';
import { importIntoStore } from '../import-to-store.ts';
import type { StoredActions } from '../actions-store.ts';
import { MAX_ACTIONS_BYTES, parseActions } from '../csv/actions.ts';
import { importSeries, type SeriesImportOptions } from '../csv/series.ts';
import type { TimeRange } from '../reader.ts';
import type { DatasetInfo, PutOptions } from '../store.ts';
import type { MigrationProgress, MigrationReport } from '../dataset-store.ts';
import { generateMinuteBars, type SyntheticOptions } from '../synthetic.ts';
import { createOpfsStore, type OpfsStore, type OpfsStoreOptions } from './opfs-store.ts';
import type { HelperPrefault } from '../prefault.ts';
import { loadSizes, type PlannedLoad } from '../load-sizes.ts';
import { reserveTouched, touchedState, type ReserveReport } from '../touched.ts';

/** Files no catalog row names and untouched this long are left by a kill or crash; removed at start-up. */
export const STARTUP_GC_AGE_MS = 10 * 60_000;

/** Opens the store and clears what a killed tab left behind (a failure to collect never blocks opening). */
async function openCollected(opts?: OpfsStoreOptions): Promise<OpfsStore> {
  const st = await createOpfsStore(opts);
  await st.collectGarbage({ olderThanMs: STARTUP_GC_AGE_MS }).catch(() => undefined);
  return st;
}

export interface OpenOptions extends OpfsStoreOptions {
  /**
   * Rewrite version-1 files in the compact format in the background after opening (default true). Reads
   * never wait for it: both formats are read. Tests that inspect a half-migrated store pass false.
   */
  migrate?: boolean;
}

export type WorkerImportOptions = Omit<ImportOptions, 'signal' | 'onProgress'>;

/**
 * What the data worker exposes over Comlink: imports with progress and cancel, the store, and loads into
 * SharedArrayBuffer columns (shared with the caller, not copied, when the page is cross-origin isolated).
 */
export interface DataServiceOptions {
  /** A helper thread that takes the fresh pages of bars read into shared memory (workers/import.worker.ts starts one). */
  prefault?: HelperPrefault;
}

/** Rows of the longest bar set in the catalog (0 when none). */
export function longestBars(rows: readonly DatasetInfo[]): number {
  let n = 0;
  for (const r of rows) if (r.kind === 'bars' && r.rows > n) n = r.rows;
  return n;
}

export function createDataService(opts: DataServiceOptions = {}) {
  const prefault = opts.prefault;
  let store: Promise<OpfsStore> | undefined;
  let migration: Promise<MigrationReport> | undefined;
  const jobs = new Map<string, AbortController>();
  const begin = (opts: OpenOptions = {}) => {
    const st = openCollected(opts);
    // A failure here (the store closed under it) changes nothing stored: the next open carries on.
    migration = opts.migrate === false ? undefined
      : st.then((x) => x.migrate()).catch((e: unknown) => ({ migrated: [], skipped: [], failed: [{ id: '*', reason: String(e) }] }));
    // Idle work: the NaN stand-in for fields a load does not read, as long as the longest stored bar set.
    if (canShare()) void st.then((x) => x.list()).then((rows) => reserveNanColumn(longestBars(rows))).catch(() => undefined);
    return st;
  };
  const s = () => (store ??= begin());

  return {
    /** How many column parts a helper thread took the pages of for loads (0 without one: see DataServiceOptions). */
    prefaulted(): number {
      return prefault?.answered() ?? 0;
    },
    /** Chooses the OPFS directory and IndexedDB database (tests use their own). */
    async open(opts: OpenOptions = {}): Promise<void> {
      (await store)?.close();
      store = begin(opts);
      await store;
    },
    /** The background migration started by the last open (null when it was not started). */
    async migration(): Promise<MigrationReport | null> {
      await s();
      return (await migration) ?? null;
    },
    /** Rewrites version-1 files now (DatasetStore.migrate); `onProgress` is awaited between steps. */
    async migrate(onProgress?: (p: MigrationProgress) => Promise<void> | void): Promise<MigrationReport> {
      await migration;
      return (await s()).migrate(onProgress);
    },
    /** Streams a File/Blob or byte stream into the store; the previous dataset survives any failure or cancel. */
    async importBars(jobId: string, source: Blob | ReadableStream<Uint8Array>, opts: WorkerImportOptions, onProgress?: (p: ProgressInfo) => void) {
      const ac = new AbortController();
      jobs.set(jobId, ac);
      try {
        const stream = source instanceof Blob ? source.stream() : source;
        const totalBytes = source instanceof Blob ? source.size : opts.totalBytes;
        const { report, info } = await importIntoStore(await s(), stream, { ...opts, totalBytes, signal: ac.signal, onProgress });
        return { report, info };
      } finally {
        jobs.delete(jobId);
      }
    },
    /**
     * Imports an external series file ((time, value) or (time, symbol, value)) with an optional publication
     * lag, and stores one series per symbol. Nothing is stored when no row is usable; a failure part-way
     * through a multi-symbol file leaves the series already written (each one is replaced atomically).
     */
    async importSeries(source: Blob, opts: Pick<SeriesImportOptions, 'fileName' | 'name' | 'lagMs'>) {
      const { series, report } = await importSeries(source.stream(), opts);
      if (report.rowsKept === 0) throw new Error(`${opts.fileName ?? 'series'}: no usable rows (${report.rowsRejected} rejected)`);
      const st = await s();
      const lag = report.lagMs ? `, lag ${report.lagMs / 86_400_000} d` : '';
      const infos: DatasetInfo[] = [];
      for (const one of series) infos.push(await st.putSeries(one, { source: `${opts.fileName ?? 'import'} (${report.timeColumn}${lag})` }));
      return { report, infos };
    },
    /**
     * Imports a corporate-actions CSV (docs/ENGINE.md, "Corporate actions"): every line is checked first and any problem rejects the
     * file with file:line:column; then the actions of every symbol it names are replaced in one IndexedDB
     * transaction, so a failure leaves what was stored before.
     */
    async importActions(source: Blob, fileName: string): Promise<StoredActions[]> {
      if (source.size > MAX_ACTIONS_BYTES) throw new Error(`${fileName}: ${source.size} bytes is too large for a corporate-actions file (limit ${MAX_ACTIONS_BYTES})`);
      const list = parseActions(await source.text(), fileName);
      if (list.length === 0) throw new Error(`${fileName}: no actions below the header`);
      return (await s()).actions.replaceActions(list, fileName);
    },
    async listActions(): Promise<StoredActions[]> {
      return (await s()).actions.listActions();
    },
    async deleteActions(symbol: string): Promise<boolean> {
      return (await s()).actions.deleteActions(symbol);
    },
    cancel(jobId: string): boolean {
      const ac = jobs.get(jobId);
      ac?.abort(new DOMException(`import ${jobId} cancelled`, 'AbortError'));
      return !!ac;
    },
    async list(): Promise<DatasetInfo[]> {
      return (await s()).list();
    },
    /**
     * Touches, now, the shared memory that whole loads of these sets (with these fields) will take, so the loads
     * do not wait for its page faults (touched.ts); replaces the previous reserve, and an empty list drops it.
     * Resolves once touched (or replaced). Nothing is reserved when the page cannot share memory.
     */
    async reserve(loads: readonly PlannedLoad[], fields?: readonly BarField[]): Promise<ReserveReport> {
      if (!canShare() || loads.length === 0) return reserveTouched([]);
      return reserveTouched(loadSizes(await (await s()).list(), loads, fields));
    },
    /** What the reserve holds, and how many reserved buffers loads took (tests and the bench read it). */
    reserved(): { buffers: number; bytes: number; made: number; taken: number } {
      return touchedState();
    },
    /** `fields`: only these price fields (time always); the rest are one NaN column (see GetOptions.fields). */
    async get(symbol: string, timeframe: string, range?: TimeRange, fields?: readonly BarField[]): Promise<BarColumns | null> {
      return (await s()).get(symbol, timeframe, { range, alloc: defaultAllocator(), ...(fields ? { fields } : {}), ...(prefault ? { prefault } : {}) });
    },
    async put(bars: BarColumns, opts: Omit<PutOptions, 'signal'> = {}): Promise<DatasetInfo> {
      return (await s()).put(bars, opts);
    },
    async delete(symbol: string, timeframe: string): Promise<boolean> {
      return (await s()).delete(symbol, timeframe);
    },
    async putSeries(series: StepSeries, opts: Omit<PutOptions, 'signal'> = {}): Promise<DatasetInfo> {
      return (await s()).putSeries(series, opts);
    },
    async getSeries(name: string, symbol: string | null): Promise<StepSeries | null> {
      return (await s()).getSeries(name, symbol);
    },
    async collectGarbage(opts?: { olderThanMs?: number }): Promise<string[]> {
      return (await s()).collectGarbage(opts);
    },
    /** Generates seeded synthetic minute bars inside the worker and stores them. */
    async storeSynthetic(opts: SyntheticOptions): Promise<DatasetInfo[]> {
      const st = await s();
      const out: DatasetInfo[] = [];
      for (const bars of generateMinuteBars(opts)) out.push(await st.put(bars, { source: `synthetic seed ${opts.seed ?? 1}` }));
      return out;
    },
    /** Stores the embedded vega-datasets bars (S&P 500 daily, five monthly stocks) and economic series. */
    async storeEmbedded(): Promise<DatasetInfo[]> {
      const st = await s();
      const out: DatasetInfo[] = [];
      for (const bars of await loadEmbeddedBars()) out.push(await st.put(bars, { source: 'embedded: vega-datasets' }));
      for (const series of await loadEmbeddedSeries()) out.push(await st.putSeries(series, { source: EMBEDDED.employment.source }));
      return out;
    },
    /** Stores only the embedded economic series (US nonfarm payrolls), for a run that reads one. */
    async storeEmbeddedSeries(): Promise<DatasetInfo[]> {
      const st = await s();
      const out: DatasetInfo[] = [];
      for (const series of await loadEmbeddedSeries()) out.push(await st.putSeries(series, { source: EMBEDDED.employment.source }));
      return out;
    },
    async deleteSeries(name: string, symbol: string | null): Promise<boolean> {
      return (await s()).deleteSeries(name, symbol);
    },
    async close(): Promise<void> {
      (await store)?.close();
      store = undefined;
    },
  };
}

export type DataService = ReturnType<typeof createDataService>;
