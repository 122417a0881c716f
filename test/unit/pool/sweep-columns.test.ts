/**
 * Columns once per sweep (issue 17 items 2 and 7): an optimizer's candidates over a pool read indicator
 * columns computed once per data set, spread over the workers, shared through SharedArrayBuffers; and the
 * leaderboard is the same on 1 worker, on 3, and in-process, for grid, genetic and walk-forward searches.
 */
import { describe, expect, it } from 'vitest';
import { createNodePool } from '../../../src/cli/node-pool.ts';
import { generateMinuteBars } from '../../../src/data/index.ts';
import type { MarketData } from '../../../src/engine/index.ts';
import { optimize, poolEvaluator, type OptimizeOptions, type OptimizeResult } from '../../../src/optimize/index.ts';
import { prepareData } from '../../../src/rpc/pool-data.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { closedAfterEach, sweepDoc } from './fixture.ts';

// spreadColumnsFrom 1: these ~16k-bar data sets are spread like a W3 sweep's million bars would be.
const pool = closedAfterEach((size: number) => createNodePool({ size, spreadColumnsFrom: 1 }));
const closedPool = closedAfterEach((opts: Parameters<typeof createNodePool>[0]) => createNodePool(opts));

const untimed = <T extends object>(r: T) => ({ ...r, elapsedMs: 0, evaluationsPerSecond: 0 });
/** A result without its wall times (the rest must match bit for bit). */
const comparable = (r: OptimizeResult) => ({ ...untimed(r), walkForward: r.walkForward && { ...untimed(r.walkForward), latest: untimed(r.walkForward.latest) } });
const computed = (counts: { computed: number }[]) => counts.reduce((n, c) => n + c.computed, 0);

