/**
 * The engine pool in Chromium (workers/engine.worker.ts over Comlink).
 *
 * W2 end to end, as the app runs it: the W2 bars are written to OPFS first (untimed, in the suite's set-up
 * page, closed with its renderer process before the benches run, so its memory is not counted); then the Results page's PoolRunner is timed from "Run" to the RunResult
 * on the page: what the document needs, its bars loaded from the store through the app's data worker into
 * SharedArrayBuffers, handed to the pool's worker (no copy), the run, the result back as transferred columns
 * and decoded. The pool's worker is started beforehand, as in the app where it is already up when the user
 * presses Run. Goal ≤ 1 s. The runner adds the renderer's peak resident memory over the timed window (page
 * and workers; goal ≤ 400 MB). The same with one worker per core (columns spread by asset), and a row of
 * parts from direct calls to one engine worker (read, hand-off, columns, run, decode, cloned traces).
 * `npm run bench:browser -- engine --workload W2` runs only W2.
 *
 * W1 runs/s: a batch of parameter sets of the W1 SMA cross spread over the pool (audit off, stats only, as an
 * optimizer runs), with the default size (cores − 1) and with one worker per core. Goal ≥ 2,000 runs/s on 2
 * cores. Each pool size is timed twice on the same workers: the first batch after start-up (their JIT still
 * warming, which on 2 cores halved the rate) and then warm, as the app's long-lived pool runs a search; the
 * warm row on every core is the JSON's W1. The same runs on the page's own thread, timed in the same run,
 * give the per-thread rate, and `perThreadRatio` = pool runs/s ÷ (per-thread runs/s × workers): 1 means
 * the pool costs nothing.
 *
 * W3: the W3 sweep (1,000 SMA-cross combinations × ~1 M minute bars) over one worker per core, its indicator
 * columns computed once over the pool (sweep columns, pool.ts): the whole grid is run and timed (`projected:
 * false`; --quick times 4 combinations and projects). The top-level `W3` of the JSON is the fast path's row
 * (`allCores: true`); the reference engine runs a sample of 6 of the same candidates in the same run, and
 * `matchesFast` says whether their statistics are identical.
 */
import { wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import type { DataService } from '../../src/data/browser/service.ts';
import { EnginePool } from '../../src/rpc/pool.ts';
import type { EngineApi } from '../../src/rpc/engine-api.ts';
import { JobQueue } from '../../src/rpc/job-queue.ts';
import { decodeResult, encodeResult } from '../../src/rpc/result-columns.ts';
import { PoolRunner } from '../../src/ui/runner-pool.ts';
import { arrayTrades, tradeRows, type TradeRows } from '../../src/rpc/trade-rows.ts';
import { sortTrades, tradeDecimals } from '../../src/ui/results/trade-order.ts';
import { histogram } from '../../src/ui/results/report-math.ts';
import { firstTrades, MAX_TRADES } from '../../src/ui/history/run-store.ts';
import type { RunResult } from '../../src/schema/index.ts';
import type { BenchRow, BenchSuite } from './harness.ts';
import { consume, freshMemory, timeIt } from './harness.ts';
import { SEED, W2_SYMBOLS, floorPass, w1, w2Doc, w3 } from './workloads.ts';
import { compile, IndicatorCache, runBacktest } from '../../src/engine/index.ts';
import { Rng } from '../../src/lib/rng.ts';

const spawn = () => new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module' });

/** The W2 bars written to OPFS by a data worker of its own, ended afterwards: its garbage is not the timed window's. */
async function storeW2(dir: string, dbName: string, years: number): Promise<{ bars: number; ms: number }> {
  const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  try {
    await api.open({ dir, dbName });
    const t0 = performance.now();
    const infos = await api.storeSynthetic({ symbols: W2_SYMBOLS, years, seed: SEED, gaps: false });
    return { bars: infos.reduce((n, i) => n + i.rows, 0), ms: Math.round(performance.now() - t0) };
  } finally {
    await api.close().catch(() => undefined);
    worker.terminate();
  }
}

/** Lets go of what an earlier section left (the bench's Chromium runs with --expose-gc), so a memory window starts clean. */
async function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200));
}

/**
 * W2 as the app runs it: the Results page's PoolRunner (needs → load from the store through the data worker
 * → a job on the queue → the pool → results decoded on the page), timed from pressing Run to the RunResult.
 */
