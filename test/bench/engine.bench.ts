import { IndicatorCache, runBacktest } from '../../src/engine/index.ts';
import { createEngineService } from '../../src/engine/service.ts';
import { compile } from '../../src/strategy/index.ts';
import { consume, freshMemory, timeIt, type BenchRow, type BenchSuite } from './harness.ts';
import { asLoaded, floorPass, w1, w2, w3 } from './workloads.ts';

type Engine = 'fast' | 'reference';

/** CPU time of this process (ms): on a shared machine it moves far less than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const ENGINES: readonly Engine[] = ['fast', 'reference'];

/** Minor page faults of this process so far: each is a first touch of a fresh 4 KiB page. */
function faults(): number {
  return process.resourceUsage().minorPageFault;
}

/**
 * W1–W3 in one Node thread (the pool benches measure the multi-core figures), on both engines in the same
 * run: the fast path (rows "W1", "W2", "W3") and the reference kernel (rows "… reference"), each with its
 * ratio to the floor measured in the same run, and fast ÷ reference. W1 also per sweep candidate (stats only,
 * columns shared), the Node twin of the Chromium bench's per-thread row and the JSON's top-level W1; "W2"
 * and "W3" are the JSON's top-level W2 and W3.
 */
const suite: BenchSuite = {
  name: 'engine (Node, one thread)',
  async run({ quick }) {
    const rows: Record<string, BenchRow> = {};
    const name = (w: string, e: Engine) => (e === 'fast' ? w : `${w} reference`);

    const a = w1();
    const plan = compile(a.doc);
    const w1floor = timeIt(() => { for (let k = 0; k < 100; k++) consume(floorPass(a.data.bars)); }, { minMs: 200 }) / 100;
    const w1ms: Record<Engine, number> = { fast: NaN, reference: NaN };
    for (const engine of ENGINES) {
      w1ms[engine] = timeIt(() => consume(runBacktest(a.doc, a.data, { plan, audit: false, engine }).stats.finalEquity), { minMs: quick ? 200 : 1500 });
      rows[name('W1', engine)] = {
        engine, bars: a.bars, msPerRun: w1ms[engine], runsPerSecond: 1000 / w1ms[engine], floorMs: w1floor, floorRatio: w1ms[engine] / w1floor,
      };
    }
    rows.W1!.vsReference = w1ms.fast / w1ms.reference;
    // 'auto' (the default): the row users get (the compiled walk takes W1 under FAST_MIN_BARS since wave 5).
    const auto = runBacktest(a.doc, a.data, { plan, audit: false });
    const autoMs = timeIt(() => consume(runBacktest(a.doc, a.data, { plan, audit: false }).stats.finalEquity), { minMs: quick ? 200 : 1500 });
    rows['W1 auto'] = { engine: auto.engine ?? '?', bars: a.bars, msPerRun: autoMs, runsPerSecond: 1000 / autoMs, floorMs: w1floor, floorRatio: autoMs / w1floor, vsReference: autoMs / w1ms.reference };
    // What one thread of a search does per candidate, as the Chromium bench's per-thread and pool rows run
    // it: the 1,701 W1 parameter sets, each compiled and run with the data set's columns shared, statistics
    // only (full statistics, no curves or trades), after one warm-up pass over the same sets.
    const sets: { fast: number; slow: number }[] = [];
    for (let slow = 20; slow <= 200; slow += 5) for (let fast = 2; fast <= 50; fast++) if (fast < slow) sets.push({ fast, slow });
    const candidates = quick ? sets.slice(0, 200) : sets;
    const sweepCache = new IndicatorCache();
    const engines = new Set<string>();
    const candidate = (p: { fast: number; slow: number }) => {
      const r = runBacktest(a.doc, a.data, { plan: compile(a.doc, { params: p }), audit: false, record: 'stats', trades: false, indicatorCache: sweepCache });
      engines.add(r.engine ?? '?');
      return r.stats.finalEquity;
    };
    for (const p of candidates) consume(candidate(p));
    const t5 = performance.now();
    for (const p of candidates) consume(candidate(p));
    const candMs = (performance.now() - t5) / candidates.length;
    // The JSON's top-level W1 (`canonical`): the same kind of run as the Chromium bench's top-level W1 (the
    // pool's stats-per-run candidates), so the per-thread goal (≥ 4,000 runs/s) is read from the runs the
    // pool's goal is; the row "W1" above is one full-record run (curves, trades, orders: a results page's run).
    rows['W1 per thread, sweep candidates (stats only, shared columns)'] = {
      engine: [...engines].join('+'), runs: candidates.length, msPerRun: candMs, runsPerSecond: 1000 / candMs, floorMs: w1floor, floorRatio: candMs / w1floor,
      vsReference: candMs / w1ms.reference, canonical: true,
    };

    if (!quick) {
      const fresh = freshMemory(faults);
      rows['floor: fresh memory (first write of a new 64 MiB array, and again)'] = fresh;
      const faultSeconds = (n: number) => (n * (fresh.usPerFault as number)) / 1e6;
      // W2 on its bars as the store loads them (shared memory, one time column: workloads.ts asLoaded), in a
      // thread whose engine has run its prime (as EnginePool.warm has each worker do, in Node and in Chromium):
      // the Chromium bench's W2 row runs so. Until 2026-12-05 this row ran on plain buffers after W1 only.
      const plain = w2();
      const b = { ...plain, data: { bars: asLoaded(plain.data.bars) } };
      createEngineService().prime();
      const w2floor = timeIt(() => consume(floorPass(b.data.bars)), { minMs: 500, warmup: 1 }) / 1000;
      const w2s: Record<Engine, number> = { fast: NaN, reference: NaN };
      for (const engine of ENGINES) {
        // Cold: indicator columns and timeline built inside the run, into a fresh data set's cache, as the
        // worker service runs a first backtest (both engines then read the same columns).
        const t0 = performance.now(), c0 = cpuMs(), f0 = faults();
        const r = runBacktest(b.doc, b.data, { audit: false, engine, indicatorCache: new IndicatorCache() });
        w2s[engine] = (performance.now() - t0) / 1000;
        const cpuSeconds = (cpuMs() - c0) / 1000, pageFaults = faults() - f0;
        // The fast path's result holds its trades, orders and signals as columns, made into objects on first
        // read (result.ts lazyProperty): what that first read costs, outside the run's time.
        const tObjects = performance.now();
        const objects = r.trades.length + r.orders.length + r.signals.length;
        const objectsSeconds = (performance.now() - tObjects) / 1000;
        // Warm: the data set's indicator columns already computed (a worker's IndicatorCache after one run).
        const cache = new IndicatorCache();
        runBacktest(b.doc, b.data, { audit: false, engine, indicatorCache: cache, record: 'stats' });
        const t1 = performance.now(), c1 = cpuMs(), f1 = faults();
        runBacktest(b.doc, b.data, { audit: false, engine, indicatorCache: cache });
        const secondsWithColumns = (performance.now() - t1) / 1000, cpuSecondsWithColumns = (cpuMs() - c1) / 1000, pageFaultsWithColumns = faults() - f1;
        rows[name('W2', engine)] = {
          engine, bars: b.bars, seconds: w2s[engine], barsPerSecond: b.bars / w2s[engine], floorSeconds: w2floor, floorRatio: w2s[engine] / w2floor,
          cpuSeconds, secondsWithColumns, cpuSecondsWithColumns, trades: r.trades.length, signals: r.signals.length, objects, objectsSeconds,
          pageFaults, faultSeconds: faultSeconds(pageFaults), pageFaultsWithColumns, faultSecondsWithColumns: faultSeconds(pageFaultsWithColumns),
        };
      }
      rows.W2!.vsReference = w2s.fast / w2s.reference;
      // A one-off run without a cache, as the CLI runs it (no traces): 'auto' takes the fast path there too since
      // 2026-12-05 (it took the reference before: backtest.ts FAST_MIN_BARS).
      const t3 = performance.now(), c3 = cpuMs();
      const auto = runBacktest(b.doc, b.data, { audit: false });
      rows['W2 auto, no cache'] = { engine: auto.engine ?? '?', bars: b.bars, seconds: (performance.now() - t3) / 1000, cpuSeconds: (cpuMs() - c3) / 1000, floorRatio: (performance.now() - t3) / 1000 / w2floor };

      const c = w3();
      const n = 40;
      const w3floor = timeIt(() => consume(floorPass(c.data.bars)), { minMs: 300, warmup: 1 }) / 1000;
      // The honest projection for 1,000 on one thread: the grid's distinct indicator columns, computed once
      // (70 SMA columns: a sweep computes each once, whoever runs it), plus 1,000 × the per-run time with
      // those columns cached. Scaling a small sample with its own fresh cache instead would charge each run
      // with ~1.5 columns, ~25 × more column work than the whole grid needs.
      // Each run compiles its own plan (that is in the per-run time); here the plans only name the columns.
      const plans = c.params.map((params) => compile(c.doc, { params }));
      const cache = new IndicatorCache();
      const t4 = performance.now(), c4 = cpuMs(), f4 = faults();
      for (const p of plans) cache.warm(p, c.data.bars);
      const columnsSeconds = (performance.now() - t4) / 1000, columnsCpuSeconds = (cpuMs() - c4) / 1000, columnsPageFaults = faults() - f4;
      const perRun: Record<Engine, number> = { fast: NaN, reference: NaN };
      for (const engine of ENGINES) {
        // The reference is ~3× slower per run: a smaller sample of the same spread of the grid.
        const m = engine === 'fast' ? n : n / 4;
        const stride = Math.floor(c.params.length / m);
        const t2 = performance.now(), c2 = cpuMs();
        for (let i = 0; i < m; i++) consume(runBacktest(c.doc, c.data, { params: c.params[i * stride]!, audit: false, record: 'stats', trades: false, indicatorCache: cache, engine }).stats.finalEquity);
        perRun[engine] = (performance.now() - t2) / m / 1000;
        const cpuSecondsPerRun = (cpuMs() - c2) / m / 1000;
        rows[name('W3', engine)] = {
          engine, bars: c.bars, combos: c.params.length, sampledRuns: m, secondsPerRun: perRun[engine], cpuSecondsPerRun,
          columns: cache.size, columnsSeconds, columnsCpuSeconds, columnsPageFaults, columnsFaultSeconds: faultSeconds(columnsPageFaults),
          projection: 'one thread: the grid\'s distinct columns once + 1,000 × per-run (columns cached)',
          seconds: columnsSeconds + perRun[engine] * c.params.length, cpuSeconds: columnsCpuSeconds + cpuSecondsPerRun * c.params.length,
          projected: true, threads: 1, floorRatio: perRun[engine] / w3floor,
        };
      }
      rows.W3!.vsReference = perRun.fast / perRun.reference;
    }
    return rows;
  },
};
export default suite;
