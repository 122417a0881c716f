/**
 * The engine pool in Chromium (workers/engine.worker.ts over Comlink).
 *
 * W2 end to end: the W2 bars are written to OPFS first (untimed, in the data worker); then timed from
 * "data in the store" to "results ready": load the 7 symbols into SharedArrayBuffers, hand them to a pool
 * worker (no copy) and run the 3 strategy kinds (29 entries) with audit on. The pool's worker is started
 * beforehand, as in the app where it is already up when the user presses Run. Goal ≤ 1 s. The runner adds
 * the renderer's peak resident memory over the timed window (page and workers; goal ≤ 400 MB), and the
 * same run repeated on the warm worker (indicator columns cached) says what the columns cost.
 *
 * W1 runs/s: a batch of parameter sets of the W1 SMA cross spread over the pool (audit off, stats only, as an
 * optimizer runs), with the default size (cores − 1) and with one worker per core. Goal ≥ 2,000 runs/s on 2
 * cores. The same runs on the page's own thread, timed in the same run, give the per-thread rate, and
 * `perThreadRatio` = pool runs/s ÷ (per-thread runs/s × workers): 1 means the pool costs nothing.
 *
 * W3: the W3 sweep (1,000 SMA-cross combinations × ~1 M minute bars) over one worker per core, its indicator
 * columns computed once over the pool (sweep columns, pool.ts). A seeded sample is timed and 1,000
 * projected (`projected: true`; BENCH_W3_FULL is not read here: the full grid takes minutes). The top-level
 * `W3` of the JSON is the fast path's row (`allCores: true`); the reference engine runs a smaller sample of
 * the same candidates in the same run, and `matchesFast` says whether their statistics are identical.
 */
import { wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import type { DataService } from '../../src/data/browser/service.ts';
import { EnginePool } from '../../src/rpc/pool.ts';
import type { BenchRow, BenchSuite } from './harness.ts';
import { consume, timeIt } from './harness.ts';
import { SEED, W2_SYMBOLS, floorPass, w1, w2Doc, w3 } from './workloads.ts';
import type { StrategyDocument } from '../../src/schema/index.ts';
import { compile, IndicatorCache, runBacktest } from '../../src/engine/index.ts';
import { Rng } from '../../src/lib/rng.ts';

const spawn = () => new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module' });

async function w2Rows(quick: boolean, rows: Record<string, BenchRow>): Promise<void> {
  const dir = 'bench-engine-bars', dbName = 'bench-engine-catalog';
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
  await deleteDB(dbName);
  const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  const pool = new EnginePool({ spawn, size: 1 });
  try {
    await api.open({ dir, dbName });
    const years = quick ? 1 : 10;
    let t0 = performance.now();
    const infos = await api.storeSynthetic({ symbols: W2_SYMBOLS, years, seed: SEED, gaps: false });
    const bars = infos.reduce((n, i) => n + i.rows, 0);
    rows['W2 setup: generate + write to OPFS (untimed)'] = { bars, ms: Math.round(performance.now() - t0) };
    const doc = w2Doc();
    await pool.needs(doc); // starts the worker and compiles once, untimed
    const row = 'W2 store → results (pool, 1 worker)';
    console.log(`[mem] begin ${row}`);
    t0 = performance.now();
    const loaded = await Promise.all(W2_SYMBOLS.map((s) => api.get(s, '1m')));
    const tLoad = performance.now();
    const result = await pool.run({ doc, data: { bars: loaded.map((b) => b!) } });
    const t1 = performance.now();
    console.log(`[mem] end ${row}`);
    // The same run again on the warm worker: its indicator columns are cached there, so the difference to
    // runMs is what computing them cost in the first run.
    const t2 = performance.now();
    await pool.run({ doc, data: { bars: loaded.map((b) => b!) } });
    const rerunMs = Math.round(performance.now() - t2);
    // The same again, with the result structured-cloned with every trace (how results came back before they
    // were columns): the difference to rerunMs is what the columns and explain-on-demand save.
    const t3 = performance.now();
    await pool.run({ doc, data: { bars: loaded.map((b) => b!) }, audit: true });
    const rerunClonedMs = Math.round(performance.now() - t3);
    const shared = loaded.every((b) => b!.time.buffer instanceof SharedArrayBuffer);
    const cols = loaded.map((b) => b!);
    const floorSeconds = timeIt(() => consume(floorPass(cols)), { minMs: 300, warmup: 1 }) / 1000;
    const seconds = (t1 - t0) / 1000;
    rows[row] = {
      bars, years, seconds: +seconds.toFixed(3), barsPerSecond: Math.round(bars / seconds), floorRatio: +(seconds / floorSeconds).toFixed(1),
      ms: Math.round(t1 - t0), loadMs: Math.round(tLoad - t0), runMs: Math.round(t1 - tLoad),
      barsPerSecondRun: Math.round(bars / ((t1 - tLoad) / 1000)), rerunMs, rerunClonedMs, shared: shared && pool.shared,
      trades: result.trades.length, signals: result.signals.length, goalMs: 1000,
    };
    pool.close();
    await w2Spread(api, doc, bars, rows);
  } finally {
    pool.close();
    await api.close().catch(() => undefined);
    worker.terminate();
    await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
    await deleteDB(dbName);
  }
}

/**
 * W2 from the store on one worker per core: the indicator columns are computed once over the pool, each
 * worker its share of the assets, in SharedArrayBuffers the running worker reads (pool.ts, spreadColumnsFrom).
 */
async function w2Spread(api: Remote<DataService>, doc: StrategyDocument, bars: number, rows: Record<string, BenchRow>): Promise<void> {
  const size = navigator.hardwareConcurrency;
  if (size < 2) return;
  const pool = new EnginePool({ spawn, size });
  try {
    await pool.needs(doc);
    const row = `W2 store → results (pool, ${size} workers, columns spread by asset)`;
    console.log(`[mem] begin ${row}`);
    const t0 = performance.now();
    const loaded = await Promise.all(W2_SYMBOLS.map((s) => api.get(s, '1m')));
    const tLoad = performance.now();
    const data = { bars: loaded.map((b) => b!) };
    const result = await pool.run({ doc, data });
    const t1 = performance.now();
    console.log(`[mem] end ${row}`);
    const counts = await pool.columnCounts(data);
    rows[row] = {
      bars, seconds: +((t1 - t0) / 1000).toFixed(3), ms: Math.round(t1 - t0), loadMs: Math.round(tLoad - t0), runMs: Math.round(t1 - tLoad),
      columnsComputed: counts.reduce((n, c) => n + c.computed, 0), trades: result.trades.length, signals: result.signals.length, goalMs: 1000,
    };
  } finally {
    pool.close();
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
  const one = (p: { fast: number; slow: number }) => runBacktest(doc, data, { plan: compile(doc, { params: p }), audit: false, record: 'stats', indicatorCache: cache }).stats.finalEquity;
  for (const p of sets.slice(0, 100)) consume(one(p));
  let t0 = performance.now();
  for (const p of sets) consume(one(p));
  const threadRunsPerSecond = sets.length / ((performance.now() - t0) / 1000);
  rows['W1 per thread, in page (stats per run)'] = { runs: sets.length, runsPerSecond: Math.round(threadRunsPerSecond), msPerRun: +(1000 / threadRunsPerSecond).toFixed(3) };
  for (const size of [...new Set([Math.max(1, cores - 1), cores])]) {
    const pool = new EnginePool({ spawn, size });
    try {
      await pool.evaluateBatch(doc, data, sets.slice(0, size * 8)); // workers up, data loaded, code warm
      t0 = performance.now();
      // Full statistics per run, as an optimizer asks for them (chunked over the pool, stats only).
      await pool.evaluateBatch(doc, data, sets);
      const s = (performance.now() - t0) / 1000;
      const msPerRun = (s * 1000) / sets.length;
      const runsPerSecond = sets.length / s;
      rows[`W1 batch over the pool, stats per run (${size} worker${size > 1 ? 's' : ''})`] = {
        runs: sets.length, cores, msPerRun: +msPerRun.toFixed(3), floorRatio: +(msPerRun / floorMs).toFixed(1), seconds: +s.toFixed(3), runsPerSecond: Math.round(runsPerSecond),
        msPerRunPerWorker: +((s * 1000 * size) / sets.length).toFixed(3), perThreadRatio: +(runsPerSecond / (threadRunsPerSecond * size)).toFixed(2), goalRunsPerSecond: 2000,
      };
    } finally {
      pool.close();
    }
  }
}

/** W3 on every core: a seeded sample of the 1,000 combinations, fast path and reference in the same run. */
async function w3Rows(quick: boolean, rows: Record<string, BenchRow>): Promise<void> {
  const { doc, data, bars, params } = w3();
  const rng = new Rng(3);
  const order = params.map((p) => ({ p, k: rng.next() })).sort((a, b) => a.k - b.k).map((x) => x.p);
  const sample = order.slice(0, quick ? 4 : 40);
  const refSample = sample.slice(0, quick ? 2 : 6);
  const size = navigator.hardwareConcurrency;
  const floorSeconds = timeIt(() => consume(floorPass(data.bars)), { minMs: 300, warmup: 1 }) / 1000;
  const pool = new EnginePool({ spawn, size });
  try {
    // Untimed: workers up and the data loaded in each, with a candidate outside the grid (SMA 3 / 105 are no
    // grid windows, so the timed sample computes every column it reads).
    await pool.evaluateBatch(doc, data, Array.from({ length: size }, () => ({ fast: 3, slow: 105 })));
    let t0 = performance.now();
    const fast = await pool.evaluateBatch(doc, data, sample);
    const fastSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const ref = await pool.evaluateBatch(doc, data, refSample, { engine: 'reference' });
    const refSeconds = (performance.now() - t0) / 1000;
    const counts = await pool.columnCounts(data);
    const matchesFast = JSON.stringify(ref) === JSON.stringify(fast.slice(0, refSample.length));
    const perFast = fastSeconds / sample.length, perRef = refSeconds / refSample.length;
    rows[`W3 sample, fast path, pool ×${size} (columns once per sweep)`] = {
      bars, workers: size, allCores: true, combos: 1000, sample: sample.length, sampleSeconds: +fastSeconds.toFixed(3),
      seconds: +(1000 * perFast).toFixed(1), projected: true, secondsPerCombination: +perFast.toFixed(4), floorSeconds: +floorSeconds.toFixed(5),
      floorRatio: +(perFast / floorSeconds).toFixed(1), columnsComputed: counts.reduce((n, c) => n + c.computed, 0), goalSeconds: 10,
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
  async run({ quick }) {
    const rows: Record<string, BenchRow> = {};
    await w1Rows(quick, rows);
    await w3Rows(quick, rows);
    await w2Rows(quick, rows);
    return rows;
  },
};

export default suite;