async function w2Runner(
  api: Remote<DataService>, size: number, bars: number, years: number, rows: Record<string, BenchRow>, row: string, floorSeconds: () => Promise<number>, prepare: boolean,
): Promise<void> {
  const doc = w2Doc();
  const pool = new EnginePool({ spawn, size });
  const queue = JobQueue.open({ pool, dbName: W2_JOBS });
  const runner = new PoolRunner(pool, () => queue, api);
  try {
    const tWarm = performance.now();
    await pool.warm(); // every worker up and primed, as the app starts them when the page is idle
    const warmMs = Math.round(performance.now() - tWarm);
    await pool.needs(doc); // a worker has compiled the document, as when the user presses Run
    // The app readies a run of the edited document when the page is idle (usePrepareRun): the data worker
    // touches the memory the bars will load into (src/data/touched.ts). Without it: Run pressed at once.
    if (prepare) await runner.prepare(doc);
    const reserve = await api.reserved();
    await settle();
    console.log(`[mem] begin ${row}`);
    const t0 = performance.now();
    let tRunning = NaN;
    const result = await runner.run(doc, { onProgress: (p) => { if (p.phase === 'running' && Number.isNaN(tRunning)) tRunning = performance.now(); } });
    const t1 = performance.now();
    const reserveTaken = (await api.reserved()).taken - reserve.taken;
    // Whether the first run's signal pass was split over the workers (the pool's idle workers that were up).
    const splitFirst = pool.counters.splitRuns;
    console.log(`[mem] end ${row}`);
    // The same run again: the runner keeps the loaded data set and the workers their indicator columns.
    const t2 = performance.now();
    await runner.run(doc);
    const rerunMs = Math.round(performance.now() - t2);
    const seconds = (t1 - t0) / 1000;
    rows[row] = {
      bars, years, workers: size, seconds: +seconds.toFixed(3), barsPerSecond: Math.round(bars / seconds), floorRatio: +(seconds / await floorSeconds()).toFixed(1),
      ms: Math.round(t1 - t0), warmMs, primed: pool.counters.primed, untilRunningMs: Math.round(tRunning - t0), afterRunningMs: Math.round(t1 - tRunning), rerunMs, shared: pool.shared,
      splitSignalPass: splitFirst > 0, splitRerun: pool.counters.splitRuns > splitFirst,
      preparedWhileIdle: prepare, reservedMB: +(reserve.bytes / 2 ** 20).toFixed(1), reserveTaken,
      engine: result.engine ?? 'unknown', trades: result.trades.length, orders: result.orders.length, signals: result.signals.length, goalMs: 1000,
    };
  } finally {
    await runner.close();
  }
}

/**
 * What the results page reads of a run's trades before it shows them: the trade table's first page in its
 * default order (by entry) with each symbol's price decimals, the returns' histogram, and the run history's
 * first MAX_TRADES trades.
 */
function firstReads(r: RunResult, rows: TradeRows): number {
  const page = sortTrades(rows, 'entryTime', true).slice(0, 200).map((i) => rows.at(i));
  const decimals = tradeDecimals(rows);
  const h = histogram(Array.from(rows.numbers('returnPct')));
  return page.length + decimals.size + h.counts.length + firstTrades(r, MAX_TRADES).length;
}

/**
 * W2 split into its parts, by calling one fresh engine worker directly (the same calls the pool makes): store
 * read and decode (every field, and only the plan's fields), hand-off, indicator columns, the run with its
 * result as transferred columns, decoding them on the page; then the run again on cached columns, and with
 * every trace structured-cloned (how results came back before columns).
 */
