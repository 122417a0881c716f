import { describe, expect, it } from 'vitest';
import { runBacktest, type MarketData } from '../../../src/engine/index.ts';
import { heatmap, optimize, runOptimizeJob, type RemoteEvaluate } from '../../../src/optimize/index.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { dailyBars, smaCross } from './fixtures.ts';

const doc = smaCross({ fast: { default: 5, min: 2, max: 10, step: 2 }, slow: { default: 20, values: [20, 30, 40] } });
const data: MarketData = { bars: [dailyBars(600, 3)] };

/** A host like the page's: keeps each scope's data from its first call and evaluates in this thread. */
function host() {
  const calls: { scope: string; sentData: boolean; n: number }[] = [];
  const scopes = new Map<string, MarketData>();
  const evaluate: RemoteEvaluate = async (scope, d: StrategyDocument, slice, params) => {
    calls.push({ scope, sentData: slice !== null, n: params.length });
    if (slice) scopes.set(scope, slice);
    const md = scopes.get(scope) ?? data;
    return params.map((p) => runBacktest(d, md, { params: p, audit: false }).stats);
  };
  return { evaluate, calls };
}

describe('optimizer job (the page worker’s work)', () => {
  it('equals optimize() and heatmap() in-process; the job’s own data is never sent back', async () => {
    const h = host();
    const options = { method: 'grid' as const, seed: 1 };
    const got = await runOptimizeJob(doc, data, { options, heatmap: { x: 'fast', y: 'slow' } }, h.evaluate);
    const want = await optimize(doc, data, options);
    expect(got.result.top).toEqual(want.top);
    const map = await heatmap(doc, data, { x: 'fast', y: 'slow', at: want.best!.params });
    expect(got.heatmap!.z).toEqual(map.z);
    expect(h.calls.every((c) => !c.sentData)).toBe(true);
    // Two scopes (search, heatmap) with distinct ids, even though both are over the whole data.
    expect(new Set(h.calls.map((c) => c.scope)).size).toBe(2);
  });

  it('walk-forward: each window’s bars travel once, with the first call of its scope only', async () => {
    const h = host();
    const options = { method: 'grid' as const, batchSize: 5, walkForward: { inSample: 200, outOfSample: 100, unit: 'bars' as const } };
    const got = await runOptimizeJob(doc, data, { options }, h.evaluate);
    const want = await optimize(doc, data, options);
    expect(got.result.walkForward!.windows.map((w) => w.params)).toEqual(want.walkForward!.windows.map((w) => w.params));
    const scopes = [...new Set(h.calls.map((c) => c.scope))];
    expect(scopes.length).toBe(want.walkForward!.windows.length);
    for (const s of scopes) expect(h.calls.filter((c) => c.scope === s).map((c) => c.sentData)).toEqual(h.calls.filter((c) => c.scope === s).map((_, i) => i === 0));
    expect(h.calls.length).toBeGreaterThan(scopes.length);
  });
});
