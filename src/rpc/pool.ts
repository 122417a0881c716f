import { proxy, transfer, wrap, type Remote } from 'comlink';
import { monotonicClock, type Clock } from '../lib/clock.ts';
import type { MarketData } from '../engine/market.ts';
import type { Explanation } from '../engine/kernel.ts';
import type { AssetOverlay } from '../engine/overlays.ts';
import type { ColumnEntry, SweepColumn, SweepNeeds } from '../engine/service.ts';
import type { SignalShare } from '../engine/index.ts';
import type { BarColumns, CorporateAction, RunResult, Stats, StrategyDocument } from '../schema/index.ts';
import type { ParamValues } from '../strategy/params.ts';
import type { DataNeeds, EngineApi, EngineEndpoint, SpawnEngine } from './engine-api.ts';
import { decodeResult } from './result-columns.ts';
import { shareTransferables } from './transfer.ts';
import { canShareMemory, prepareData } from './pool-data.ts';
import { throttle } from './throttle.ts';
import { newProgressCell, readProgress, writeProgress } from '../lib/progress.ts';
import { timer, type Schedule } from '../lib/timer.ts';
import { columnBytes, sweepGroups } from './sweep-groups.ts';

export interface PoolOptions {
  /** Starts one engine worker (browser: `() => new Worker(new URL('…/workers/engine.worker.ts', import.meta.url), { type: 'module' })`). */
  spawn: SpawnEngine;
  /** Number of workers; default defaultPoolSize(hardwareConcurrency): all cores on 1–2, else all but one. */
  size?: number;
  /** Share bar columns through SharedArrayBuffer (default: when the page can). False forces the copy path. */
  share?: boolean;
  /** Times progress throttling (default: monotonic, so a wall-clock step neither bunches nor holds events). */
  clock?: Clock;
  /** Minimum ms between two progress events of one task (default 100: at most 10 per second). */
  progressIntervalMs?: number;
  /**
   * Runs the wait between two reads of a run's progress cell (shared mode: the worker writes its progress
   * into shared memory, lib/progress.ts, and the pool reads it every progressIntervalMs). Default setTimeout.
   */
  schedule?: Schedule;
  /** Data sets a worker keeps loaded (with their indicator columns) before dropping the least recent. */
  datasetsPerWorker?: number;
  /**
   * Shared mode, 2+ workers: a run on at least this many bars (all assets) first has its indicator columns
   * computed over the pool, spread by asset, in SharedArrayBuffers, once per data set and document; the
   * running worker and later runs read them without computing or copying (default 100,000).
   */
  spreadColumnsFrom?: number;
  /**
   * Shared mode: bytes a sweep's indicator columns may take (default 256 MiB). A batch whose columns, with
   * those the pool keeps from earlier batches, would take more runs in groups (sweep-groups.ts), each group's
   * columns computed over the pool into the memory of the previous group's columns it does not read and lent
   * to its chunks alone: a group holds at most the budget (one candidate's columns if they alone pass it),
   * beside what the pool keeps from earlier batches (at most the budget: a batch that would pass it keeps
   * nothing), and memory written once is written again rather than fresh pages taken (on the VMs here a fresh
   * page costs ~10 µs: W3's 72 columns were 1.6 s of it).
   */
  sweepBudgetBytes?: number;
  /**
   * Whether `warm` also has each worker run the engine's prime once (src/engine/prime.ts: a small backtest, so
   * V8 compiles the engine's shared code at idle time instead of during the first run). Default true.
   */
  prime?: boolean;
}

/** Default sweep column budget (PoolOptions.sweepBudgetBytes): W3's 70 columns are 540 MiB. */
const SWEEP_BUDGET = 256 * 1024 * 1024;

/** Documents per data set whose shared indicator columns the pool keeps (the oldest are let go). */
const COLUMN_PLANS_KEPT = 4;

/** Which plan a data set's kept indicator columns belong to. */
const columnsKey = (doc: StrategyDocument, params: ParamValues | undefined): string => JSON.stringify([doc, params ?? null]);
const explainKey = (dataId: string, doc: StrategyDocument, params: ParamValues | undefined): string => `${dataId}|${columnsKey(doc, params)}`;

export interface RunRequest {
  doc: StrategyDocument;
  data: MarketData;
  params?: ParamValues;
  /**
   * true: signals carry their condition traces, and the result is structured-cloned (costly for 100k signals).
   * Default: the result comes back as transferred columns (result-columns.ts) and signals carry no trace;
   * `explain` re-evaluates a bar for the one the user opens.
   */
  audit?: boolean;
}

export type PoolPhase = 'warmingUp' | 'running';

export interface RunEvents {
  signal?: AbortSignal;
  /** warmingUp: a worker took the task and prepares data and indicators; running: the event loop started. */
  onPhase?: (phase: PoolPhase) => void;
  /** Fraction of bars processed, throttled. */
  onProgress?: (fraction: number) => void;
}

