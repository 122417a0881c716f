import { describe, expect, it } from 'vitest';
import { createNodePool } from '../../../src/cli/node-pool.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import { crossDoc, dailyBars, paramSets, closedAfterEach, expectCancelThenServe } from './fixture.ts';

const pool = closedAfterEach((size: number, share?: boolean) => createNodePool({ size, share }));

describe('EnginePool.evaluateBatch on worker_threads', () => {
  it('returns in-process stats, in input order, over 2 workers and several chunks', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const params = paramSets(21);
    const p = pool(2);
    const seen: [number, number][] = [];
    const got = await p.evaluateBatch(doc, data, params, { onProgress: (d, t) => seen.push([d, t]) });
    expect(got).toHaveLength(21);
    params.forEach((ps, i) => expect(got[i]).toEqual(runBacktest(doc, data, { params: ps, audit: false }).stats));
    expect(new Set(got.map((s) => s.finalEquity)).size).toBeGreaterThan(3);
    expect(p.workers).toBe(2);
    // Throttled, but the first chunk back is always reported, and never more than the total.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([d, t]) => t === 21 && d > 0 && d <= 21)).toBe(true);
    expect(await p.evaluateBatch(doc, data, [])).toEqual([]);
  });

  it('gives the same stats in copy mode, where each worker holds its own copy', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const params = paramSets(9);
    const p = pool(2, false);
    expect(p.shared).toBe(false);
    expect(await p.evaluateBatch(doc, data, params)).toEqual(params.map((ps) => runBacktest(doc, data, { params: ps, audit: false }).stats));
  });

  it('cancels a running batch through the shared flag and then serves the next one', async () => {
    const p = pool(1);
    await expectCancelThenServe(p);
    expect(p.workers).toBe(1);
  });
});
