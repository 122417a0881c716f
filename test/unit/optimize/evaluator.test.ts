import { describe, expect, it } from 'vitest';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { inProcess, optimize, poolEvaluator, scopeRunner, type BatchRunner } from '../../../src/optimize/index.ts';
import { dailyBars, smaCross } from './fixtures.ts';

const doc = smaCross({ fast: { default: 5, values: [3, 5, 8] }, slow: { default: 20, values: [20, 30] } });
const data = { bars: [dailyBars(400, 8)] };

describe('in-process evaluator', () => {
  it('computes each indicator column once per batch, shared by every candidate', () => {
    const cache = new IndicatorCache();
    const run = scopeRunner({ id: 'all', doc, data }, cache);
    for (const fast of [3, 5, 8]) for (const slow of [20, 30]) run({ fast, slow });
    // 6 candidates read 2 SMAs each (12 reads) of 5 distinct windows: 3, 5, 8, 20, 30.
    expect(cache.misses).toBe(5);
    expect(cache.hits).toBe(7);
  });

  it('gives the engine’s own statistics, and NaN for a candidate the compiler rejects', async () => {
    const ev = inProcess()({ id: 'all', doc, data });
    const [ok, bad] = await ev([{ fast: 3, slow: 30 }, { fast: 0, slow: 30 }]);
    expect(ok).toEqual(runBacktest(doc, data, { params: { fast: 3, slow: 30 }, audit: false }).stats);
    expect(bad!.sharpe).toBeNaN();
    expect(bad!.tradeCount).toBe(0);
  });

  it('fails loudly when the document itself cannot run', async () => {
    await expect(optimize(doc, { bars: [dailyBars(100, 1, 'QQQ')] }, { method: 'grid' })).rejects.toThrow(/no data for symbol "SPY"/);
  });

  it('honours an abort signal between runs', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(inProcess(ac.signal)({ id: 'all', doc, data })([{ fast: 3, slow: 20 }])).rejects.toThrow();
  });
});

describe('pool evaluator', () => {
  it('sends only compilable candidates to the pool, in order, in one batch', async () => {
    const seen: unknown[] = [];
    const pool: BatchRunner = {
      async evaluateBatch(d, md, params) {
        seen.push(params);
        return params.map((p) => runBacktest(d, md, { params: p, audit: false }).stats);
      },
    };
    const stats = await poolEvaluator(pool)({ id: 'all', doc, data })([{ fast: 3, slow: 20 }, { fast: 2.5, slow: 20 }, { fast: 8, slow: 30 }]);
    expect(seen).toEqual([[{ fast: 3, slow: 20 }, { fast: 8, slow: 30 }]]);
    expect(stats[1]!.sharpe).toBeNaN();
    expect(stats[2]).toEqual(runBacktest(doc, data, { params: { fast: 8, slow: 30 }, audit: false }).stats);
  });
});