describe('sweeps over the pool: columns once, shared; same leaderboard on 1 or N workers', () => {
  const data: MarketData = { bars: generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.08, seed: 23, gaps: true }) };

  it('a grid computes each distinct SMA column once over 3 workers, seeds the others, and ranks as 1 worker and in-process', async () => {
    const doc = sweepDoc();
    // fast 4, 7, 10, 13 × slow 40, 50, 60: 12 candidates reading 7 distinct SMA columns of AAA.
    const options: OptimizeOptions = { method: 'grid', batchSize: 5, objective: 'return' };
    const inProcess = await optimize(doc, data, options);
    const shared = prepareData(data, true);
    const one = pool(1);
    const three = pool(3);
    const [a, b] = await Promise.all([optimize(doc, shared, options, poolEvaluator(one)), optimize(doc, shared, options, poolEvaluator(three))]);
    expect(comparable(a)).toEqual(comparable(inProcess));
    expect(comparable(b)).toEqual(comparable(inProcess));
    expect(new Set(inProcess.top.map((t) => t.score)).size).toBeGreaterThan(3);

    const counts = await three.columnCounts(shared);
    expect(counts).toHaveLength(3);
    // Once over the pool (a worker building its own would make it more than 7), spread (nobody computed all),
    // and every worker that ran candidates read the others' columns (seeded), not its own copies.
    expect(computed(counts)).toBe(7);
    expect(Math.max(...counts.map((c) => c.computed))).toBeLessThanOrEqual(3);
    expect(counts.filter((c) => c.seeded > 0).length).toBeGreaterThanOrEqual(2);
    for (const c of counts) expect(c.computed + c.seeded).toBeLessThanOrEqual(7);
    // The single worker computes them itself (nothing to share with).
    expect(await one.columnCounts(shared)).toEqual([{ computed: 7, seeded: 0 }]);

    // A second search on the same data computes nothing new: its columns are already spread.
    const again = await optimize(doc, shared, { ...options, batchSize: 4 }, poolEvaluator(three));
    expect(comparable(again)).toEqual(comparable(inProcess));
    expect(computed(await three.columnCounts(shared))).toBe(7);
  });

  it('genetic (generations add columns) and walk-forward (a data set per window): 3 workers = 1 worker = in-process', async () => {
    const doc = sweepDoc();
    const genetic: OptimizeOptions = { method: 'genetic', evaluations: 10, seed: 5, batchSize: 4, objective: 'return', genetic: { population: 6 } };
    const walk: OptimizeOptions = { method: 'grid', objective: 'return', walkForward: { inSample: 4000, outOfSample: 2000, unit: 'bars' } };
    const shared = prepareData(data, true);
    const one = pool(1);
    const three = pool(3);
    for (const options of [genetic, walk]) {
      const inProcess = await optimize(doc, data, options);
      const a = await optimize(doc, shared, options, poolEvaluator(one));
      const b = await optimize(doc, shared, options, poolEvaluator(three));
      expect(comparable(a)).toEqual(comparable(inProcess));
      expect(comparable(b)).toEqual(comparable(inProcess));
    }
    // The genetic search ran on the whole data set over 3 workers: each of its columns computed once.
    const counts = await three.columnCounts(shared);
    expect(counts.filter((c) => c.seeded > 0).length).toBeGreaterThanOrEqual(1);
    const perWorker = counts.map((c) => c.computed + c.seeded);
    expect(computed(counts)).toBe(Math.max(...perWorker));
  });

  it('over its column budget, a sweep runs in groups: each column computed once, written again into memory a finished group let go, lent and not kept, the stats in-process ones', async () => {
    const doc = sweepDoc();
    const shared = prepareData(data, true);
    // fast 4, 7, 10, 13 × slow 40, 50, 60: 7 columns of AAA; the budget holds 5. Slow windows have 4 readers,
    // fast ones 3, so the groups go by fast window: {4, 7} with every slow one (5 columns), then {10, 13},
    // whose two fast columns are written where 4's and 7's were (the slow ones stay).
    const params = [60, 40, 50].flatMap((slow) => [13, 4, 10, 7].map((fast) => ({ fast, slow })));
    const column = shared.bars[0]!.length * 8;
    const three = closedPool({ size: 3, spreadColumnsFrom: 1, sweepBudgetBytes: 5 * column });
    const got = await three.evaluateBatch(doc, shared, params);
    expect(got).toEqual(params.map((p) => runBacktest(doc, data, { params: p, audit: false }).stats));
    expect(three.counters.sweepGroups).toBe(2);
    expect(three.counters.sweepBuffersReused).toBe(2);
    const counts = await three.columnCounts(shared);
    // Computed once over the pool, spread, and no worker kept a lent column in its cache.
    expect(computed(counts)).toBe(7);
    expect(counts.every((c) => c.seeded === 0)).toBe(true);
    // The memory of fast 4 and 7 now holds fast 10 and 13: a worker that had kept them under their keys
    // would score these with the wrong averages (this batch fits the budget and reads the workers' caches).
    const early = params.filter((p) => p.fast === 4 || p.fast === 7);
    expect(await three.evaluateBatch(doc, shared, early)).toEqual(early.map((p) => got[params.indexOf(p)]));
    // Under the budget the pool keeps the columns for the next batch, as before.
    const roomy = closedPool({ size: 3, spreadColumnsFrom: 1, sweepBudgetBytes: 7 * column });
    expect(await roomy.evaluateBatch(doc, shared, params)).toEqual(got);
    expect(roomy.counters.sweepGroups).toBe(0);
    expect(computed(await roomy.columnCounts(shared))).toBe(7);
  });

  it('a grid and a genetic search over a budget of one column rank as in-process (every candidate alone in its group)', async () => {
    const doc = sweepDoc();
    const shared = prepareData(data, true);
    const tight = closedPool({ size: 2, spreadColumnsFrom: 1, sweepBudgetBytes: shared.bars[0]!.length * 8 });
    for (const options of [
      { method: 'grid', batchSize: 12, objective: 'return' },
      { method: 'genetic', evaluations: 10, seed: 5, batchSize: 4, objective: 'return', genetic: { population: 6 } },
    ] as OptimizeOptions[]) {
      const inProcess = await optimize(doc, data, options);
      expect(comparable(await optimize(doc, shared, options, poolEvaluator(tight)))).toEqual(comparable(inProcess));
    }
    expect(tight.counters.sweepGroups).toBeGreaterThan(2);
    expect(tight.counters.sweepBuffersReused).toBeGreaterThan(0);
  });

  it('a budgeted sweep cancelled between groups leaves nothing behind: the same sweep then gives the in-process stats', async () => {
    const doc = sweepDoc();
    const shared = prepareData(data, true);
    const params = [60, 40, 50].flatMap((slow) => [13, 4, 10, 7].map((fast) => ({ fast, slow })));
    const p = closedPool({ size: 2, spreadColumnsFrom: 1, sweepBudgetBytes: 5 * shared.bars[0]!.length * 8, progressIntervalMs: 0 });
    const ctl = new AbortController();
    // Aborted at its first progress report: chunks of the first group are back, the second group is not.
    const run = p.evaluateBatch(doc, shared, params, { signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await p.evaluateBatch(doc, shared, params)).toEqual(params.map((ps) => runBacktest(doc, data, { params: ps, audit: false }).stats));
  });
});
