import type { BarColumns, BarField, StepSeries } from '../schema/bars.ts';
import type { BufferAllocator } from './columns.ts';
import type { EncodedFile } from './format.ts';
import type { RandomAccessReader, TimeRange } from './reader.ts';
import type { Prefault } from './prefault.ts';

/** One catalog row: a stored bar set or step series. */
export interface DatasetInfo {
  /** `bars:SYMBOL:TF` or `series:SYMBOL|*:NAME`. */
  id: string;
  kind: 'bars' | 'series';
  /** null for a global series. */
  symbol: string | null;
  /** Timeframe (bars) or series name (series). */
  key: string;
  first: number;
  last: number;
  rows: number;
  bytes: number;
  /** Where the data came from ("GOOG.csv", "synthetic seed 1", "embedded: vega-datasets sp500-2000"). */
  source: string;
  /** Epoch ms. */
  importedAt: number;
  adjusted: boolean;
  /** Name of the stored file (a new name per write, so a write never touches the live file). */
  file: string;
  /**
   * File format version of `file` (format.ts). Absent on rows written before the catalog's version 3: those
   * files are version 1, still read, and rewritten by `DatasetStore.migrate`.
   */
  format?: number;
}

export interface PutOptions {
  source?: string;
  adjusted?: boolean;
  /** Cancels the write; the previous data stay as they were. */
  signal?: AbortSignal;
}

export interface GetOptions {
  range?: TimeRange;
  /** Backing memory for the result (e.g. sharedAllocator to load straight into a SharedArrayBuffer). */
  alloc?: BufferAllocator;
  /**
   * Bars only: the price fields to read (time is always read); default all five. Fields not read are NaN
   * (one shared column), so load only what the plan reads (engine/fields.ts).
   */
  fields?: readonly BarField[];
  /** A helper thread taking the fresh pages of shared columns while they are read (prefault.ts); bars only. */
  prefault?: Prefault;
}

/**
 * The bar store: one interface, implemented over OPFS + IndexedDB in the browser, the file system in Node
 * and memory in tests. `put` is atomic: it either replaces the dataset and its catalog entry or, when it
 * fails or is cancelled, leaves both exactly as they were.
 */
export interface BarStore {
  list(): Promise<DatasetInfo[]>;
  info(symbol: string, timeframe: string): Promise<DatasetInfo | undefined>;
  /** null when the dataset is not stored. */
  get(symbol: string, timeframe: string, opts?: GetOptions): Promise<BarColumns | null>;
  put(bars: BarColumns, opts?: PutOptions): Promise<DatasetInfo>;
  delete(symbol: string, timeframe: string): Promise<boolean>;
  getSeries(name: string, symbol: string | null, opts?: GetOptions): Promise<StepSeries | null>;
  putSeries(series: StepSeries, opts?: PutOptions): Promise<DatasetInfo>;
  deleteSeries(name: string, symbol: string | null): Promise<boolean>;
}

/** An open stored file. */
export interface OpenFile extends RandomAccessReader {
  close(): Promise<void> | void;
}

/** Where file bytes live (OPFS, a directory, memory). */
export interface FileBackend {
  /** Writes a complete new file; on failure or abort it leaves no file of that name behind and throws. */
  write(name: string, file: EncodedFile, signal?: AbortSignal): Promise<void>;
  open(name: string): Promise<OpenFile>;
  remove(name: string): Promise<void>;
  /** Stored files, finished (`.col`) or left half-written by a kill (`.col.tmp`). */
  names(): Promise<string[]>;
  /** Last modification (epoch ms), when the backend knows it: lets start-up collection spare fresh files. */
  modifiedAt?(name: string): Promise<number>;
  /**
   * Runs `fn` while `name` is marked as being written, in a way every tab can see and that ends when the
   * writing tab or worker dies (OPFS: a Web Lock). With it, `busy` tells a live write from a killed one.
   */
  hold?<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Names some live writer holds right now (see `hold`); undefined when the backend cannot tell. */
  busy?(): Promise<Set<string> | undefined>;
}

/** Where catalog rows live (IndexedDB, a JSON file, memory). */
export interface CatalogBackend {
  list(): Promise<DatasetInfo[]>;
  get(id: string): Promise<DatasetInfo | undefined>;
  /** Replaces (or with null removes) one row in a single transaction. */
  set(id: string, info: DatasetInfo | null): Promise<void>;
  /**
   * Replaces row `id` with `info` only while it still names `expectFile`, in one transaction (another tab may
   * have re-imported the dataset meantime); true when it did. Backends without it are swapped by get + set
   * inside the store's queue (one writing process, as in Node).
   */
  swap?(id: string, expectFile: string, info: DatasetInfo): Promise<boolean>;
}

export const barsId = (symbol: string, timeframe: string) => `bars:${symbol}:${timeframe}`;
export const seriesId = (name: string, symbol: string | null) => `series:${symbol ?? '*'}:${name}`;

/** Stored files end in `.col`; `.col.tmp` is one being written (Node), left behind only by a kill. */
export const isStoreFile = (name: string) => name.endsWith('.col') || name.endsWith('.col.tmp');

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * A write that ran out of room. The previous data are untouched (the new file is removed); the message says
 * how much room is missing so the user can free that much. The browser's free-space estimate can disagree
 * with what it enforces (Chromium's estimate ignores a lowered quota, e.g. CDP's overrideQuotaForOrigin):
 * then the message says so and gives the bound it can prove, never a made-up "0.0 MB more".
 */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  /** Bytes more the browser would have to grant; undefined when its estimate gives no usable figure. */
  readonly missing: number | undefined;
  constructor(readonly file: string, readonly needed: number, readonly written: number, free: number | undefined, stage: 'file' | 'catalog' = 'file') {
    const short = free === undefined ? undefined : needed - (free + written);
    const missing = short !== undefined && short > 0 ? short : undefined;
    const room = missing !== undefined ? `, about ${mb(missing)} more room is needed`
      : free !== undefined ? `; the browser reports ${mb(free)} free but refused the write, so up to ${mb(needed)} more room may be needed`
        : '';
    const where = stage === 'catalog' ? 'the file was written but the catalog could not record it' : `the write stopped after ${mb(written)}`;
    super(`not enough storage to save ${needed > 0 ? mb(needed) : 'the data'}: ${where}${room}`
      + '; the previous data are kept. Delete datasets you no longer need or allow this site more storage, then import again');
    this.missing = missing;
  }
}

export const isQuotaError = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';

/** A write that did not fit: says how much room the file needs and how much the browser (if any) has left. */
export async function storageFullError(name: string, needed: number, written: number, stage: 'file' | 'catalog' = 'file'): Promise<StorageFullError> {
  let free: number | undefined;
  try {
    const est = await (globalThis.navigator as Navigator | undefined)?.storage?.estimate();
    if (est?.quota !== undefined && est.usage !== undefined) free = Math.max(0, est.quota - est.usage);
  } catch {
    // No estimate: the message says what is known.
  }
  return new StorageFullError(name, needed, written, free, stage);
}