export interface BatchEvents {
  signal?: AbortSignal;
  onPhase?: (phase: PoolPhase) => void;
  /** Tasks finished so far, throttled. */
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluateEvents {
  signal?: AbortSignal;
  /** Candidates evaluated so far, throttled (reported as chunks come back). */
  onProgress?: (done: number, total: number) => void;
  /** 'reference': every candidate on the kernel's walk (benches compare engines in one run); default 'auto'. */
  engine?: 'auto' | 'reference';
}

/** Chunks of one evaluateBatch a worker may hold at once: the next is already queued in the worker when one returns. */
const PIPELINE_DEPTH = 2;
/**
 * Chunks per worker in an evaluateBatch: enough to even out slow and fast candidates and unequal cores (on
 * the 2-vCPU machines here one core runs the engine ~1.5× slower than the other, and with 4 chunks per
 * worker a W3 grid's last chunks left ~2 s of tail on it), few enough to amortize a round trip.
 */
const CHUNKS_PER_WORKER = 16;
/**
 * Candidates per chunk at least, while every worker still gets a chunk: a genetic generation of cheap
 * candidates is not cut into one-candidate messages, and a small batch of costly ones still spreads.
 */
const MIN_CHUNK = 8;

interface Slot {
  ep: EngineEndpoint;
  api: Remote<EngineApi>;
  /** Data set ids loaded in this worker, least recently used first. */
  loaded: string[];
  /** In flight: one task, or up to PIPELINE_DEPTH pipelined ones. */
  tasks: Task[];
  /** Per loaded data set: ids of the sweep columns its cache holds (computed there or seeded). */
  sweepSeeded: Map<string, Set<string>>;
  /**
   * The explain session the worker holds (engine service: one walk kept between explanations), as the data
   * set's id and explainKey; null when none or when something since may have ended it (a run, a load, a drop).
   */
  explaining: { dataId: string; key: string } | null;
  /** Whether warm had it run the engine's prime (a worker primes once). */
  primed: boolean;
}

/** A data set's sweep columns in one price mode: every distinct indicator column a sweep asked for, computed once. */
interface SweepStore {
  columns: Map<string, SweepColumn>;
  /** Spreads run one after another, so a later batch skips what an earlier one computes. */
  queue: Promise<void>;
}

/** Bytes of the columns a sweep store keeps. */
function storeBytes(store: SweepStore): number {
  let n = 0;
  for (const c of store.columns.values()) for (const col of c.columns) n += col.byteLength;
  return n;
}

/** From `free`, a buffer of the right size for every output of these columns where one is left (removed from `free`). */
function takeBuffers(free: SharedArrayBuffer[], columns: readonly SweepNeeds['columns'][number][]): SharedArrayBuffer[] {
  const out: SharedArrayBuffer[] = [];
  for (const c of columns) {
    for (let o = 0; o < c.outputs; o++) {
      const i = free.findIndex((b) => b.byteLength === c.length * 8);
      if (i >= 0) out.push(free.splice(i, 1)[0]!);
    }
  }
  return out;
}

/** Members of one batch: cancelled together, through one flag. */
interface Group {
  tasks: Set<Task>;
  flag: Int32Array | undefined;
  signal: AbortSignal;
}

interface Task {
  id: number;
  exec(slot: Slot, task: Task): Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  signal?: AbortSignal;
  /** Shared cancel flag (shared mode only). */
  flag?: Int32Array;
  /** A run's progress cell (shared mode, when someone listens): read every interval once the run is running. */
  cell?: Int32Array;
  /** What gets the cell's readings (they are spaced by the polling, so not throttled again). */
  onPolled?: (fraction: number) => void;
  /** Stops the cell's polling. */
  stopPolling?: () => void;
  slot: Slot | null;
  done: boolean;
  onPhase?: (phase: PoolPhase) => void;
  onProgress?: (fraction: number) => void;
  running: boolean;
  /** May share its worker with other pipelined tasks (evaluate chunks), instead of needing it alone. */
  pipelined?: boolean;
  /** The data set it reads, so a worker never drops it while the task is queued there. */
  dataId?: string;
  /** An idle worker this task would rather take than the first idle one (explain: the one holding its walk). */
  prefer?: (slot: Slot) => boolean;
}

/** How a cancelled run rejects everywhere (pool, queue, runner): like fetch, a DOMException named AbortError. */
export function abortError(message = 'backtest cancelled'): Error {
  return new DOMException(message, 'AbortError');
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'CancelledError');
}

/**
 * Engine workers for a device with `cores` logical cores: one per core but one, so the page's own thread keeps
 * a core, except on 1 or 2 cores, where every core gets a worker. There the page mostly waits while a backtest
 * or a search runs, and one worker left the second core idle: half a search's throughput (W1 over the pool
 * 1,855 runs/s on 1 worker, 3,653 on 2, 2026-12-03), and no second worker for a run's signal pass.
 */
export function defaultPoolSize(cores: number): number {
  const n = Math.max(1, Math.floor(cores) || 1);
  return n <= 2 ? n : n - 1;
}

