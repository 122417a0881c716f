/**
 * Same seed ⇒ same result for sweeps on the fast path (issue 17 item 7). The fast path keeps buffers from
 * one run to the next on a thread (event merge buffers, recorders); a candidate whose result depended on
 * the run before it would come out differently here, because the in-process sweep and each worker of a
 * 2-thread pool see the candidates in different orders and batch splits.
 */
import { describe, expect, it } from 'vitest';
import { createNodePool } from '../../../src/cli/node-pool.ts';
import { generateMinuteBars } from '../../../src/data/index.ts';
import { IndicatorCache, runBacktest, type MarketData } from '../../../src/engine/index.ts';
import { optimize, poolEvaluator, type OptimizeOptions, type OptimizeResult } from '../../../src/optimize/index.ts';
import { prepareData } from '../../../src/rpc/pool-data.ts';
import { closedAfterEach, sweepDoc } from './fixture.ts';

const pool = closedAfterEach((size: number) => createNodePool({ size }));

const comparable = (r: OptimizeResult) => ({ ...r, elapsedMs: 0, evaluationsPerSecond: 0 });

describe('sweeps on the fast path: same seed, same result in-process and over a pool', () => {
  // Aligned symbols (every asset dense) for the grid, symbols with gaps (the merged timeline) for the genetic.
  const cases: [OptimizeOptions, boolean][] = [
    [{ method: 'grid', batchSize: 5, objective: 'return' }, false],
    [{ method: 'genetic', evaluations: 10, seed: 5, batchSize: 4, objective: 'return', genetic: { population: 6 } }, true],
  ];
  for (const [options, gaps] of cases) {
    const data: MarketData = { bars: generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.08, seed: 23, gaps }) };
    it(`${options.method}, ${gaps ? 'irregular' : 'aligned'} bars: in-process = pool of 2, twice`, async () => {
      const doc = sweepDoc();
      const probe = runBacktest(doc, data, { params: { fast: 7, slow: 50 }, audit: false, record: 'stats', indicatorCache: new IndicatorCache() });
      expect(probe.engine, probe.engineNote).toBe('fast');
      const inProcess = await optimize(doc, data, options);
      expect(inProcess.evaluations).toBeGreaterThanOrEqual(10);
      expect(new Set(inProcess.top.map((t) => t.score)).size).toBeGreaterThan(3);
      const shared = prepareData(data, true);
      const p = pool(2);
      const first = await optimize(doc, shared, options, poolEvaluator(p));
      const second = await optimize(doc, shared, { ...options, batchSize: 3 }, poolEvaluator(p));
      expect(comparable(first)).toEqual(comparable(inProcess));
      expect(comparable(second)).toEqual(comparable(inProcess));
    });
  }
});
