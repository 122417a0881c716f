import { writeProgress } from '../lib/progress.ts';
import type { BarColumns, BarField, CorporateAction, RunResult, Stats, StrategyDocument } from '../schema/index.ts';
import { barFields } from './fields.ts';
import { compile, type ParamValues, type Plan } from '../strategy/index.ts';
import { CancelledError, Explainer, explainWalks, runBacktest, signalShare } from './backtest.ts';
import type { SignalShare } from './fast/signals.ts';
import { computeColumns, IndicatorCache } from './indicator-cache.ts';
import { columnsTransient } from './fast/transient.ts';
import { prepareTimes } from './fast/columns.ts';
import type { Explanation } from './kernel.ts';
import { runData } from './corporate.ts';
import type { MarketData } from './market.ts';
import type { Schedule } from '../lib/timer.ts';
import { chartOverlays, type AssetOverlay } from './overlays.ts';
import { primeData, primeDocument, primeLogs } from './prime.ts';

export type { AssetOverlay, OverlayLine } from './overlays.ts';

/** One backtest as an engine worker receives it: data by id (loaded once per worker), the rest by value. */
export interface EngineTask {
  /** Pool-wide task id, echoed in progress reports. */
  id: number;
  dataId: string;
  doc: StrategyDocument;
  params?: ParamValues;
  /** Record signal traces (default true; optimizer batches turn it off). */
  audit?: boolean;
  /** Trades, orders and signals as columns where the compiled walk runs (RunOptions.columns; runColumns asks). */
  columns?: boolean;
  /** Shared flag: non-zero at index 0 stops the run (checked between indicators and every 4096 steps). */
  cancel?: Int32Array;
  /** Parts of this run's signal pass computed on other workers (signalShare; RunOptions.shares). */
  shares?: readonly SignalShare[];
  /**
   * Shared mode: the run's progress goes here (lib/progress.ts) for the pool to read, instead of a message per
   * report (ProgressSink); only its first report, 0, is still sent.
   */
  progress?: Int32Array;
}

/** Part `part` of `parts` of a run's signal pass (the pool computes the parts on as many workers at once). */
export interface ShareTask {
  id: number;
  dataId: string;
  doc: StrategyDocument;
  params?: ParamValues;
  part: number;
  parts: number;
  /** Shared flag: non-zero at index 0 stops the part (checked between its signal groups). */
  cancel?: Int32Array;
}

/** A chunk of optimizer candidates: one message runs them all on one data set and returns only their stats. */
export interface EvaluateTask {
  /** Pool-wide task id, echoed in progress reports. */
  id: number;
  dataId: string;
  doc: StrategyDocument;
  params: ParamValues[];
  /** Shared flag: non-zero at index 0 stops the chunk (checked between candidates and inside each run). */
  cancel?: Int32Array;
  /** 'reference' runs every candidate on the kernel's step-by-step walk (the benches' same-run comparison); default 'auto'. */
  engine?: 'auto' | 'reference';
  /**
   * Sweep columns lent for this chunk alone (a budgeted sweep, src/rpc/pool.ts): the worker's cache holds
   * them while the chunk runs and lets go of them before it answers, so the pool may write other columns
   * into their memory afterwards. Keys the cache holds already are read from the cache.
   */
  columns?: readonly SweepColumn[];
}

/** What a sweep's candidates read: the distinct sweep columns, and per candidate which of them (indices). */
export interface SweepNeeds {
  /** `outputs` columns of `length` values each (8 bytes a value). */
  columns: { id: string; asset: string; key: string; outputs: number; length: number }[];
  /** Per candidate, in input order: indices into `columns`; none for a candidate the compiler rejects. */
  reads: number[][];
}

/**
 * One indicator's columns that some candidate of a sweep reads, named by asset and IndicatorCache key (not by
 * plan: no single candidate's plan holds them all). SharedArrayBuffer-backed, so posting it copies nothing.
 */
export interface SweepColumn {
  /** `asset|key`: unique within one data set and price mode. */
  id: string;
  asset: string;
  key: string;
  columns: Float64Array[];
}

