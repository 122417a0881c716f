/**
 * Regression: two assets whose bars share one time array (aligned data built from one index, a natural way
 * to hand the Node API several symbols). The IndicatorCache keys columns by the time array and the plan's
 * indicator key, which names the asset by its index in the plan's universe; a cache shared by a document on
 * [AAA, BBB] and one on [BBB, AAA] gave the second AAA's moving averages for BBB.
 */
import { describe, expect, it } from 'vitest';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import type { BarColumns } from '../../../src/schema/index.ts';
import { dailyBars, parse } from '../pool/fixture.ts';

const docOn = (universe: string[]) => parse({
  version: 1, name: 'first asset', settings: { universe, timeframe: '1d', initialCash: 10_000 },
  strategies: [{
    id: 'up', name: 'fast above slow',
    condition: { lhs: { kind: 'sma', asset: universe[0]!, window: { bars: 10 } }, op: '>', rhs: { kind: 'sma', asset: universe[0]!, window: { bars: 30 } } },
    action: { type: 'setWeight', asset: universe[0]!, weight: 0.5 },
  }],
});

describe('IndicatorCache: assets sharing one time array', () => {
  const [a, b] = dailyBars();
  const n = Math.min(a!.length, b!.length);
  const time = a!.time.slice(0, n);
  const aligned = (x: BarColumns): BarColumns => ({
    ...x, length: n, time, open: x.open.slice(0, n), high: x.high.slice(0, n), low: x.low.slice(0, n), close: x.close.slice(0, n), volume: x.volume.slice(0, n),
  });
  const bars = [aligned(a!), aligned(b!)];

  for (const engine of ['fast', 'reference'] as const) {
    it(`a cache shared by universes in another order gives each asset its own columns (${engine})`, () => {
      const cache = new IndicatorCache();
      const first = runBacktest(docOn(['AAA', 'BBB']), { bars }, { engine, indicatorCache: cache });
      const second = runBacktest(docOn(['BBB', 'AAA']), { bars }, { engine, indicatorCache: cache });
      expect(second).toEqual(runBacktest(docOn(['BBB', 'AAA']), { bars }, { engine, indicatorCache: new IndicatorCache() }));
      expect(second.trades).not.toEqual(first.trades);
      expect(cache.size).toBe(4);
    });
  }
});
