/**
 * The fused signal pass generates one loop per group of strategies with the same trigger assets. Groups that
 * differ only in which assets and slots they read share it: W2's four strategies on each of 7 assets made 7
 * loops, each warmed up by V8 on its own (its signal pass 150–170 ms in a first run against ~45 ms warm).
 */
import { describe, expect, it } from 'vitest';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { signalLoops } from '../../../src/engine/fast/counters.ts';
import type { StrategyInput } from './helpers.ts';
import { doc } from './helpers.ts';
import { toBars, type RandomStep } from '../../helpers/random-documents.ts';

/** On `asset`: buy when its RSI is under `level` (an unusual one, so no earlier test generated this loop), sell over 100 − level. */
const pair = (asset: string, level: number): StrategyInput[] => [
  { condition: { lhs: { kind: 'rsi', asset, window: { bars: 3 } }, op: '<', rhs: level }, action: { type: 'buy', asset, amount: { unit: 'quantity', value: 1 } } },
  { condition: { lhs: { kind: 'rsi', asset, window: { bars: 3 } }, op: '>', rhs: 100 - level }, action: { type: 'sell', asset, amount: { unit: 'all' } } },
];

describe('signal loops', () => {
  const steps = Array.from({ length: 40 }, (_, i): RandomStep => ({ gap: 1, mask: 7, moves: [(i * 7) % 5 - 2, 1, -1, (i * 3) % 5 - 2, 0, 1] }));
  const bars = toBars(steps);

  it('groups that differ only in their asset share one generated loop (one per shape, not one per asset)', () => {
    const d = doc({ universe: ['A', 'B', 'C'] }, [...pair('A', 37.25), ...pair('B', 37.25), ...pair('C', 37.25)]);
    const before = signalLoops.generated;
    const r = runBacktest(d, { bars }, { engine: 'fast', audit: false, indicatorCache: new IndicatorCache() });
    expect(r.engine).toBe('fast');
    expect(signalLoops.generated - before).toBe(1);
    expect(r.stats.tradeCount).toBeGreaterThan(0);
    // A different shape (another threshold on one asset) is a loop of its own.
    const other = doc({ universe: ['A', 'B', 'C'] }, [...pair('A', 37.25), ...pair('B', 36.75)]);
    runBacktest(other, { bars }, { engine: 'fast', audit: false, indicatorCache: new IndicatorCache() });
    expect(signalLoops.generated - before).toBe(2);
  });
});

describe("the signal pass's code cache", () => {
  const steps = Array.from({ length: 60 }, (_, i): RandomStep => ({ gap: 1, mask: 7, moves: [(i * 7) % 5 - 2, 1, -1, (i * 3) % 5 - 2, 0, 1] }));
  const bars = toBars(steps);
  // The same compiled source, `v[0] < level`, over a portfolio operand in one and a price in the other: the
  // may-fire code differs (a portfolio comparison may be true anywhere; a price comparison is exact).
  const buy = { type: 'buy', asset: 'A', amount: { unit: 'quantity', value: 1 } } as const;
  const position = (level: number) => doc({ universe: ['A', 'B', 'C'] }, [{ condition: { lhs: { kind: 'position', asset: 'A', field: 'quantity' }, op: '<', rhs: level }, action: buy }]);
  const price = (level: number) => doc({ universe: ['A', 'B', 'C'] }, [{ condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: '<', rhs: level }, action: buy }]);

  // Each order with a level of its own, so the first document of each is the first to make its code.
  for (const [name, order] of [['price first', [price(2.125), position(2.125)]], ['position first', [position(2.375), price(2.375)]]] as const) {
    it(`keeps code apart for conditions of the same source whose slots data hold or do not (${name})`, () => {
      for (const d of order) {
        const fast = runBacktest(d, { bars }, { engine: 'fast', audit: false, indicatorCache: new IndicatorCache() });
        const ref = runBacktest(d, { bars }, { engine: 'reference', audit: false });
        expect(fast.engine).toBe('fast');
        expect(fast.orders).toEqual(ref.orders);
        expect(fast.stats).toEqual(ref.stats);
      }
    });
  }
});
