import type { StoredActions } from '../data/actions-store.ts';
import type { DatasetInfo } from '../data/store.ts';
import type { TimeRange } from '../data/reader.ts';
import type { MarketData } from '../engine/market.ts';
import type { AssetOverlay, ColumnEntry, DataNeeds, Explanation } from '../rpc/engine-api.ts';
import type { JobQueue, JobState } from '../rpc/job-queue.ts';
import { abortError, type EnginePool } from '../rpc/pool.ts';
import { BAR_FIELDS, finerRange, finerTimeframe, oneTimeView, wantsFinerData, type BarColumns, type BarField, type CorporateAction, type RunResult, type Settings, type StepSeries, type StrategyDocument } from '../schema/index.ts';
import type { Runner, RunOptions, RunPhase } from './runner.ts';
import { optimizeOnPool, type Optimizer, type OptimizeRunOptions } from './runner-optimize.ts';
import type { OptimizeJob, OptimizeJobResult } from '../optimize/job.ts';

/** Where bars come from: the data worker's API (Remote<DataService>) has exactly these. */
export interface BarSource {
  list(): Promise<DatasetInfo[]>;
  /** `fields`: only these price fields (time always); the others may be one NaN column (the data worker's get). */
  get(symbol: string, timeframe: string, range?: TimeRange, fields?: readonly BarField[]): Promise<BarColumns | null>;
  getSeries(name: string, symbol: string | null): Promise<StepSeries | null>;
  /** The stored corporate actions (Data page): every run gets those of its symbols, as the CLI's --actions gives them. */
  listActions(): Promise<StoredActions[]>;
  /** Touches the shared memory whole loads of these sets will take (the data worker's reserve); [] drops it. Optional. */
  reserve?(loads: readonly { symbol: string; timeframe: string }[], fields?: readonly BarField[]): Promise<unknown>;
}

const PHASE: Partial<Record<JobState, RunPhase>> = { QUEUED: 'queued', WARMING_UP: 'warmingUp', RUNNING: 'running' };

/** A loaded data set and what it holds: the runner keeps the last one while the catalog says its files are unchanged. */
interface Loaded {
  key: string;
  files: string;
  /** The price fields its bars hold (the others are one NaN column): what the documents run on it read. */
  fields: readonly BarField[];
  data: MarketData;
  /** The same bars with every field, for the price chart: the fields above shared, the others read when first asked. */
  full: Promise<MarketData> | null;
}

/**
 * The UI's Runner on the engine pool: asks a worker what the document reads, loads those bars from the
 * store (into SharedArrayBuffers when the page is isolated), and runs it as a persisted job. Only the price
 * fields the document reads are loaded (DataNeeds.fields: W2 reads open and close of 6 fields, so a third
 * less to read and hold); the price chart, which draws every field, gets the others read beside them and
 * the run's indicator columns handed over (pool.overlays' `base`). The last loaded data set is kept while
 * the catalog says its files are unchanged, so re-running after an edit skips the load and the workers
 * keep their indicator columns.
 */
export class PoolRunner implements Runner, Optimizer {
  private cached: Loaded | null = null;
  /** The key (plan) of the load the data worker's reserve was last asked for, until that load ends. */
  private reservedFor: string | null = null;

  constructor(private readonly pool: EnginePool, private readonly queue: () => Promise<JobQueue>, private readonly source: BarSource) {}

  /** False when bars are copied to each worker (no cross-origin isolation): the UI says it is slower. */
  get shared(): boolean {
    return this.pool.shared;
  }

  /** Stops the workers and closes the job queue (the page or the test is done with this runner). */
  async close(): Promise<void> {
    this.pool.close();
    (await this.queue()).close();
  }

  /** A search over the document's parameters on the same bars a run reads (see runner-optimize.ts). */
  async optimize(doc: StrategyDocument, job: OptimizeJob, opts: OptimizeRunOptions = {}): Promise<OptimizeJobResult> {
    const data = await this.dataFor(doc, opts.signal);
    return optimizeOnPool(this.pool, data, doc, job, opts);
  }