async function w2Breakdown(api: Remote<DataService>, rows: Record<string, BenchRow>): Promise<void> {
  const doc = w2Doc();
  const ep = spawn();
  const engine = wrap<EngineApi>(ep);
  // Each part is a window of its own: wall ms here, CPU ms and memory added by the runner.
  const part = async <T>(name: string, fn: () => Promise<T> | T, extra: (v: T) => BenchRow = () => ({})): Promise<T> => {
    const row = `W2 part: ${name}`;
    console.log(`[mem] begin ${row}`);
    const t0 = performance.now();
    const v = await fn();
    const ms = Math.round(performance.now() - t0);
    console.log(`[mem] end ${row}`);
    rows[row] = { ms, ...extra(v) };
    return v;
  };
  try {
    const needs = await engine.needs(doc);
    await part(`read ${needs.fields.join(' ')} (the plan's fields)`, () => Promise.all(W2_SYMBOLS.map((s) => api.get(s, '1m', undefined, needs.fields))));
    await settle();
    const loaded = await part('read every field', () => Promise.all(W2_SYMBOLS.map((s) => api.get(s, '1m'))));
    const data = { bars: loaded.map((b) => b!) };
    await part('hand-off to the worker', () => engine.load('w2', data));
    await part('indicator columns', () => engine.indicatorColumns('w2', doc, undefined, needs.assets.map((_, i) => i)), (c) => ({ columns: c.length }));
    const cols = await part('run, result columns transferred', () => engine.runColumns({ id: 1, dataId: 'w2', doc }));
    // Trades, orders and signals are decoded on first read: the results page reads them from the columns.
    const result = await part('decode the result on the page', () => decodeResult(cols), (r) => ({ trades: r.stats.tradeCount, engine: r.engine ?? 'unknown' }));
    await part('the results page\'s first reads of the trades, from the columns (table page, decimals, histogram, history)', () => firstReads(result, tradeRows(result)));
    // As the page read them before: every trade decoded into an object first (a result of its own, so the
    // decode is in this window), then the same reads over the objects.
    await part('the same reads with every trade decoded first (as before)', () => {
      const objects = decodeResult(cols);
      return firstReads(objects, arrayTrades(objects.trades));
    });
    await part('decode every order and signal (an export reads them all)', () => ({ signals: result.signals.length, orders: result.orders.length }), (n) => n);
    // What encoding a result of objects costs (timed on the page): the worker's run above no longer does it
    // when the compiled walk runs (it writes its columns from its logs); a run on another walk still does.
    await part('encode a result of objects as columns (the compiled walk skips it; timed on the page)', () => encodeResult(result));
    await part('run again (cached columns)', () => engine.runColumns({ id: 2, dataId: 'w2', doc }));
    await part('run again, every trace structured-cloned', () => engine.run({ id: 3, dataId: 'w2', doc, audit: true }));
  } finally {
    ep.terminate();
  }
}

const W2_DIR = 'bench-engine-bars', W2_DB = 'bench-engine-catalog', W2_JOBS = 'bench-engine-jobs';

async function clearW2(): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(W2_DIR, { recursive: true }).catch(() => undefined);
  await deleteDB(W2_DB);
  await deleteDB(W2_JOBS);
}

/** The set-up page: W2's bars generated and written to OPFS (untimed). */
async function w2Setup(quick: boolean): Promise<BenchRow> {
  await clearW2();
  return storeW2(W2_DIR, W2_DB, quick ? 1 : 10);
}

async function w2Rows(quick: boolean, rows: Record<string, BenchRow>): Promise<void> {
  const dir = W2_DIR, dbName = W2_DB;
  const years = quick ? 1 : 10;
  // The app's data worker, opened before the run (as the page opens it at start).
  const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  let floor: number | null = null;
  const floorSeconds = async () => {
    if (floor === null) {
      const bars = (await Promise.all(W2_SYMBOLS.map((s) => api.get(s, '1m', undefined, ['close'])))).map((b) => b!);
      floor = timeIt(() => consume(floorPass(bars)), { minMs: 300, warmup: 1 }) / 1000;
    }
    return floor;
  };
  try {
    await api.open({ dir, dbName });
    await api.migration();
    const bars = (await api.list()).filter((d) => d.kind === 'bars').reduce((n, d) => n + d.rows, 0);
    // What fresh memory costs this renderer: W2 writes hundreds of MiB of new columns (see harness.ts).
    rows['floor: fresh memory in the page (first write of a new 64 MiB array, and again)'] = freshMemory();
    await settle();
    await w2Runner(api, 1, bars, years, rows, 'W2 store → results (app runner, 1 worker; prepared while idle)', floorSeconds, true);
    await settle();
    await w2Runner(api, 1, bars, years, rows, 'W2 store → results, Run pressed with no idle moment before it (1 worker, no reserve)', floorSeconds, false);
    const size = navigator.hardwareConcurrency;
    await settle();
    if (size >= 2) await w2Runner(api, size, bars, years, rows, `W2 store → results (app runner, ${size} workers, columns spread by asset; prepared while idle)`, floorSeconds, true);
    await settle();
    await w2Breakdown(api, rows);
  } finally {
    await api.close().catch(() => undefined);
    worker.terminate();
    await clearW2();
  }
}