/** Indicator columns one worker computed, to seed another's cache (SharedArrayBuffer-backed: posting them copies nothing). */
export interface ColumnEntry {
  /** Position in the plan's indicator list, and IndicatorCache.keyOf of the columns (checked when seeding). */
  index: number;
  key: string;
  columns: Float64Array[];
}

/** What a run reads beyond bars: the assets and step series a document needs, so a caller loads only those. */
export interface DataNeeds {
  assets: string[];
  timeframe: string;
  series: { name: string; symbol: string | null }[];
  /** The price fields the run reads (fields.ts): a load may leave the others out. */
  fields: BarField[];
}

/**
 * Progress from a worker: `fraction` of the bars processed. The first report of a task (0) comes after its
 * indicators are warmed up, so it doubles as the WARMING_UP → RUNNING transition.
 */
export type ProgressSink = (taskId: number, fraction: number) => unknown;

interface Dataset {
  data: MarketData;
  /** Indicator columns computed once per data set and reused by every run on it (bit-identical to streaming). */
  cache: IndicatorCache;
  /** Sweep columns computed into memory the pool handed over (computeSweep), kept by the pool, not the cache. */
  computedApart: number;
}

const PLAN_CACHE = 64;

const cancelled = (flag: Int32Array | undefined) => flag !== undefined && Atomics.load(flag, 0) !== 0;

/**
 * A cache for these bars: shared bars (the pool's shared mode, or Node) get indicator columns in shared
 * memory too, so the pool can hand one worker's columns to the others (indicatorColumns / seedColumns).
 */
function cacheFor(bars: readonly BarColumns[]): IndicatorCache {
  const shared = typeof SharedArrayBuffer !== 'undefined' && bars.length > 0 && bars.every((b) => b.time.buffer instanceof SharedArrayBuffer);
  return new IndicatorCache(shared ? (n) => new SharedArrayBuffer(n) : undefined);
}

/** The plan's indicator columns over the bars `barsOf` gives for an asset (null: not this asset), as entries to seed elsewhere. */
function entriesOf(plan: Plan, barsOf: (asset: number) => BarColumns | null, cache: IndicatorCache, cancel: Int32Array | undefined): ColumnEntry[] {
  const out: ColumnEntry[] = [];
  // For the pool's runs (no condition traces): when such a run computes its columns in its signal pass and
  // keeps none (fast/transient.ts), computing them ahead would only add them to the run's memory.
  if (columnsTransient(plan, false)) return out;
  plan.indicators.forEach((pi, index) => {
    const bars = barsOf(pi.asset);
    if (bars === null) return;
    if (cancelled(cancel)) throw new CancelledError('cancelled');
    out.push({ index, key: IndicatorCache.keyOf(pi, bars), columns: cache.get(pi, bars) });
  });
  return out;
}

/** One indicator a sweep candidate reads, named as sweep columns are (`asset|IndicatorCache key`). */
interface SweepIndicator {
  pi: Plan['indicators'][number];
  bars: BarColumns;
  id: string;
  asset: string;
  key: string;
}

/** The indicators a candidate's plan reads, over the bars its run reads; null when the compiler rejects it. */
function sweepIndicators(data: MarketData, doc: StrategyDocument, params: ParamValues): SweepIndicator[] | null {
  let plan: Plan;
  try {
    plan = compile(doc, { params });
  } catch {
    return null;
  }
  const { cols } = runData(data, plan.assets, doc.settings);
  return plan.indicators.map((pi) => {
    const bars = cols[pi.asset]!;
    const asset = plan.assets[pi.asset]!;
    const key = IndicatorCache.keyOf(pi, bars);
    return { pi, bars, id: `${asset}|${key}`, asset, key };
  });
}

export interface EngineServiceOptions {
  /**
   * An explain walk nobody has asked anything of for this long (ms) is let go: at the end of W2 it holds
   * ~64 MB, and the next explanation then walks from the first bar again. Default 5 minutes.
   */
  explainIdleMs?: number;
  /** Runs the idle wait (the workers pass src/lib/timer.ts); without one a walk stays until a run or a reload. */
  schedule?: Schedule;
}

const EXPLAIN_IDLE_MS = 5 * 60_000;

/** The smallest move of a run's progress that is reported to the page: at most 50 reports a run. */
export const PROGRESS_STEP = 1 / 50;