  /** Starts the engine workers ahead of the first run (EnginePool.warm); the app calls it when the page is idle. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  async run(doc: StrategyDocument, opts: RunOptions = {}): Promise<RunResult> {
    const { signal, onProgress } = opts;
    const check = () => { if (signal?.aborted) throw abortError(); };
    onProgress?.({ phase: 'queued', fraction: null });
    const needs = await this.pool.needs(doc, undefined, signal);
    check();
    onProgress?.({ phase: 'warmingUp', fraction: null });
    const data = await this.load(needs, doc.settings, { doc, signal });
    check();
    const queue = await this.queue();
    let phase: RunPhase = 'queued';
    const job = queue.submit({ doc, data }, {
      signal,
      onState: (j) => {
        const p = PHASE[j.state];
        if (p && p !== phase) { phase = p; onProgress?.({ phase, fraction: p === 'running' ? 0 : null }); }
      },
      onProgress: (fraction) => { if (phase === 'running') onProgress?.({ phase, fraction }); },
    });
    return job.result;
  }

  async explain(doc: StrategyDocument, time: number, signal?: AbortSignal): Promise<Explanation[]> {
    return this.pool.explain({ doc, data: await this.dataFor(doc, signal) }, time, signal);
  }

  async overlays(doc: StrategyDocument, points: number, signal?: AbortSignal): Promise<AssetOverlay[]> {
    const data = await this.dataFor(doc, signal);
    const full = await this.withEveryField(data);
    if (signal?.aborted) throw abortError();
    return this.pool.overlays({ doc, data: full }, points, signal, full === data ? undefined : data);
  }

  async series(doc: StrategyDocument, signal?: AbortSignal): Promise<readonly StepSeries[]> {
    return (await this.dataFor(doc, signal)).series ?? [];
  }

  /** The data set a document reads; after a run of it this is the cached one, so workers reuse their indicator columns. */
  private async dataFor(doc: StrategyDocument, signal?: AbortSignal): Promise<MarketData> {
    const needs = await this.pool.needs(doc, undefined, signal);
    const data = await this.load(needs, doc.settings);
    if (signal?.aborted) throw abortError();
    return data;
  }

  /**
   * `data` (the cached data set) with every price field: its own columns shared, the fields it lacks read
   * from the same files (once per data set). The catalog named the same files, so the rows are the same;
   * a file replaced in between is caught by its length and end times, and the chart then fails clearly.
   */
  private withEveryField(data: MarketData): Promise<MarketData> {
    const c = this.cached;
    if (!c || c.data !== data || BAR_FIELDS.every((f) => c.fields.includes(f))) return Promise.resolve(data);
    const missing = BAR_FIELDS.filter((f) => !c.fields.includes(f));
    c.full ??= (async () => {
      const bars = await Promise.all(data.bars.map(async (b) => {
        const more = await this.source.get(b.symbol, b.timeframe, undefined, missing);
        const n = b.length;
        if (!more || more.length !== n || (n > 0 && (more.time[0] !== b.time[0] || more.time[n - 1] !== b.time[n - 1]))) {
          throw new Error(`the stored ${b.timeframe} bars of ${b.symbol} changed since the run: run it again`);
        }
        const pick = (f: BarField) => (c.fields.includes(f) ? b[f] : more[f]);
        return { ...b, open: pick('open'), high: pick('high'), low: pick('low'), close: pick('close'), volume: pick('volume') };
      }));
      return { ...data, bars };
    })();
    c.full.catch(() => { if (this.cached === c) c.full = null; });
    return c.full;
  }

  /**
   * What a load of `needs` reads and whether the kept data set serves it: its key, the catalog's files (and the
   * symbols' corporate actions) it must still match, and the price fields to read.
   */
  private async plan(needs: DataNeeds, settings: Settings) {
    const { assets, timeframe, series } = needs;
    const rows = await this.source.list();
    const catalog = new Map(rows.map((d) => [d.id, d.file]));
    const finerTf = wantsFinerData(settings)
      ? assets.map((s) => finerTimeframe(timeframe, rows.filter((d) => d.kind === 'bars' && d.symbol === s).map((d) => d.key)))
      : null;
    const range: TimeRange = finerTf ? finerRange(settings) : {};
    const key = JSON.stringify([timeframe, assets, series, finerTf, range]);
    const ids = [
      ...assets.map((s) => `bars:${s}:${timeframe}`), ...series.map((s) => `series:${s.symbol ?? '*'}:${s.name}`),
      ...(finerTf ?? []).map((tf, i) => (tf ? `bars:${assets[i]}:${tf}` : '')),
    ];
    // Splits and dividends of the run's symbols: a few objects, read on every load so an import or a delete
    // on the Data page reaches the next run (they are part of what the cached data set must still match).
    const actions: CorporateAction[] = (await this.source.listActions()).filter((r) => assets.includes(r.symbol)).flatMap((r) => r.actions);
    const files = `${ids.map((id) => catalog.get(id) ?? '').join('|')}|${JSON.stringify(actions)}`;
    const same = this.cached?.key === key && this.cached.files === files ? this.cached : null;
    // A document reading a field the kept set lacks loads again with both sets' fields (the next edit back reuses it).
    const fields = BAR_FIELDS.filter((f) => needs.fields.includes(f) || same?.fields.includes(f));
    return { key, files, fields, same, actions, finerTf, range };
  }

