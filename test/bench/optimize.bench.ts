/**
 * Optimizer throughput on the DESIGN.md §4 workloads, through the public optimize() path (search, memo,
 * ranking included), in-process and on the worker_threads engine pool:
 *
 * W1  1,000 genetic evaluations of the SMA cross on 3,780 daily bars (goal ≤ 1 s on 2 cores).
 * W3  1,000 parameter combinations × ~1 M minute bars (goal ≤ 10 s on 2 cores): the whole grid on the pool
 *     (7–8 s on 2 cores). A seeded random sample of the same grid is timed in-process beside it, and in place
 *     of the grid with --quick or OPTIMIZE_BENCH_SAMPLE=1: a figure projected from a sample is no estimate of the
 *     grid (its 60 candidates read ~2 columns each, the grid's 1,000 read 70 between them: 22.9 s projected
 *     against 6.9–8.0 measured, 2026-12-04 and 05), so such a row says `projected: true`.
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from '../../src/cli/node-pool.ts';
import { optimize, poolEvaluator, type OptimizeOptions, type OptimizeResult } from '../../src/optimize/index.ts';
import { prepareData } from '../../src/rpc/pool-data.ts';
import type { MarketData } from '../../src/engine/index.ts';
import type { StrategyDocument } from '../../src/schema/index.ts';
import { consume, timeIt, type BenchRow, type BenchSuite } from './harness.ts';
import { floorPass, w1, w3 } from './workloads.ts';

const WORKERS = Math.max(2, Math.min(availableParallelism(), 4));

/** CPU time of this process, all threads (the pool's workers are threads of it), in seconds. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function row(r: OptimizeResult, extra: BenchRow = {}): BenchRow {
  return {
    evaluations: r.evaluations, seconds: r.elapsedMs / 1000, evaluationsPerSecond: r.evaluationsPerSecond, stopReason: r.stopReason,
    bestSharpe: r.best?.score ?? null, ...extra,
  };
}

/** The search on a fresh pool, and the CPU seconds (all threads) it took once the workers were up. */
async function onPool(doc: StrategyDocument, data: MarketData, options: OptimizeOptions): Promise<OptimizeResult & { cpuSeconds: number }> {
  const pool = createNodePool({ size: WORKERS });
  try {
    const shared = prepareData(data, true);
    // Start the workers and load the data before the clock runs: a long-lived pool pays this once.
    await pool.runBatch(Array.from({ length: WORKERS }, () => ({ doc, data: shared, audit: false })));
    const c0 = cpuSeconds();
    const r = await optimize(doc, shared, options, poolEvaluator(pool));
    return { ...r, cpuSeconds: cpuSeconds() - c0 };
  } finally {
    pool.close();
  }
}

const suite: BenchSuite = {
  name: 'optimize',
  async run({ quick }) {
    const rows: Record<string, BenchRow> = {};

    const a = w1();
    // Patience high enough that the search spends its whole budget: the bench measures 1,000 evaluations.
    const genetic: OptimizeOptions = { method: 'genetic', evaluations: 1000, seed: 1, genetic: { patience: 1000 } };
    await optimize(a.doc, a.data, { ...genetic, evaluations: 200 }); // JIT warm-up
    rows['W1 genetic 1,000, in-process'] = row(await optimize(a.doc, a.data, genetic), { workers: 0 });
    rows[`W1 genetic 1,000, pool ×${WORKERS}`] = row(await onPool(a.doc, a.data, genetic), { workers: WORKERS });

    const c = w3();
    const full = process.env.OPTIMIZE_BENCH_SAMPLE !== '1' && !quick;
    const sample = quick ? 6 : 60;
    const sampled: OptimizeOptions = { method: 'random', evaluations: sample, seed: 3, batchSize: sample };
    // The floor of W3 (one plain pass over the closes), measured in this run: engine ÷ floor per combination.
    const w3floor = timeIt(() => consume(floorPass(c.data.bars)), { minMs: 300, warmup: 1 }) / 1000;
    const c0 = cpuSeconds();
    const inProc = await optimize(c.doc, c.data, sampled);
    const inProcCpu = (cpuSeconds() - c0) / inProc.evaluations;
    rows['W3 sample, in-process'] = row(inProc, {
      workers: 0, bars: c.bars, projectedSecondsFor1000: 1000 / inProc.evaluationsPerSecond, cpuSecondsPerCombination: inProcCpu,
    });
    const { cpuSeconds: poolCpu, ...pooled } = await onPool(c.doc, c.data, full ? { method: 'grid', batchSize: 1000 } : sampled);
    // The JSON's top-level W3 (allCores): `seconds` is 1,000 combinations on every core, projected from the
    // sample (`projected: true`, `sampleSeconds` measured) only when the whole grid did not run (see above).
    // floorRatio: wall seconds per combination over the pool ÷ one floor pass. CPU: all threads of this process
    // (the workers are threads), from after the pool's start and data load.
    const perCombination = 1 / pooled.evaluationsPerSecond;
    rows[full ? `W3 grid 1,000, pool ×${WORKERS}` : `W3 sample, pool ×${WORKERS}`] = row(pooled, {
      workers: WORKERS, bars: c.bars, projectedSecondsFor1000: 1000 * perCombination,
      barsPerSecond: (pooled.evaluationsPerSecond * c.bars),
      allCores: true, combos: 1000, sampleSeconds: pooled.elapsedMs / 1000, seconds: full ? pooled.elapsedMs / 1000 : 1000 * perCombination,
      projected: !full, cpuSecondsPerCombination: poolCpu / pooled.evaluations, floorSeconds: w3floor, floorRatio: perCombination / w3floor,
    });
    return rows;
  },
};
export default suite;