/**
 * `post` for the ticks that move a run's progress by PROGRESS_STEP or more since the last one it let through.
 * A run ticks every CANCEL_CHECK_STEPS steps for its cancel check (240 ticks on W2), and each report is a
 * Comlink call to the page: on W2's first run in a Chromium worker those 240 calls were 43 ms of postMessage
 * in the engine worker's CPU profile (2026-12-05), and the pool shows at most 10 a second of them anyway.
 * By fraction, not by time, so a run reports the same ticks on every machine. The pool's shared mode sends
 * none of them: it gives the run a progress cell (EngineTask.progress) and reads that, since each message
 * from a busy worker was 0.2-0.5 ms in Chromium (48 of them: 23 ms of W2's first run, 12-16 ms of the next).
 */
export function progressSteps(post: (fraction: number) => void): (fraction: number) => void {
  let next = PROGRESS_STEP;
  return (f) => {
    if (f < next) return;
    next = f + PROGRESS_STEP;
    post(f);
  };
}

/**
 * The engine API a worker exposes (workers/engine.worker.ts and its Node twin only wire it to Comlink).
 * Datasets stay loaded between tasks so a batch pays the transfer (or copy) and indicator work once.
 */
export function createEngineService(opts: EngineServiceOptions = {}) {
  const schedule = opts.schedule ?? null;
  const idleMs = opts.explainIdleMs ?? EXPLAIN_IDLE_MS;
  const datasets = new Map<string, Dataset>();
  // Compiling generates evaluator code; a batch reruns the same document, so plans are kept by content.
  const plans = new Map<string, Plan>();
  let sink: ProgressSink | null = null;
  // The audit's explanations of one document on one data set: each walks on from the last (Explainer). Let go
  // when a run or another document's explanation starts, or its data set goes, so it holds no memory after.
  let session: { dataId: string; plan: Plan; explainer: Explainer } | null = null;
  let cancelIdle: (() => void) | null = null;
  const stopIdleWait = () => {
    cancelIdle?.();
    cancelIdle = null;
  };
  const endSession = () => {
    stopIdleWait();
    session?.explainer.close();
    session = null;
  };

  const dataset = (id: string): Dataset => {
    const d = datasets.get(id);
    if (!d) throw new Error(`data set ${id} is not loaded in this worker`);
    return d;
  };

  const planFor = (doc: StrategyDocument, params: ParamValues | undefined): Plan => {
    const key = JSON.stringify([doc, params ?? null]);
    const hit = plans.get(key);
    if (hit) {
      plans.delete(key);
      plans.set(key, hit);
      return hit;
    }
    const plan = compile(doc, { params });
    plans.set(key, plan);
    if (plans.size > PLAN_CACHE) plans.delete(plans.keys().next().value!);
    return plan;
  };

  const service = {
    /** Receives every task's progress; set once per worker (one channel instead of one per task). */
    setProgressSink(fn: ProgressSink | null): void {
      sink = fn;
    },
    /** Keeps a data set under `id`. Shared columns are read in place; cloned ones are this worker's copy. */
    load(id: string, data: MarketData): void {
      if (session?.dataId === id) endSession();
      datasets.set(id, { data, cache: cacheFor(data.bars), computedApart: 0 });
    },
    drop(id: string): boolean {
      if (session?.dataId === id) endSession();
      return datasets.delete(id);
    },
    loaded(): string[] {
      return [...datasets.keys()];
    },
    /** Which bars and series `doc` reads (throws the compiler's error for an invalid document). */
    needs(doc: StrategyDocument, params?: ParamValues): DataNeeds {
      const plan = planFor(doc, params);
      const series = new Map<string, { name: string; symbol: string | null }>();
      for (const input of plan.inputs) {
        if (input.kind !== 'series') continue;
        const symbol = input.asset < 0 ? null : plan.assets[input.asset]!;
        series.set(`${input.name}|${symbol}`, { name: input.name, symbol });
      }
      return { assets: [...plan.assets], timeframe: doc.settings.timeframe, series: [...series.values()], fields: barFields(plan, doc) };
    },
    run(task: EngineTask): RunResult {
      endSession();
      const { data, cache } = dataset(task.dataId);
      const plan = planFor(task.doc, task.params);
      // Warm-up: indicator columns one by one, so a cancel is honoured here too, not only in the loop; none
      // when the signal pass computes them, into scratch, and keeps none (fast/transient.ts).
      const { cols } = runData(data, plan.assets, task.doc.settings);
      if (!columnsTransient(plan, task.audit ?? true)) {
        for (const pi of plan.indicators) {
          if (cancelled(task.cancel)) throw new CancelledError('cancelled');
          cache.get(pi, cols[pi.asset]!);
        }
      }
      void sink?.(task.id, 0);
      const cell = task.progress;
      const report = cell ? (f: number) => writeProgress(cell, f)
        : sink ? progressSteps((f) => void sink?.(task.id, f)) : undefined;
      return runBacktest(task.doc, data, { plan, audit: task.audit, columns: task.columns, indicatorCache: cache, cancel: task.cancel, onProgress: report, shares: task.shares });
    },
    /** A run's signal pass, part `part` of `parts` (null: that run would not use it; see signalShare). */
    signalShare(task: ShareTask): SignalShare | null {
      const { data, cache } = dataset(task.dataId);
      return signalShare(task.doc, data, task.part, task.parts, { plan: planFor(task.doc, task.params), audit: false, indicatorCache: cache, cancel: task.cancel });
    },
    /**
     * Runs every candidate of a chunk without signal traces, sharing the data set's IndicatorCache (a column
     * is computed once per worker) and the strategy compiler's generated functions (cached by source).
     * Plans are not put in the plan LRU: an optimizer never evaluates a candidate twice, so they would only
     * evict the plans that runs and explains reuse.
     */
    evaluate(task: EvaluateTask): Stats[] {
      const { data, cache } = dataset(task.dataId);
      const engine = task.engine ?? 'auto';
      // Lent columns leave the cache before this returns, whatever happens (the call runs to its end on this
      // thread, so nothing else reads the cache meanwhile).
      const lent: [BarColumns, string][] = [];
      try {
        for (const e of task.columns ?? []) {
          const bars = runData(data, [e.asset], task.doc.settings).cols[0]!;
          if (cache.lendKey(bars, e.key, e.columns)) lent.push([bars, e.key]);
        }
        return task.params.map((params) => {
          if (cancelled(task.cancel)) throw new CancelledError('cancelled');
          const plan = compile(task.doc, { params });
          // record 'stats': no signal or order log and no sampled curves, only what the statistics read (as the
          // in-process optimizer runs; the same numbers, test/unit/pool/sweep-columns.test.ts).
          return runBacktest(task.doc, data, { plan, audit: false, record: 'stats', trades: false, engine, indicatorCache: cache, cancel: task.cancel }).stats;
        });
      } finally {
        for (const [bars, key] of lent) cache.evictKey(bars, key);
      }
    },
    /**
     * The distinct indicator columns the candidates' plans read, with which candidate reads which (a budgeted
     * sweep groups its candidates by them: src/rpc/pool.ts). Ids as sweepColumns names them.
     */
    sweepNeeds(dataId: string, doc: StrategyDocument, candidates: readonly ParamValues[], cancel?: Int32Array): SweepNeeds {
      const { data } = dataset(dataId);
      const index = new Map<string, number>();
      const out: SweepNeeds = { columns: [], reads: [] };
      for (const params of candidates) {
        if (cancelled(cancel)) throw new CancelledError('cancelled');
        const reads: number[] = [];
        out.reads.push(reads);
        for (const { pi, bars, id, asset, key } of sweepIndicators(data, doc, params) ?? []) {
          let k = index.get(id);
          if (k === undefined) {
            k = out.columns.length;
            index.set(id, k);
            out.columns.push({ id, asset, key, outputs: pi.outputs.length, length: bars.length });
          }
          if (!reads.includes(k)) reads.push(k);
        }
      }
      return out;
    },
    /**
     * The sweep columns named by `ids`, computed into `buffers` (SharedArrayBuffers of 8 × length bytes the
     * pool got back from columns it let go; new ones when they run out) and not kept in this worker's cache:
     * the pool lends them to the chunks that read them (EvaluateTask.columns). `candidates` must read every
     * id (the pool passes one candidate per id). Returns the buffers it did not use, and how many of the given
     * ones it wrote.
     */
    computeSweep(
      dataId: string, doc: StrategyDocument, candidates: readonly ParamValues[], ids: readonly string[], buffers: SharedArrayBuffer[], cancel?: Int32Array,
    ): { columns: SweepColumn[]; unused: SharedArrayBuffer[]; recycled: number } {
      const d = dataset(dataId);
      const want = new Set(ids);
      const free = [...buffers];
      // A buffer written again starts zeroed, as a new one does: a column is then what computeColumns makes in
      // fresh memory whatever parts of it a kernel leaves unwritten (2.4–3.0 ms per 7.5 MiB in Node, no page fault).
      const alloc = (bytes: number): SharedArrayBuffer => {
        const i = free.findIndex((b) => b.byteLength === bytes);
        if (i < 0) return new SharedArrayBuffer(bytes);
        const b = free.splice(i, 1)[0]!;
        new Uint8Array(b).fill(0);
        return b;
      };
      const columns: SweepColumn[] = [];
      for (const params of candidates) {
        if (want.size === 0) break;
        for (const { pi, bars, id, asset, key } of sweepIndicators(d.data, doc, params) ?? []) {
          if (!want.delete(id)) continue;
          if (cancelled(cancel)) throw new CancelledError('cancelled');
          columns.push({ id, asset, key, columns: computeColumns(pi, bars, alloc) });
          d.computedApart++;
        }
      }
      if (want.size > 0) throw new Error(`no candidate reads sweep column ${[...want][0]}`);
      return { columns, unused: free, recycled: buffers.length - free.length };
    },
    /**
     * Columns once per sweep: the distinct indicator columns the candidates' plans read (in candidate order,
     * leaving out `skip`, the ids the pool already holds), of which this worker computes every `parts`-th
     * from `part` into its cache (SharedArrayBuffers) and returns them for the pool to seed into the others.
     * A candidate the compiler rejects reads nothing (the optimizer scores it NaN without running it).
     */
    sweepColumns(dataId: string, doc: StrategyDocument, candidates: readonly ParamValues[], part: number, parts: number, skip: readonly string[], cancel?: Int32Array): SweepColumn[] {
      const { data, cache } = dataset(dataId);
      const known = new Set(skip);
      const todo: SweepIndicator[] = [];
      for (const params of candidates) {
        for (const x of sweepIndicators(data, doc, params) ?? []) {
          if (known.has(x.id)) continue;
          known.add(x.id);
          todo.push(x);
        }
      }
      const out: SweepColumn[] = [];
      for (let i = part; i < todo.length; i += parts) {
        if (cancelled(cancel)) throw new CancelledError('cancelled');
        const { pi, bars, id, asset, key } = todo[i]!;
        out.push({ id, asset, key, columns: cache.get(pi, bars) });
      }
      return out;
    },
    /** Puts sweep columns another worker computed (sweepColumns) into this worker's cache. */
    seedSweep(dataId: string, doc: StrategyDocument, entries: readonly SweepColumn[]): void {
      const { data, cache } = dataset(dataId);
      for (const e of entries) cache.seedKey(runData(data, [e.asset], doc.settings).cols[0]!, e.key, e.columns);
    },
    /**
     * Computes (or finds) the plan's indicator columns for the given assets (plan asset indices) and returns
     * them for the pool to seed into other workers: columns once per data set, spread over the pool by asset.
     */
    indicatorColumns(dataId: string, doc: StrategyDocument, params: ParamValues | undefined, assets: readonly number[], cancel?: Int32Array): ColumnEntry[] {
      const { data, cache } = dataset(dataId);
      const plan = planFor(doc, params);
      const { cols } = runData(data, plan.assets, doc.settings);
      return entriesOf(plan, (a) => (assets.includes(a) ? cols[a]! : null), cache, cancel);
    },
    /**
     * The plan's indicator columns of one asset from that asset's bars alone, before the rest of the data set
     * exists: a page loading a run's assets one by one has each asset's columns computed while it reads the
     * next (the pool's provideColumns). `actions`: the stored corporate actions (adjusted prices need those of
     * this symbol). Shared bars give shared columns, ready to seed into the run's worker.
     */
    assetColumns(doc: StrategyDocument, params: ParamValues | undefined, bars: BarColumns, actions: readonly CorporateAction[] | undefined, cancel?: Int32Array): ColumnEntry[] {
      const plan = planFor(doc, params);
      const asset = plan.assets.indexOf(bars.symbol);
      if (asset < 0) throw new Error(`${bars.symbol} is not an asset of this document (${plan.assets.join(', ')})`);
      // The run's timeline and calendar, from this asset's times, while the others load (fast/columns.ts).
      if (bars.time.buffer instanceof SharedArrayBuffer) prepareTimes(bars, doc.settings, plan);
      // None wanted (entriesOf): no adjusted copy of the asset's prices made for nothing.
      if (columnsTransient(plan, false)) return [];
      const own = runData({ bars: [bars], ...(actions ? { actions } : {}) }, [bars.symbol], doc.settings).cols[0]!;
      return entriesOf(plan, (a) => (a === asset ? own : null), cacheFor([bars]), cancel);
    },
    /** Puts columns another worker computed (indicatorColumns) into this worker's cache for the same plan. */
    seedColumns(dataId: string, doc: StrategyDocument, params: ParamValues | undefined, entries: readonly ColumnEntry[]): void {
      const { data, cache } = dataset(dataId);
      const plan = planFor(doc, params);
      const { cols } = runData(data, plan.assets, doc.settings);
      for (const e of entries) {
        const pi = plan.indicators[e.index];
        if (!pi) throw new Error(`indicator ${e.index} is not in this plan`);
        cache.seed(pi, cols[pi.asset]!, e.key, e.columns);
      }
    },
    /** How many indicator columns this worker computed and how many it was given, for a data set. */
    columnCounts(dataId: string): { computed: number; seeded: number } {
      const { cache, computedApart } = dataset(dataId);
      return { computed: cache.size + computedApart, seeded: cache.seeded };
    },
    /** `cancel`: a shared flag the page raises when nobody wants the answer any more (the walk checks it). */
    explain(dataId: string, doc: StrategyDocument, time: number, params?: ParamValues, cancel?: Int32Array): Explanation[] {
      const { data, cache } = dataset(dataId);
      // planFor gives the same plan object for the same document and parameters while it keeps it.
      const plan = planFor(doc, params);
      if (session?.dataId !== dataId || session.plan !== plan) {
        endSession();
        session = { dataId, plan, explainer: new Explainer(doc, data, { plan, indicatorCache: cache }) };
      }
      stopIdleWait();
      const out = session.explainer.at(time, cancel);
      if (schedule) cancelIdle = schedule(endSession, idleMs);
      return out;
    },
    /** This worker's explain walks so far (started, walked on, answered again): where a pool sent explanations. */
    explainWalks(): { starts: number; continued: number; repeated: number } {
      return { ...explainWalks };
    },
    /** Per traded asset, bars and the plan's indicator columns sampled to at most `points` buckets (charts). */
    overlays(dataId: string, doc: StrategyDocument, points: number, params?: ParamValues): AssetOverlay[] {
      const { data, cache } = dataset(dataId);
      return chartOverlays(planFor(doc, params), data, cache, points, doc.settings);
    },
    /**
     * One run of the engine's prime (prime.ts) on a data set of its own, let go of afterwards: the pool asks
     * for it when it starts its workers at idle time (EnginePool.warm), so the first user's run starts on
     * compiled code, and writes into logs already touched (prime.ts primeLogs). Its result comes back as
     * runColumns gives one, so the caller can read it the same way. No progress is reported (the pool knows no
     * task of this id).
     */
    prime(): RunResult {
      const quiet = sink;
      sink = null;
      service.load(PRIME_DATA_ID, primeData());
      try {
        return service.run({ id: -1, dataId: PRIME_DATA_ID, doc: primeDocument(), audit: false, columns: true });
      } finally {
        sink = quiet;
        service.drop(PRIME_DATA_ID);
        primeLogs();
      }
    },
  };
  return service;
}

/** The prime's data set id: no pool id has this form (the pool numbers its data sets). */
const PRIME_DATA_ID = '\u0000prime';

export type EngineService = ReturnType<typeof createEngineService>;