  /**
   * Readies a Run of `doc` while the page is idle (the app calls it a moment after an edit): the data worker
   * touches the shared memory its bars will load into (src/data/touched.ts), so the load does not wait for
   * page faults. Nothing when the kept data set serves the document, when the page cannot share memory, or
   * when the source cannot reserve. The reserve is replaced by the next call and dropped after the next load.
   */
  async prepare(doc: StrategyDocument): Promise<void> {
    if (!this.pool.shared || !this.source.reserve) return;
    const needs = await this.pool.needs(doc);
    const { key, same, fields } = await this.plan(needs, doc.settings);
    const served = same !== null && needs.fields.every((f) => same.fields.includes(f));
    this.reservedFor = served ? null : key;
    await this.source.reserve(served ? [] : needs.assets.map((symbol) => ({ symbol, timeframe: needs.timeframe })), fields);
  }

  /**
   * The bars and series a document reads. A finerData document also gets, per asset, the finest stored
   * timeframe below the run's (the bar magnifier's finer bars), only over the document's range; an asset
   * without one is left to the pessimistic rule and the run's warnings say so.
   */
  private async load(needs: DataNeeds, settings: Settings, run?: { doc: StrategyDocument; signal?: AbortSignal | undefined }): Promise<MarketData> {
    const { assets, timeframe, series } = needs;
    const { key, files, fields, same, actions, finerTf, range } = await this.plan(needs, settings);
    if (same && needs.fields.every((f) => same.fields.includes(f))) return same.data;
    // A run on shared memory has each asset's indicator columns computed by the pool as the asset arrives,
    // while the data worker reads the next (pool.provideColumns); the run then only seeds them. They are
    // cancelled with the run, or when any part of the load fails: no worker computes columns nobody reads.
    const early = run && this.pool.shared ? { ...run, ahead: new AbortController(), columns: [] as Promise<ColumnEntry[]>[] } : null;
    early?.signal?.addEventListener('abort', () => early.ahead.abort(), { once: true });
    let bars: BarColumns[], steps: StepSeries[], finer: BarColumns[] | null;
    try {
      bars = await Promise.all(assets.map(async (s) => {
        const b = await this.source.get(s, timeframe, undefined, fields);
        if (!b) throw new Error(`no ${timeframe} bars stored for ${s}: import them on the Data page`);
        if (early) {
          const mine = actions.filter((a) => a.symbol === s);
          const c = this.pool.assetColumns(early.doc, undefined, b, mine.length ? mine : undefined, early.ahead.signal);
          c.catch(() => undefined); // a load that fails drops these; a run that gets them reports their error
          early.columns.push(c);
        }
        return b;
      }));
      steps = await Promise.all(series.map(async (s) => {
        const v = await this.source.getSeries(s.name, s.symbol);
        if (!v) throw new Error(`series "${s.name}"${s.symbol ? ` for ${s.symbol}` : ''} is not stored`);
        return v;
      }));
      finer = finerTf && (await Promise.all(finerTf.map((tf, i) => (tf ? this.source.get(assets[i]!, tf, range) : null))))
        .filter((b): b is BarColumns => b !== null);
    } catch (e) {
      early?.ahead.abort();
      throw e;
    } finally {
      // What the reserve made for this load and it did not take (sets aligned otherwise than planned) is let go;
      // a reserve made meanwhile for another document's load is left for it.
      if (this.reservedFor === key && this.source.reserve) {
        this.reservedFor = null;
        void this.source.reserve([]).catch(() => undefined);
      }
    }
    if (this.cached) this.releaseCached(this.cached);
    bars = oneTimeView(bars);
    const data: MarketData = { bars, series: steps, ...(finer ? { finer } : {}), ...(actions.length ? { actions } : {}) };
    this.cached = { key, files, fields, data, full: null };
    if (early) this.pool.provideColumns(data, early.doc, undefined, early.columns);
    return data;
  }

  private releaseCached(c: Loaded): void {
    void this.pool.release(c.data);
    void c.full?.then((d) => this.pool.release(d), () => undefined);
  }
}