async function w1Rows(quick: boolean, rows: Record<string, BenchRow>): Promise<void> {
  const { doc, data } = w1();
  const params: { fast: number; slow: number }[] = [];
  for (let slow = 20; slow <= 200; slow += 5) for (let fast = 2; fast <= 50; fast++) if (fast < slow) params.push({ fast, slow });
  const sets = params.slice(0, quick ? 200 : params.length);
  const cores = navigator.hardwareConcurrency;
  // One floor pass over 3,780 bars is below the timer's resolution: time 1,000 and divide.
  const floorMs = timeIt(() => { for (let k = 0; k < 1000; k++) consume(floorPass(data.bars)); }, { minMs: 200 }) / 1000;
  // The per-thread rate: what a worker does per candidate (compile, run with a shared IndicatorCache, stats
  // only), on the page's thread, after a warm-up pass over the same candidates.
  const cache = new IndicatorCache();
  const one = (p: { fast: number; slow: number }) => runBacktest(doc, data, { plan: compile(doc, { params: p }), audit: false, record: 'stats', trades: false, indicatorCache: cache }).stats.finalEquity;
  for (const p of sets.slice(0, 100)) consume(one(p));
  let t0 = performance.now();
  for (const p of sets) consume(one(p));
  const threadRunsPerSecond = sets.length / ((performance.now() - t0) / 1000);
  rows['W1 per thread, in page (stats per run)'] = { runs: sets.length, runsPerSecond: Math.round(threadRunsPerSecond), msPerRun: +(1000 / threadRunsPerSecond).toFixed(3) };
  for (const size of [...new Set([Math.max(1, cores - 1), cores])]) {
    const pool = new EnginePool({ spawn, size });
    const label = `${size} worker${size > 1 ? 's' : ''}`;
    try {
      await pool.evaluateBatch(doc, data, sets.slice(0, size * 8)); // workers up, data loaded
      // Two timed passes of the same batch: the first on workers that have run only the 8 candidates above
      // (each worker's JIT still compiling the engine, on the same cores), the second on the same workers
      // once warm, as the app's pool is after its first search (it keeps its workers). Both are reported;
      // the warm one on every core is the JSON's top-level W1 (`allCores`).
      for (const pass of ['first batch', 'warm'] as const) {
        t0 = performance.now();
        // Full statistics per run, as an optimizer asks for them (chunked over the pool, stats only).
        await pool.evaluateBatch(doc, data, sets);
        const s = (performance.now() - t0) / 1000;
        const msPerRun = (s * 1000) / sets.length;
        const runsPerSecond = sets.length / s;
        rows[`W1 over the pool, ${pass}, stats per run (${label})`] = {
          runs: sets.length, cores, msPerRun: +msPerRun.toFixed(3), floorRatio: +(msPerRun / floorMs).toFixed(1), seconds: +s.toFixed(3), runsPerSecond: Math.round(runsPerSecond),
          msPerRunPerWorker: +((s * 1000 * size) / sets.length).toFixed(3), perThreadRatio: +(runsPerSecond / (threadRunsPerSecond * size)).toFixed(2), goalRunsPerSecond: 2000,
          ...(pass === 'warm' && size === cores ? { allCores: true } : {}),
        };
      }
    } finally {
      pool.close();
    }
  }
}

