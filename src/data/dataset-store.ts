import type { BarColumns, StepSeries } from '../schema/bars.ts';
import { wallClock, type Clock } from '../lib/clock.ts';
import { encodeBars, encodeSeries, readBars, readSeries } from './codec.ts';
import { BarFormatError, FORMAT_V1, FORMAT_VERSION, type EncodedFile } from './format.ts';
import { readHeader } from './reader.ts';
import {
  barsId, isQuotaError, seriesId, storageFullError, type BarStore, type CatalogBackend, type DatasetInfo, type FileBackend, type GetOptions, type PutOptions,
} from './store.ts';
import { abortError } from './abort.ts';

const TMP = '.tmp';

function generation(): string {
  const b = new Uint8Array(6);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._^=-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** One step of `migrate`: a file rewritten (not yet in the catalog), a row swapped to it, or a dataset left as it was. */
export interface MigrationProgress {
  id: string;
  /** Datasets finished (migrated, skipped or failed) so far, of `total`. */
  done: number;
  total: number;
  phase: 'written' | 'migrated' | 'skipped' | 'failed';
  /** Why a dataset was skipped (re-imported meanwhile) or failed (its old file is unreadable: it stays as it was). */
  reason?: string;
}

export interface MigrationReport {
  migrated: string[];
  skipped: string[];
  failed: { id: string; reason: string }[];
}

/** Options of a write that replaces one known file (a migration): keeps the row's metadata, swaps only if unchanged. */
interface Replace {
  from: DatasetInfo;
  beforeSwap?: () => Promise<void> | void;
}

/**
 * The store protocol on top of any file + catalog backend. A put writes a NEW file (fresh name), then
 * swaps the catalog row in one transaction, then removes the old file: until the swap the old row and
 * file are untouched, so a failed or cancelled put changes nothing. A crash between the swap and the
 * removal only leaves an orphan file, which `collectGarbage` removes.
 */
export class DatasetStore implements BarStore {
  private readonly inFlight = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly files: FileBackend, readonly catalog: CatalogBackend, private readonly clock: Clock = wallClock) {}

  list(): Promise<DatasetInfo[]> {
    return this.catalog.list();
  }

  /**
   * Rewrites every dataset whose row names an older file format (version 1: raw float64) in the current one,
   * one dataset at a time, each with the put protocol: the new file is written and verified under a fresh
   * name, the row is swapped to it in one transaction only if it still names the old file, then the old file
   * goes. Killed at any point, every row names a complete file of either format (both are read), the rest
   * is done by the next call, and a half-written new file is an orphan for `collectGarbage`. A dataset whose
   * old file cannot be read is left exactly as it was and reported. Values read back are bit-identical.
   * `onProgress` is awaited, so a caller sees each step before the next begins.
   */
  async migrate(onProgress?: (p: MigrationProgress) => Promise<void> | void): Promise<MigrationReport> {
    const todo = (await this.catalog.list()).filter((r) => (r.format ?? FORMAT_V1) < FORMAT_VERSION).sort((a, b) => (a.id < b.id ? -1 : 1));
    const report: MigrationReport = { migrated: [], skipped: [], failed: [] };
    let done = 0;
    const step = (id: string, phase: MigrationProgress['phase'], reason?: string) =>
      onProgress?.({ id, done, total: todo.length, phase, ...(reason ? { reason } : {}) });
    for (const row of todo) {
      let swapped: boolean;
      try {
        const enc = row.kind === 'bars'
          ? await this.read(row.file, async (f) => encodeBars(await readBars(f)))
          : await this.read(row.file, async (f) => encodeSeries(await readSeries(f)));
        const info = await this.write(row.id, row.kind, row.symbol, row.key, enc, row.rows, [row.first, row.last], { source: row.source, adjusted: row.adjusted },
          { from: row, beforeSwap: () => step(row.id, 'written') });
        swapped = info !== null;
      } catch (e) {
        done++;
        const reason = e instanceof Error ? e.message : String(e);
        report.failed.push({ id: row.id, reason });
        await step(row.id, 'failed', reason);
        continue;
      }
      done++;
      (swapped ? report.migrated : report.skipped).push(row.id);
      await (swapped ? step(row.id, 'migrated') : step(row.id, 'skipped', 'replaced while it was being rewritten'));
    }
    return report;
  }

  info(symbol: string, timeframe: string): Promise<DatasetInfo | undefined> {
    return this.catalog.get(barsId(symbol, timeframe));
  }

  async get(symbol: string, timeframe: string, opts: GetOptions = {}): Promise<BarColumns | null> {
    const info = await this.catalog.get(barsId(symbol, timeframe));
    if (!info) return null;
    return this.read(info.file, (f) => readBars(f, opts.range, opts.alloc, opts.fields, opts.prefault));
  }

  async getSeries(name: string, symbol: string | null, opts: GetOptions = {}): Promise<StepSeries | null> {
    const info = await this.catalog.get(seriesId(name, symbol));
    if (!info) return null;
    return this.read(info.file, (f) => readSeries(f, opts.range, opts.alloc));
  }

  async put(bars: BarColumns, opts: PutOptions = {}): Promise<DatasetInfo> {
    return this.write(barsId(bars.symbol, bars.timeframe), 'bars', bars.symbol, bars.timeframe, encodeBars(bars), bars.length,
      bars.length ? [bars.time[0]!, bars.time[bars.length - 1]!] : [NaN, NaN], opts);
  }

  async putSeries(s: StepSeries, opts: PutOptions = {}): Promise<DatasetInfo> {
    return this.write(seriesId(s.name, s.symbol), 'series', s.symbol, s.name, encodeSeries(s), s.length,
      s.length ? [s.time[0]!, s.time[s.length - 1]!] : [NaN, NaN], opts);
  }

  delete(symbol: string, timeframe: string): Promise<boolean> {
    return this.remove(barsId(symbol, timeframe));
  }

  deleteSeries(name: string, symbol: string | null): Promise<boolean> {
    return this.remove(seriesId(name, symbol));
  }

  /**
   * Removes files no catalog row points to (left by a crash or a kill mid-write, `.col.tmp` included);
   * returns their names. Files another live tab is writing are spared: by the backend's write marks when it
   * has them (`busy`), else by age (`olderThanMs`, passed by the automatic collection at start-up).
   */
  async collectGarbage(opts: { olderThanMs?: number } = {}): Promise<string[]> {
    return this.serial(async () => {
      const live = new Set((await this.catalog.list()).map((d) => d.file));
      // A backend that marks writes (OPFS: Web Locks, released when a tab or worker dies) tells a killed
      // write from another tab's live one, so no age is needed; otherwise fresh files are spared.
      const busy = await this.files.busy?.().catch(() => undefined);
      const orphans: string[] = [];
      for (const n of await this.files.names()) {
        const base = n.endsWith(TMP) ? n.slice(0, -TMP.length) : n;
        if (live.has(n) || this.inFlight.has(base) || busy?.has(base)) continue;
        if (!busy && opts.olderThanMs && this.files.modifiedAt) {
          const at = await this.files.modifiedAt(n).catch(() => NaN);
          if (!(this.clock.now() - at >= opts.olderThanMs)) continue;
        }
        orphans.push(n);
      }
      for (const n of orphans) await this.files.remove(n);
      return orphans;
    });
  }

  /**
   * Proves a freshly written file before the catalog points at it: it opens, its header parses (which
   * checks the size the header implies), its row count and times are the ones written, and its last 8
   * bytes are the last 8 encoded. A short or silently failed write is caught here, with the old data kept.
   */
  private async verify(file: string, enc: EncodedFile, rows: number, first: number, last: number): Promise<void> {
    const f = await this.files.open(file);
    try {
      if (f.size !== enc.totalBytes) throw new BarFormatError(file, `written file has ${f.size} of ${enc.totalBytes} bytes`);
      const h = await readHeader(f);
      if (h.count !== rows || !Object.is(h.first, first) || !Object.is(h.last, last)) {
        throw new BarFormatError(file, `written file reads back ${h.count} rows, expected ${rows}`);
      }
      let tail: Uint8Array = enc.header;
      for (const p of enc.pieces()) if (p.length) tail = p;
      const want = tail.subarray(Math.max(0, tail.length - 8));
      const got = new Uint8Array(want.length);
      await f.read(got, enc.totalBytes - want.length);
      if (got.some((b, i) => b !== want[i])) throw new BarFormatError(file, 'written file does not read back as written');
    } finally {
      await f.close();
    }
  }

  private async read<T>(file: string, fn: (f: Awaited<ReturnType<FileBackend['open']>>) => Promise<T>): Promise<T> {
    const f = await this.files.open(file);
    try {
      return await fn(f);
    } finally {
      await f.close();
    }
  }

  /** Catalog swaps run one at a time so two puts of one dataset cannot both think they replaced the same file. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private write(id: string, kind: 'bars' | 'series', symbol: string | null, key: string, enc: EncodedFile, rows: number,
    range: [number, number], opts: PutOptions): Promise<DatasetInfo>;
  private write(id: string, kind: 'bars' | 'series', symbol: string | null, key: string, enc: EncodedFile, rows: number,
    range: [number, number], opts: PutOptions, replace: Replace): Promise<DatasetInfo | null>;
  private async write(id: string, kind: 'bars' | 'series', symbol: string | null, key: string, enc: EncodedFile, rows: number,
    [first, last]: [number, number], opts: PutOptions, replace?: Replace): Promise<DatasetInfo | null> {
    const file = `${kind}~${safe(symbol ?? '*')}~${safe(key)}~${generation()}.col`;
    // Marked from the first byte to the catalog swap: until then only this writer may judge the file.
    const go = () => this.writeMarked(file, id, kind, symbol, key, enc, rows, first, last, opts, replace);
    return this.files.hold ? this.files.hold(file, go) : go();
  }

  /** The catalog swap: unconditional for a put; for a migration only while the row still names the old file. */
  private async swapRow(id: string, info: DatasetInfo, replace: Replace | undefined): Promise<{ ok: boolean; old?: DatasetInfo }> {
    if (!replace) {
      const old = await this.catalog.get(id);
      await this.catalog.set(id, info);
      return { ok: true, old };
    }
    if (this.catalog.swap) return { ok: await this.catalog.swap(id, replace.from.file, info), old: replace.from };
    const cur = await this.catalog.get(id);
    if (cur?.file !== replace.from.file) return { ok: false };
    await this.catalog.set(id, info);
    return { ok: true, old: replace.from };
  }

  private async writeMarked(file: string, id: string, kind: 'bars' | 'series', symbol: string | null, key: string, enc: EncodedFile,
    rows: number, first: number, last: number, opts: PutOptions, replace?: Replace): Promise<DatasetInfo | null> {
    this.inFlight.add(file);
    try {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      await this.files.write(file, enc, opts.signal);
      try {
        await this.verify(file, enc, rows, first, last);
      } catch (e) {
        await this.files.remove(file).catch(() => undefined);
        throw e;
      }
      const info: DatasetInfo = {
        id, kind, symbol, key, first, last, rows, bytes: enc.totalBytes, source: opts.source ?? '',
        importedAt: replace ? replace.from.importedAt : this.clock.now(), adjusted: opts.adjusted ?? false, file, format: FORMAT_VERSION,
      };
      let swap: { ok: boolean; old?: DatasetInfo };
      try {
        await replace?.beforeSwap?.();
        swap = await this.serial(async () => {
          if (opts.signal?.aborted) throw abortError(opts.signal);
          return this.swapRow(id, info, replace);
        });
      } catch (e) {
        await this.files.remove(file).catch(() => undefined);
        // The catalog can hit the quota after the file fit (IndexedDB and OPFS share it): the same clear error.
        throw isQuotaError(e) ? await storageFullError(file, enc.totalBytes, enc.totalBytes, 'catalog') : e;
      }
      if (!swap.ok) {
        await this.files.remove(file).catch(() => undefined);
        return null;
      }
      if (swap.old && swap.old.file !== file) await this.files.remove(swap.old.file).catch(() => undefined);
      return info;
    } finally {
      this.inFlight.delete(file);
    }
  }

  private remove(id: string): Promise<boolean> {
    return this.serial(async () => {
      const info = await this.catalog.get(id);
      if (!info) return false;
      await this.catalog.set(id, null);
      await this.files.remove(info.file).catch(() => undefined);
      return true;
    });
  }
}
