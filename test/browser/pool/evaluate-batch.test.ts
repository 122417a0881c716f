import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { crossDoc, dailyBars, paramSets, closedAfterEach, expectCancelThenServe } from '../../unit/pool/fixture.ts';
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

  it('cancels in shared mode (flag) and copy mode (workers replaced), then evaluates again', async () => {
    for (const share of [true, false]) await expectCancelThenServe(pool({ size: 1, share }));
  });
});