/** W3 on every core: the 1,000 combinations (a seeded order), fast path, and the reference on 6 of them, in the same run. */
async function w3Rows(quick: boolean, rows: Record<string, BenchRow>): Promise<void> {
  const { doc, data, bars, params } = w3();
  const rng = new Rng(3);
  const order = params.map((p) => ({ p, k: rng.next() })).sort((a, b) => a.k - b.k).map((x) => x.p);
  // The whole grid unless --quick: a sample's projection charged each sampled combination ~1.5 of the columns
  // the real sweep computes 0.07 of (70 columns for 1,000 combinations), which overstated W3 several times over.
  const sample = quick ? order.slice(0, 4) : order;
  const refSample = sample.slice(0, quick ? 2 : 6);
  const size = navigator.hardwareConcurrency;
  const floorSeconds = timeIt(() => consume(floorPass(data.bars)), { minMs: 300, warmup: 1 }) / 1000;
  // The per-thread rate, beside Node's (engine.bench.ts's W3 row): a spread of 40 candidates on the page's
  // thread with their columns cached (a first pass computes them), as a worker runs each candidate.
  {
    const cache = new IndicatorCache();
    const some = order.slice(0, quick ? 6 : 40);
    const one = (p: { fast: number; slow: number }) => runBacktest(doc, data, { plan: compile(doc, { params: p }), audit: false, record: 'stats', trades: false, indicatorCache: cache }).stats.finalEquity;
    for (const p of some) consume(one(p));
    const t0 = performance.now();
    for (const p of some) consume(one(p));
    const ms = (performance.now() - t0) / some.length;
    rows['W3 per thread, in page (columns cached)'] = { runs: some.length, msPerRun: +ms.toFixed(2), projectedSecondsFor1000OnAllCores: +(ms / size).toFixed(1) };
  }
  const pool = new EnginePool({ spawn, size });
  try {
    // Untimed: workers up and the data loaded in each, with a candidate outside the grid (SMA 3 / 105 are no
    // grid windows, so the timed sample computes every column it reads).
    await pool.evaluateBatch(doc, data, Array.from({ length: size }, () => ({ fast: 3, slow: 105 })));
    const row = `W3 ${sample.length < 1000 ? 'sample' : 'grid 1,000'}, fast path, pool ×${size} (columns once per sweep)`;
    // A memory window (renderer-memory.ts): peak memory, CPU and the renderers' page faults of the timed sweep.
    console.log(`[mem] begin ${row}`);
    let t0 = performance.now();
    const fast = await pool.evaluateBatch(doc, data, sample);
    const fastSeconds = (performance.now() - t0) / 1000;
    console.log(`[mem] end ${row}`);
    // Before the reference's sample: a sweep over the column budget keeps no column, so that sample computes its own.
    const counts = await pool.columnCounts(data);
    t0 = performance.now();
    const ref = await pool.evaluateBatch(doc, data, refSample, { engine: 'reference' });
    const refSeconds = (performance.now() - t0) / 1000;
    const matchesFast = JSON.stringify(ref) === JSON.stringify(fast.slice(0, refSample.length));
    const perFast = fastSeconds / sample.length, perRef = refSeconds / refSample.length;
    rows[row] = {
      bars, workers: size, allCores: true, combos: 1000, sample: sample.length, sampleSeconds: +fastSeconds.toFixed(3),
      seconds: +(1000 * perFast).toFixed(1), projected: sample.length < 1000, secondsPerCombination: +perFast.toFixed(4), floorSeconds: +floorSeconds.toFixed(5),
      floorRatio: +(perFast / floorSeconds).toFixed(1), columnsComputed: counts.reduce((n, c) => n + c.computed, 0),
      sweepGroups: pool.counters.sweepGroups, sweepBuffersReused: pool.counters.sweepBuffersReused, goalSeconds: 10,
    };
    rows[`W3 sample, reference, pool ×${size}`] = {
      bars, workers: size, combos: 1000, sample: refSample.length, sampleSeconds: +refSeconds.toFixed(3), seconds: +(1000 * perRef).toFixed(1), projected: true,
      secondsPerCombination: +perRef.toFixed(4), floorRatio: +(perRef / floorSeconds).toFixed(1), fastOverReference: +(perFast / perRef).toFixed(3), matchesFast,
    };
  } finally {
    pool.close();
  }
}

const suite: BenchSuite = {
  name: 'engine pool',
  async setup({ quick, workloads }): Promise<Record<string, BenchRow>> {
    return !workloads?.length || workloads.includes('W2') ? { 'W2 setup: generate + write to OPFS (untimed, in a page of its own)': await w2Setup(quick) } : {};
  },
  async run({ quick, workloads }) {
    const rows: Record<string, BenchRow> = {};
    const want = (w: string) => !workloads?.length || workloads.includes(w);
    if (want('W1')) await w1Rows(quick, rows);
    if (want('W3')) await w3Rows(quick, rows);
    if (want('W2')) await w2Rows(quick, rows);
    return rows;
  },
};

export default suite;
