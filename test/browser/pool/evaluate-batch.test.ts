import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { generateMinuteBars } from '../../../src/data/index.ts';
import { crossDoc, dailyBars, paramSets, closedAfterEach, expectCancelThenServe, sweepDoc } from '../../unit/pool/fixture.ts';
import { browserPool } from './spawn.ts';

const pool = closedAfterEach(browserPool);

describe('EnginePool.evaluateBatch in Chromium workers', () => {
  it('equals in-page stats in input order, shared over 3 workers and in copy mode', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const params = paramSets(25);
    const three = pool({ size: 3 }), copy = pool({ size: 2, share: false });
    const [a, b] = await Promise.all([three.evaluateBatch(doc, data, params), copy.evaluateBatch(doc, data, params)]);
    const expected = params.map((p) => runBacktest(doc, data, { params: p, audit: false }).stats);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    expect(three.workers).toBe(3);
    expect(new Set(a.map((s) => s.finalEquity)).size).toBeGreaterThan(3);
  });

  it('a batch and a plain run share the pool: both finish with their own results', async () => {
    const doc = crossDoc();
    const data = { bars: dailyBars() };
    const p = pool({ size: 2 });
    const [batch, run] = await Promise.all([p.evaluateBatch(doc, data, paramSets(16)), p.run({ doc, data, params: { fast: 5, slow: 60 } })]);
    expect(batch).toHaveLength(16);
    expect(run.stats).toEqual(runBacktest(doc, data, { params: { fast: 5, slow: 60 } }).stats);
  });

  it('sweep columns once, shared: each distinct SMA column computed once over 2 workers in SharedArrayBuffers, the stats in-page ones', async () => {
    const doc = sweepDoc();
    const data = { bars: generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.08, seed: 23, gaps: true }) };
    // fast 4, 7, 10, 13 × slow 40, 50, 60: 7 distinct SMA columns of AAA.
    const params = [4, 7, 10, 13].flatMap((fast) => [40, 50, 60].map((slow) => ({ fast, slow })));
    const p = pool({ size: 2, spreadColumnsFrom: 0 });
    expect(p.shared).toBe(true);
    const got = await p.evaluateBatch(doc, data, params);
    expect(got).toEqual(params.map((ps) => runBacktest(doc, data, { params: ps, audit: false }).stats));
    const counts = await p.columnCounts(data);
    expect(counts).toHaveLength(2);
    expect(counts.reduce((n, c) => n + c.computed, 0)).toBe(7);
    expect(counts.every((c) => c.computed > 0 && c.computed + c.seeded === 7)).toBe(true);
  });

  it('a sweep over its column budget runs in groups in SharedArrayBuffers written again, lent and not kept: the stats in-page ones', async () => {
    const doc = sweepDoc();
    const data = { bars: generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 0.08, seed: 23, gaps: true }) };
    // 7 SMA columns of AAA, a budget of 5: fast 4 and 7 with every slow window, then 10 and 13 where 4 and 7 were.
    const params = [60, 40, 50].flatMap((slow) => [13, 4, 10, 7].map((fast) => ({ fast, slow })));
    const p = pool({ size: 2, spreadColumnsFrom: 0, sweepBudgetBytes: 5 * data.bars[0]!.length * 8 });
    const expected = params.map((ps) => runBacktest(doc, data, { params: ps, audit: false }).stats);
    expect(await p.evaluateBatch(doc, data, params)).toEqual(expected);
    expect(p.counters).toMatchObject({ sweepGroups: 2, sweepBuffersReused: 2 });
    const counts = await p.columnCounts(data);
    expect(counts.reduce((n, c) => n + c.computed, 0)).toBe(7);
    expect(counts.every((c) => c.seeded === 0)).toBe(true);
    // Fast 4 and 7 again, under the budget: a worker that had kept their columns would read 10's and 13's.
    const early = params.filter((ps) => ps.fast === 4 || ps.fast === 7);
    expect(await p.evaluateBatch(doc, data, early)).toEqual(early.map((ps) => expected[params.indexOf(ps)]));
  });

  it('cancels in shared mode (flag) and copy mode (workers replaced), then evaluates again', async () => {
    for (const share of [true, false]) await expectCancelThenServe(pool({ size: 1, share }));
  });
});