function defaultSize(): number {
  return defaultPoolSize((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2);
}

/**
 * A pool of engine workers over Comlink: tasks wait in a FIFO and go to whichever worker is idle. Bar
 * columns reach workers as SharedArrayBuffer views (no copy) when `shared`, else as one structured-clone
 * copy per worker and data set; results come back as transferred columns (signals without traces, see `explain`).
 *
 * Cancel: shared mode raises the task's Int32Array flag, which the engine reads between indicators, between
 * its signal pass's groups (a run's or a share's) and every 4096 steps; copy mode (no shared memory to signal through) terminates the worker and starts a new one.
 */
export class EnginePool {
  readonly size: number;
  readonly shared: boolean;
  /**
   * Runs whose signal pass was spread over the pool (signalShares); budgeted sweeps' groups, and the column
   * buffers they wrote again (memory of a column an earlier group no longer read); workers warm primed; for
   * tests, the benches and the CLI's --json.
   */
  readonly counters = { splitRuns: 0, sweepGroups: 0, sweepBuffersReused: 0, primed: 0 };
  private readonly spawnFn: SpawnEngine;
  private readonly clock: Clock;
  private readonly interval: number;
  private readonly schedule: Schedule;
  private readonly keep: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly byId = new Map<number, Task>();
  private readonly dataIds = new WeakMap<MarketData, { id: string; payload: MarketData }>();
  private readonly spreadFrom: number;
  private readonly sweepBudget: number;
  private readonly primeOnWarm: boolean;
  /** Per data set (its payload) and document: indicator columns computed over the pool (see spreadColumnsFrom). */
  private readonly columns = new WeakMap<MarketData, Map<string, Promise<ColumnEntry[]>>>();
  /** Per data set (its payload) and price settings: sweep columns computed over the pool (see evaluateBatch). */
  private readonly sweeps = new WeakMap<MarketData, Map<string, SweepStore>>();
  private nextTask = 1;
  private nextData = 1;
  private closed = false;

  constructor(opts: PoolOptions) {
    this.spawnFn = opts.spawn;
    this.size = Math.max(1, Math.floor(opts.size ?? defaultSize()));
    this.shared = (opts.share ?? true) && canShareMemory();
    this.clock = opts.clock ?? monotonicClock;
    this.interval = opts.progressIntervalMs ?? 100;
    this.schedule = opts.schedule ?? timer;
    this.keep = Math.max(1, opts.datasetsPerWorker ?? 4);
    this.spreadFrom = opts.spreadColumnsFrom ?? 100_000;
    this.sweepBudget = opts.sweepBudgetBytes ?? SWEEP_BUDGET;
    this.primeOnWarm = opts.prime ?? true;
  }

  /** Workers started so far (they start on demand, up to `size`, or all at once by `warm`). */
  get workers(): number {
    return this.slots.length;
  }

  /**
   * Starts every worker up to `size` now and resolves when each has answered. The app calls it when the page
   * is idle: a worker started by a task holds that task back by its start-up (~0.7 s in Chromium), and a run
   * splits its signal pass only over workers that are up (signalShares). Each worker then runs the engine's
   * prime once (PoolOptions.prime), its result read here as a run's is: ~0.1–0.2 s of a worker at idle time
   * that the first run no longer spends compiling. A task sent meanwhile waits for it behind it.
   */
  async warm(): Promise<void> {
    while (!this.closed && this.slots.length < this.size) this.startWorker();
    await Promise.all(this.slots.map(async (s) => {
      await s.api.loaded();
      if (!this.primeOnWarm || s.primed || this.closed) return;
      s.primed = true;
      decodeResult(await s.api.prime());
      // The prime is a run: it ended any explain session the worker held (engine service).
      s.explaining = null;
      this.counters.primed++;
    }));
  }

  run(req: RunRequest, ev: RunEvents = {}): Promise<RunResult> {
    return this.runIn(req, ev, {});
  }

  /** Many runs spread over the pool; results in input order. The first failure cancels the rest. */
  async runBatch(reqs: readonly RunRequest[], ev: BatchEvents = {}): Promise<RunResult[]> {
    const seen = new Set<PoolPhase>();
    const phase = (p: PoolPhase) => {
      if (!seen.has(p)) { seen.add(p); ev.onPhase?.(p); }
    };
    const progress = ev.onProgress ? throttle(this.clock, this.interval, ev.onProgress) : undefined;
    let done = 0;
    return this.inGroup(ev.signal, reqs.map((r) => async (group) => {
      const out = await this.runIn(r, { onPhase: phase }, group);
      progress?.(++done, reqs.length);
      return out;
    }));
  }

  /**
   * Runs the members of a batch with one abort listener and one cancel flag for all: raising it stops every
   * running member at once. The first failure cancels the rest.
   */
  private async inGroup<T>(signal: AbortSignal | undefined, members: ((group: Group) => Promise<T>)[]): Promise<T[]> {
    if (signal?.aborted) throw abortError();
    const ctl = new AbortController();
    const group: Group = { tasks: new Set(), flag: this.newFlag(), signal: ctl.signal };
    const stop = () => {
      ctl.abort();
      for (const t of [...group.tasks]) this.cancel(t);
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return await Promise.all(members.map(async (m) => {
        try {
          return await m(group);
        } catch (e) {
          stop();
          throw e;
        }
      }));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  private async runIn(req: RunRequest, ev: RunEvents, group: Partial<Group>): Promise<RunResult> {
    const data = this.dataset(req.data);
    const signal = group.signal ?? ev.signal;
    // Awaited before the run is queued: a queued run holding a worker while it waits would starve the spread.
    const columns = await this.sharedColumns(req, data, ev, group)?.catch((e: unknown) => {
      // Columns sent ahead for a run that was cancelled (the user pressed Run again at once): this run, not
      // cancelled, computes its own rather than failing with the other's AbortError.
      if (isAbortError(e) && !signal?.aborted) return null;
      throw e;
    });
    // Nothing to spread (the run computes its columns in its signal pass, fast/transient.ts): that pass is
    // spread instead, and the run walks the events.
    const shares = columns?.length === 0 && this.shared && req.audit !== true ? await this.signalShares(req, data, ev, group) : null;
    if (shares) this.counters.splitRuns++;
    return this.submit<RunResult>(async (slot, task) => {
      await this.ensureLoaded(slot, data.id, data.payload);
      if (columns?.length) await slot.api.seedColumns(data.id, req.doc, req.params, columns);
      // A run ends the worker's explain session (engine service).
      slot.explaining = null;
      const t = { id: task.id, dataId: data.id, doc: req.doc, params: req.params, cancel: task.flag, progress: task.cell };
      if (req.audit === true) return slot.api.run({ ...t, audit: true });
      return decodeResult(await slot.api.runColumns(shares ? transfer({ ...t, shares }, shareTransferables(shares)) : t));
    }, ev, group, this.shared && ev.onProgress ? { cell: newProgressCell(), onPolled: ev.onProgress } : {});
  }

  /**
   * A run's signal pass in as many parts as there are workers, computed at once (each part's signal groups
   * and their indicator columns, in scratch: engine signalShare), for the run to take instead of computing
   * it. On W2 that pass is about 40 % of the run. Null when the run would not use them (the engine says so:
   * it keeps its columns, or the reference runs it).
   */
  private async signalShares(req: RunRequest, data: { id: string; payload: MarketData }, ev: RunEvents, group: Partial<Group>): Promise<SignalShare[] | null> {
    // Workers that are up and idle only: one still starting (the page's first tasks spawn them) would hold
    // its part back by its start-up, which on W2 cost more than the part saves.
    const parts = this.slots.filter((s) => s.tasks.length === 0).length;
    if (parts < 2 || this.queue.length > 0) return null;
    const shares = await Promise.all(Array.from({ length: parts }, (_, part) => this.submit<SignalShare | null>(async (slot, task) => {
      await this.ensureLoaded(slot, data.id, data.payload);
      return slot.api.signalShare({ id: task.id, dataId: data.id, doc: req.doc, params: req.params, part, parts, cancel: task.flag });
    }, { signal: ev.signal }, group)));
    return shares.every((s) => s !== null) ? shares : null;
  }

  /**
   * Columns once, shared: the plan's indicator columns for a big data set, computed by every worker on its
   * share of the assets (round robin) into SharedArrayBuffers, kept per data set and document. Null where
   * that does not pay or cannot work: copy mode (no shared memory: each worker computes its own), one
   * worker, or a small data set.
   */
  private sharedColumns(req: RunRequest, data: { id: string; payload: MarketData }, ev: RunEvents, group: Partial<Group>): Promise<ColumnEntry[]> | null {
    const hit = this.columns.get(data.payload)?.get(columnsKey(req.doc, req.params));
    if (hit) return hit; // spread before, or provided while the page loaded the assets (provideColumns)
    if (!this.shared || this.size < 2) return null;
    if (data.payload.bars.reduce((n, b) => n + b.length, 0) < this.spreadFrom) return null;
    return this.keepColumns(data.payload, req.doc, req.params, this.spreadColumns(req, data, { signal: ev.signal }, group));
  }

  private keepColumns(payload: MarketData, doc: StrategyDocument, params: ParamValues | undefined, entries: Promise<ColumnEntry[]>): Promise<ColumnEntry[]> {
    const plans = this.columns.get(payload) ?? new Map<string, Promise<ColumnEntry[]>>();
    this.columns.set(payload, plans);
    const key = columnsKey(doc, params);
    plans.set(key, entries);
    entries.catch(() => { if (plans.get(key) === entries) plans.delete(key); });
    if (plans.size > COLUMN_PLANS_KEPT) plans.delete(plans.keys().next().value!);
    return entries;
  }

  /**
   * One asset's indicator columns for `doc`, computed by a worker from that asset's bars alone (shared mode
   * only: in copy mode the bars would be copied there and the columns back). A page loading a run's assets
   * one after the other asks this as each arrives, so a worker computes while the store reads the next.
   */
  assetColumns(doc: StrategyDocument, params: ParamValues | undefined, bars: BarColumns, actions: readonly CorporateAction[] | undefined, signal?: AbortSignal): Promise<ColumnEntry[]> {
    if (!this.shared) return Promise.reject(new Error('assetColumns needs shared memory (a cross-origin isolated page)'));
    return this.submit<ColumnEntry[]>((slot, task) => slot.api.assetColumns(doc, params, bars, actions, task.flag), { signal });
  }

  /**
   * Columns for runs of `doc` on `data` (assetColumns' entries, one list per asset): the next run seeds them
   * into its worker instead of computing or spreading them. A failed list is forgotten, and the run fails
   * with its error (as a failed computation in the worker would); a cancelled one (its run was cancelled)
   * only makes the next run compute its own.
   */
  provideColumns(data: MarketData, doc: StrategyDocument, params: ParamValues | undefined, lists: readonly Promise<ColumnEntry[]>[]): void {
    void this.keepColumns(this.dataset(data).payload, doc, params, Promise.all(lists).then((l) => l.flat()));
  }

  private async spreadColumns(req: RunRequest, data: { id: string; payload: MarketData }, ev: RunEvents, group: Partial<Group>): Promise<ColumnEntry[]> {
    const needs = await this.submit<DataNeeds>((slot) => slot.api.needs(req.doc, req.params), ev, group);
    const parts = Math.min(this.size, needs.assets.length);
    const shares = Array.from({ length: parts }, (_, p) => needs.assets.map((_a, i) => i).filter((i) => i % parts === p));
    const lists = await Promise.all(shares.map((assets) => this.submit<ColumnEntry[]>(async (slot, task) => {
      await this.ensureLoaded(slot, data.id, data.payload);
      return slot.api.indicatorColumns(data.id, req.doc, req.params, assets, task.flag);
    }, ev, group)));
    return lists.flat();
  }

  /** Per worker, how many indicator columns it computed and was given for a data set (loaded workers only). */
  async columnCounts(data: MarketData): Promise<{ computed: number; seeded: number }[]> {
    const d = this.dataIds.get(data);
    if (!d) return [];
    return Promise.all(this.slots.filter((s) => s.loaded.includes(d.id)).map((s) => s.api.columnCounts(d.id)));
  }

  /**
   * Optimizer candidates' statistics, in input order. The list is cut into chunks of
   * ceil(n / (workers × 4)) candidates, one message each, and every worker holds up to two chunks, so it
   * never idles through a round trip. The first failure cancels the rest (one shared flag, as runBatch).
   *
   * Columns once per sweep (shared mode, 2+ workers, ≥ spreadColumnsFrom bars): before the chunks run, the
   * distinct indicator columns the candidates read and the pool does not hold yet are computed over the pool,
   * every worker a share of them, into SharedArrayBuffers; each worker is handed the others' before its
   * next chunk, so no column is computed twice and none is copied. Kept per data set and price settings for
   * the next batch (a genetic search's next generation, a grid's next batch), up to sweepBudgetBytes: a batch
   * that would take more runs in groups instead (budgetedSweep), keeping nothing.
   */
  async evaluateBatch(doc: StrategyDocument, data: MarketData, params: readonly ParamValues[], ev: EvaluateEvents = {}): Promise<Stats[]> {
    if (ev.signal?.aborted) throw abortError();
    if (params.length === 0) return [];
    const d = this.dataset(data);
    const store = this.sweepStore(d.payload, doc);
    const progress = ev.onProgress ? throttle(this.clock, this.interval, ev.onProgress) : undefined;
    const engine = ev.engine ?? 'auto';
    let done = 0;
    const chunked = (n: number, run: (from: number, to: number) => Promise<void>): Promise<void[]> => {
      const size = Math.max(Math.ceil(n / (this.size * CHUNKS_PER_WORKER)), Math.min(MIN_CHUNK, Math.ceil(n / this.size)));
      const runs: Promise<void>[] = [];
      for (let i = 0; i < n; i += size) {
        const to = Math.min(n, i + size);
        runs.push(run(i, to).then(() => {
          done += to - i;
          progress?.(done, params.length);
        }));
      }
      return Promise.all(runs);
    };
    const out: Stats[] = new Array(params.length);
    await this.inGroup(ev.signal, [async (group) => {
      if (store) {
        const needs = await this.submit<SweepNeeds>(async (slot, task) => {
          await this.ensureLoaded(slot, d.id, d.payload);
          return slot.api.sweepNeeds(d.id, doc, [...params], task.flag);
        }, {}, group, { dataId: d.id });
        const held = storeBytes(store);
        const more = needs.columns.reduce((s, c) => s + (store.columns.has(c.id) ? 0 : columnBytes(c)), 0);
        if (held + more > this.sweepBudget) return this.budgetedSweep(d, doc, params, needs, store, engine, group, chunked, out);
        await this.spreadSweep(store, d, doc, params, group);
      }
      await chunked(params.length, async (from, to) => {
        const stats = await this.submit<Stats[]>(async (slot, task) => {
          await this.ensureLoaded(slot, d.id, d.payload);
          if (store) await this.seedSweep(slot, d.id, doc, store);
          return slot.api.evaluate({ id: task.id, dataId: d.id, doc, params: params.slice(from, to), cancel: task.flag, engine });
        }, {}, group, { pipelined: true, dataId: d.id });
        for (let i = from; i < to; i++) out[i] = stats[i - from]!;
      });
    }]);
    return out;
  }

  /**
   * A sweep over its column budget: its candidates in groups (sweep-groups.ts), one after another. Before a
   * group runs, the columns of the last group it does not read are let go (nothing reads them any more: that
   * group's chunks have all answered) and the ones it lacks are computed over the pool into their memory;
   * then its chunks run, each lent the columns it reads (EvaluateTask.columns), which no worker keeps. Columns
   * the pool keeps from earlier batches are lent as they are and never written. Stats in input order.
   */
  private async budgetedSweep(
    d: { id: string; payload: MarketData }, doc: StrategyDocument, params: readonly ParamValues[], needs: SweepNeeds, store: SweepStore,
    engine: 'auto' | 'reference', group: Group, chunked: (n: number, run: (from: number, to: number) => Promise<void>) => Promise<void[]>, out: Stats[],
  ): Promise<void> {
    const reader = new Int32Array(needs.columns.length).fill(-1);
    needs.reads.forEach((r, c) => { for (const k of r) if (reader[k]! < 0) reader[k] = c; });
    const index = new Map(needs.columns.map((c, k) => [c.id, k]));
    const lent = new Map<number, SweepColumn>();
    // Columns this sweep computed: the only ones whose memory it writes again (the store's are other batches').
    const own = new Set<number>();
    const free: SharedArrayBuffer[] = [];
    for (const members of sweepGroups(needs, this.sweepBudget)) {
      this.counters.sweepGroups++;
      const want = new Set(members.flatMap((c) => needs.reads[c]!));
      for (const [k, col] of lent) {
        if (want.has(k)) continue;
        lent.delete(k);
        if (own.delete(k)) for (const c of col.columns) free.push(c.buffer as SharedArrayBuffer);
      }
      const missing: number[] = [];
      for (const k of want) {
        if (lent.has(k)) continue;
        const kept = store.columns.get(needs.columns[k]!.id);
        if (kept) lent.set(k, kept);
        else missing.push(k);
      }
      const parts = Math.min(this.size, missing.length);
      const lists = await Promise.all(Array.from({ length: parts }, (_, part) => {
        const mine = missing.filter((_, i) => i % parts === part);
        const buffers = takeBuffers(free, mine.map((k) => needs.columns[k]!));
        return this.submit(async (slot, task) => {
          await this.ensureLoaded(slot, d.id, d.payload);
          return slot.api.computeSweep(d.id, doc, mine.map((k) => params[reader[k]!]!), mine.map((k) => needs.columns[k]!.id), buffers, task.flag);
        }, {}, group, { dataId: d.id }).then((r) => {
          free.push(...r.unused);
          this.counters.sweepBuffersReused += r.recycled;
          return r.columns;
        });
      }));
      for (const c of lists.flat()) {
        const k = index.get(c.id)!;
        lent.set(k, c);
        own.add(k);
      }
      await chunked(members.length, async (from, to) => {
        const chunk = members.slice(from, to);
        const columns = [...new Set(chunk.flatMap((c) => needs.reads[c]!))].map((k) => lent.get(k)!);
        const stats = await this.submit<Stats[]>(async (slot, task) => {
          await this.ensureLoaded(slot, d.id, d.payload);
          return slot.api.evaluate({ id: task.id, dataId: d.id, doc, params: chunk.map((c) => params[c]!), cancel: task.flag, engine, columns });
        }, {}, group, { pipelined: true, dataId: d.id });
        chunk.forEach((c, j) => { out[c] = stats[j]!; });
      });
    }
  }

  /** Where a sweep's columns are kept, or null when they are not spread (copy mode, one worker, a small data set). */
  private sweepStore(payload: MarketData, doc: StrategyDocument): SweepStore | null {
    if (!this.shared || this.size < 2) return null;
    if (payload.bars.reduce((n, b) => n + b.length, 0) < this.spreadFrom) return null;
    let byMode = this.sweeps.get(payload);
    if (!byMode) {
      byMode = new Map();
      this.sweeps.set(payload, byMode);
    }
    // The bars a column is computed over depend on the price settings only (adjusted or raw), not on the document.
    const mode = doc.settings.prices ?? 'adjusted';
    let store = byMode.get(mode);
    if (!store) {
      store = { columns: new Map(), queue: Promise.resolve() };
      byMode.set(mode, store);
    }
    return store;
  }

  /** Computes the batch's missing sweep columns over the pool: worker k of N takes every N-th from k. */
  private spreadSweep(store: SweepStore, d: { id: string; payload: MarketData }, doc: StrategyDocument, params: readonly ParamValues[], group: Group): Promise<void> {
    const run = store.queue.then(async () => {
      const skip = [...store.columns.keys()];
      const parts = this.size;
      const lists = await Promise.all(Array.from({ length: parts }, (_, part) => this.submit<SweepColumn[]>(async (slot, task) => {
        await this.ensureLoaded(slot, d.id, d.payload);
        const out = await slot.api.sweepColumns(d.id, doc, [...params], part, parts, skip, task.flag);
        const held = this.seededIn(slot, d.id);
        for (const c of out) held.add(c.id);
        return out;
      }, {}, group, { dataId: d.id })));
      for (const c of lists.flat()) store.columns.set(c.id, c);
    });
    store.queue = run.catch(() => undefined);
    return run;
  }

  /** Hands a worker the sweep columns it does not hold yet (marked first: a pipelined chunk behind it then sends none). */
  private async seedSweep(slot: Slot, dataId: string, doc: StrategyDocument, store: SweepStore): Promise<void> {
    const held = this.seededIn(slot, dataId);
    const missing: SweepColumn[] = [];
    for (const [id, c] of store.columns) {
      if (held.has(id)) continue;
      held.add(id);
      missing.push(c);
    }
    if (missing.length > 0) await slot.api.seedSweep(dataId, doc, missing);
  }

  private seededIn(slot: Slot, dataId: string): Set<string> {
    let held = slot.sweepSeeded.get(dataId);
    if (!held) {
      held = new Set();
      slot.sweepSeeded.set(dataId, held);
    }
    return held;
  }

  /** The assets, timeframe and series a document reads (compiled in a worker; the UI cannot compile). */
  needs(doc: StrategyDocument, params?: ParamValues, signal?: AbortSignal): Promise<DataNeeds> {
    return this.submit<DataNeeds>((slot) => slot.api.needs(doc, params), { signal });
  }

  /**
   * Why each strategy did or did not act at `time` (see engine explain). It walks the run from its start to
   * `time` (seconds for a late bar of W2), so `signal` matters: aborting stops that walk through the task's
   * cancel flag (shared mode), and the worker is free for the next one at once.
   */
  explain(req: RunRequest, time: number, signal?: AbortSignal): Promise<Explanation[]> {
    const data = this.dataset(req.data);
    const key = explainKey(data.id, req.doc, req.params);
    return this.submit<Explanation[]>(async (slot, task) => {
      await this.ensureLoaded(slot, data.id, data.payload);
      // Unknown until it answers: a cancelled walk starts afresh next time, and a failed one holds nothing.
      slot.explaining = null;
      const out = await slot.api.explain(data.id, req.doc, time, req.params, task.flag);
      slot.explaining = { dataId: data.id, key };
      return out;
    }, { signal }, {}, { prefer: (s) => s.explaining?.key === key });
  }

  /**
   * Per worker, its explain walks so far (see engine Explainer): how many started from the first bar, walked
   * on from an earlier explanation, or answered one again. Diagnostics, and what the affinity tests read.
   */
  explainWalks(): Promise<{ starts: number; continued: number; repeated: number }[]> {
    return Promise.all(this.slots.map((s) => s.api.explainWalks()));
  }

  /**
   * Chart series of a run's assets: sampled bars and indicator columns (computed once per worker and data set).
   * `base`: a data set with the same bars (fewer price fields, as runs load them) whose indicator columns the
   * chart may take instead of computing them again: shared mode only (handing them over copies nothing), from
   * the pool's spread columns or a worker that holds `base`.
   */
  overlays(req: RunRequest, points: number, signal?: AbortSignal, base?: MarketData): Promise<AssetOverlay[]> {
    const data = this.dataset(req.data);
    const from = base && this.shared ? this.dataIds.get(base) : undefined;
    return this.submit<AssetOverlay[]>(async (slot, task) => {
      const fresh = !slot.loaded.includes(data.id);
      await this.ensureLoaded(slot, data.id, data.payload);
      if (from && fresh) {
        const spread = this.columns.get(from.payload)?.get(columnsKey(req.doc, req.params));
        const columns = spread ? await spread
          : slot.loaded.includes(from.id) ? await slot.api.indicatorColumns(from.id, req.doc, req.params, req.data.bars.map((_, i) => i), task.flag) : null;
        if (columns) await slot.api.seedColumns(data.id, req.doc, req.params, columns);
      }
      return slot.api.overlays(data.id, req.doc, points, req.params);
    }, { signal });
  }

  /** Forgets a data set in every worker (frees their copies and indicator columns). */
  async release(data: MarketData): Promise<void> {
    const d = this.dataIds.get(data);
    if (!d) return;
    this.dataIds.delete(data);
    await Promise.all(this.slots.map(async (s) => {
      const i = s.loaded.indexOf(d.id);
      if (i < 0) return;
      s.loaded.splice(i, 1);
      s.sweepSeeded.delete(d.id);
      if (s.explaining?.dataId === d.id) s.explaining = null;
      await s.api.drop(d.id);
    }));
  }

  /** Stops every worker; queued and running tasks reject with an AbortError. */
  close(): void {
    this.closed = true;
    for (const t of [...this.queue, ...this.slots.flatMap((s) => s.tasks)]) this.settle(t, false, abortError('engine pool closed'));
    this.queue.length = 0;
    for (const s of this.slots) this.stopWorker(s);
    this.slots.length = 0;
  }

  private newFlag(): Int32Array | undefined {
    return this.shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  }

  private dataset(data: MarketData): { id: string; payload: MarketData } {
    let d = this.dataIds.get(data);
    if (!d) {
      d = { id: `d${this.nextData++}`, payload: prepareData(data, this.shared) };
      this.dataIds.set(data, d);
    }
    return d;
  }

  private async ensureLoaded(slot: Slot, id: string, payload: MarketData): Promise<void> {
    const i = slot.loaded.indexOf(id);
    if (i >= 0) {
      slot.loaded.splice(i, 1);
      slot.loaded.push(id);
      return;
    }
    // Marked loaded before the answer: a pipelined task's call is posted after this load, and a worker
    // handles messages in order, so it finds the data without a second load (which would reset its cache).
    slot.loaded.push(id);
    const evict = slot.loaded.filter((x) => x !== id && !slot.tasks.some((t) => t.dataId === x));
    while (slot.loaded.length > this.keep && evict.length > 0) {
      const old = evict.shift()!;
      slot.loaded.splice(slot.loaded.indexOf(old), 1);
      slot.sweepSeeded.delete(old);
      if (slot.explaining?.dataId === old) slot.explaining = null;
      void slot.api.drop(old);
    }
    // A fresh load is a fresh IndicatorCache in the worker: it holds no sweep column yet.
    slot.sweepSeeded.delete(id);
    if (slot.explaining?.dataId === id) slot.explaining = null;
    try {
      await slot.api.load(id, payload);
    } catch (e) {
      slot.loaded.splice(slot.loaded.indexOf(id), 1);
      throw e;
    }
  }

  private submit<T>(
    exec: (slot: Slot, task: Task) => Promise<T>, ev: RunEvents, group: Partial<Group> = {},
    extra: Pick<Task, 'pipelined' | 'dataId' | 'prefer' | 'cell' | 'onPolled'> = {},
  ): Promise<T> {
    const signal = group.signal ?? ev.signal;
    if (this.closed) return Promise.reject(abortError('engine pool closed'));
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.nextTask++, exec, resolve: resolve as (v: unknown) => void, reject, signal,
        flag: group.flag ?? this.newFlag(), slot: null, done: false, running: false, onPhase: ev.onPhase,
        onProgress: ev.onProgress ? throttle(this.clock, this.interval, ev.onProgress) : undefined, ...extra,
      };
      // A batch member is cancelled by its batch (one listener for all); a lone task listens itself.
      const onAbort = () => this.cancel(task);
      if (group.tasks) group.tasks.add(task); else ev.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        group.tasks?.delete(task);
        ev.signal?.removeEventListener('abort', onAbort);
      };
      task.resolve = (v) => { cleanup(); resolve(v as T); };
      task.reject = (e) => { cleanup(); reject(e); };
      this.byId.set(task.id, task);
      this.queue.push(task);
      this.pump();
    });
  }

  private cancel(task: Task): void {
    if (task.done) return;
    const slot = task.slot;
    if (!slot) {
      this.queue.splice(this.queue.indexOf(task), 1);
      this.settle(task, false, abortError());
      return;
    }
    if (task.flag) {
      // The worker notices within 4096 steps and rejects with CancelledError; settle() maps it.
      Atomics.store(task.flag, 0, 1);
      return;
    }
    // Copy mode: nothing shared to signal through, so the worker goes and a fresh one takes its place;
    // another batch's chunk queued on the same worker goes back to the queue rather than failing.
    const others = slot.tasks.filter((t) => t !== task);
    this.detach(slot);
    for (const other of others.reverse()) this.requeue(other);
    this.settle(task, false, abortError());
  }

  /**
   * An idle worker, the task's preferred one if that is idle (an explanation goes where its walk is kept: the
   * next signal of a late W2 bar is then milliseconds instead of a walk from the first bar, seconds); for a
   * pipelined task, failing that, one holding only pipelined tasks with room for another.
   */
  private slotFor(task: Task): Slot | undefined {
    const prefer = task.prefer;
    const idle = (prefer ? this.slots.find((s) => s.tasks.length === 0 && prefer(s)) : undefined) ?? this.slots.find((s) => s.tasks.length === 0);
    if (idle || !task.pipelined) return idle;
    if (this.slots.length < this.size) return undefined;
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.tasks.length < PIPELINE_DEPTH && s.tasks.every((t) => t.pipelined) && (!best || s.tasks.length < best.tasks.length)) best = s;
    }
    return best;
  }

  private requeue(task: Task): void {
    if (task.done) return;
    task.stopPolling?.();
    // The worker that ran it is gone; the next one reports from 0 again, and a stale reading would hold it back.
    if (task.cell) writeProgress(task.cell, 0);
    task.slot = null;
    task.running = false;
    this.queue.unshift(task);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      let slot = this.slotFor(head);
      if (!slot && this.slots.length < this.size) slot = this.startWorker();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.tasks.push(task);
      task.slot = slot;
      task.onPhase?.('warmingUp');
      task.exec(slot, task).then(
        (v) => { if (task.slot === slot) this.settle(task, true, v); },
        (e: unknown) => { if (task.slot === slot) this.settle(task, false, task.signal?.aborted && isAbortError(e) ? abortError() : e); },
      );
    }
  }

  private settle(task: Task, ok: boolean, value: unknown): void {
    if (task.done) return;
    task.done = true;
    task.stopPolling?.();
    this.byId.delete(task.id);
    const tasks = task.slot?.tasks;
    if (tasks?.includes(task)) tasks.splice(tasks.indexOf(task), 1);
    if (ok) task.resolve(value); else task.reject(value);
    if (!this.closed) this.pump();
  }

  private onProgress(taskId: number, fraction: number): void {
    const task = this.byId.get(taskId);
    if (!task || task.done) return;
    if (!task.running) {
      task.running = true;
      task.onPhase?.('running');
      if (task.cell) this.poll(task, task.cell);
    }
    task.onProgress?.(fraction);
  }

  /** Reads a running task's progress cell every interval until it settles; reports each advance. */
  private poll(task: Task, cell: Int32Array): void {
    let last = 0;
    const read = () => {
      if (task.done) return;
      const f = readProgress(cell);
      if (f > last) {
        last = f;
        task.onPolled?.(f);
      }
      task.stopPolling = this.schedule(read, this.interval);
    };
    task.stopPolling = this.schedule(read, this.interval);
  }

  private startWorker(): Slot {
    const ep = this.spawnFn();
    const api = wrap<EngineApi>(ep);
    const slot: Slot = { ep, api, loaded: [], tasks: [], sweepSeeded: new Map(), explaining: null, primed: false };
    void api.setProgressSink(proxy((id: number, f: number) => this.onProgress(id, f)));
    // A worker that dies (failed module load, out of memory) would otherwise leave its task pending forever.
    const withError = ep as { onerror?: unknown };
    if ('onerror' in withError) {
      withError.onerror = (e: { message?: string; preventDefault?: () => void }) => {
        e.preventDefault?.();
        // Detached first, so settling (which pumps) cannot hand the dying worker a new task.
        const lost = this.detach(slot);
        for (const t of lost) this.settle(t, false, new Error(`engine worker failed: ${e.message ?? 'unknown error'}`));
        if (!this.closed) this.pump();
      };
    }
    this.slots.push(slot);
    return slot;
  }

  /**
   * Takes a worker out of the pool and stops it (a fresh one starts lazily on the next pump); returns the
   * tasks it held, now without a worker.
   */
  private detach(slot: Slot): Task[] {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    this.stopWorker(slot);
    const held = slot.tasks.splice(0);
    for (const t of held) t.slot = null;
    return held;
  }

  private stopWorker(slot: Slot): void {
    // No releaseProxy(): it waits for an answer a terminated worker never sends.
    void slot.ep.terminate();
  }
}
