/**
 * Hand-computed rebalances: a universe rule (filter with "$asset", sort, limit) under each weighting, fixed
 * weights (reductions fill before increases), and closeAll. Close fills keep the arithmetic to one price a bar.
 */
import { describe, expect, it } from 'vitest';
import type { UniverseRule } from '../../../src/schema/index.ts';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, finalEquity, on, run } from './helpers.ts';

/** One bar a day per symbol at the given closes (open = close); A's volume is the script. */
function market(closes: Record<string, number[]>, codes: number[]) {
  return Object.entries(closes).map(([symbol, cs]) => ocBars(symbol, cs.map((c, i) => [day(i + 1), c, c, symbol === 'A' ? codes[i]! : 0] as const)));
}

function rule(weighting: UniverseRule['weighting'], extra: Partial<UniverseRule> = {}): UniverseRule {
  return {
    candidates: ['A', 'B', 'C', 'D'],
    filter: { lhs: { kind: 'price', asset: '$asset', field: 'close' }, op: '>', rhs: 5 },
    sort: { by: { kind: 'price', asset: '$asset', field: 'close' }, order: 'desc' },
    limit: 2,
    weighting,
    ...extra,
  };
}

const universe = ['A', 'B', 'C', 'D'];
// Closes: A 10, B 20, C 4 (filtered out: not > 5), D 8 (passes the filter, cut by limit 2 after B, A).
const four = () => market({ A: [10], B: [20], C: [4], D: [8] }, [1]);

describe('rebalance with a universe rule', () => {
  it('equal weighting: filter, sort desc, limit 2 → B and A at 0.5', () => {
    const r = run(doc({ universe, fillModel: 'close' }, [on(1, { type: 'rebalance', universe: rule({ kind: 'equal' }) })]), ...four());
    expect(r.signals[0]!.weights).toEqual([{ asset: 'B', weight: 0.5 }, { asset: 'A', weight: 0.5 }]);
    // Orders by (target − current) then asset index: A first. A: floor(500 / 10) = 50 → cash 500; B: floor(500 / 20) = 25 → 0.
    expect(r.orders.map((o) => [o.symbol, o.side, o.filledQuantity, o.fillPrice])).toEqual([['A', 'buy', 50, 10], ['B', 'buy', 25, 20]]);
    expect(finalEquity(r)).toBe(1000);
  });

  it('proportional weighting by close: B 2/3, A 1/3', () => {
    const r = run(doc({ universe, fillModel: 'close' }, [on(1, { type: 'rebalance', universe: rule({ kind: 'proportional', by: { kind: 'price', asset: '$asset', field: 'close' } }) })]), ...four());
    const w = r.signals[0]!.weights!;
    expect(w.map((x) => x.asset)).toEqual(['B', 'A']);
    close9(w[0]!.weight, 2 / 3);
    close9(w[1]!.weight, 1 / 3);
    // A first: floor(333.33 / 10) = 33 → cash 670. B: equity 1000, floor(666.67 / 20) = 33 → cash 10.
    expect(r.orders.map((o) => [o.symbol, o.filledQuantity])).toEqual([['A', 33], ['B', 33]]);
    close9(r.orders.length, 2);
  });

  it('inverse volatility: 1 / std dev of close-to-close returns', () => {
    // Returns A: +10 %, −10 %; B: +5 %, −5 %: σ(A) = 2 σ(B) (either ddof), so A gets 1/3 and B 2/3.
    const data = market({ A: [100, 110, 99], B: [100, 105, 99.75] }, [0, 0, 1]);
    const r = run(doc({ universe: ['A', 'B'], fillModel: 'close' }, [on(1, { type: 'rebalance', universe: { candidates: ['A', 'B'], weighting: { kind: 'inverseVolatility', window: { bars: 2 } } } })]), ...data);
    const w = r.signals[0]!.weights!;
    expect(r.signals).toHaveLength(1);
    expect(w.map((x) => x.asset)).toEqual(['A', 'B']);
    close9(w[0]!.weight, 1 / 3);
    close9(w[1]!.weight, 2 / 3);
    // A: floor(333.33 / 99) = 3 → cash 703; B: equity 1000, floor(666.67 / 99.75) = 6 → cash 703 − 598.5 = 104.5.
    expect(r.orders.map((o) => [o.symbol, o.filledQuantity])).toEqual([['A', 3], ['B', 6]]);
    close9(finalEquity(r), 1000);
  });

  it('assets without a volatility yet get no weight', () => {
    const data = market({ A: [100, 110, 99], B: [100, 105, 99.75] }, [0, 1, 0]);
    const r = run(doc({ universe: ['A', 'B'], fillModel: 'close' }, [on(1, { type: 'rebalance', universe: { candidates: ['A', 'B'], weighting: { kind: 'inverseVolatility', window: { bars: 2 } } } })]), ...data);
    // On day 2 each asset has one return: no std dev over 2 bars yet → no weights, no orders.
    expect(r.signals[0]!.weights).toEqual([]);
    expect(r.orders).toEqual([]);
  });
});

describe('rebalance to fixed weights, closeAll', () => {
  it('reductions fill before increases so their cash funds them', () => {
    const data = market({ A: [10, 15], B: [20, 25] }, [1, 2]);
    const r = run(doc({ universe: ['A', 'B'], fillModel: 'close' }, [
      on(1, { type: 'rebalance', weights: [{ asset: 'A', weight: 0.6 }, { asset: 'B', weight: 0.4 }] }),
      on(2, { type: 'rebalance', weights: [{ asset: 'B', weight: 1 }] }),
    ]), ...data);
    // Orders go by (target − current) ascending: reductions first, then the smaller increase.
    // d1: B floor(400 / 20) = 20 → cash 600; A floor(600 / 10) = 60 → cash 0.
    // d2: equity 60 × 15 + 20 × 25 = 1400. Sell 60 A at 15 → cash 900; B target floor(1400 / 25) = 56: buy 36 → cash 0.
    expect(r.orders.map((o) => [o.symbol, o.side, o.filledQuantity, o.fillPrice])).toEqual([
      ['B', 'buy', 20, 20], ['A', 'buy', 60, 10], ['A', 'sell', 60, 15], ['B', 'buy', 36, 25],
    ]);
    expect(r.signals[1]!.weights).toEqual([{ asset: 'B', weight: 1 }]);
    expect(finalEquity(r)).toBe(1400);
    expect(r.trades.map((t) => [t.symbol, t.pnl])).toEqual([['A', 300]]);
  });

  it('closeAll closes longs and shorts', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 12, 12, 0]]);
    const B = ocBars('B', [[day(1), 20, 20, 1], [day(2), 20, 20, 0], [day(3), 18, 18, 0]]);
    const r = run(doc({ universe: ['A', 'B'], allowShort: true }, [
      on(1, { type: 'buy', asset: 'A', amount: { unit: 'quantity', value: 10 } }, 'A'),
      on(1, { type: 'sell', asset: 'B', amount: { unit: 'quantity', value: 5 } }, 'B'),
      on(2, { type: 'closeAll' }, 'A'),
    ]), A, B);
    // d2: A +10 at 10 → cash 900; B −5 at 20 → cash 1000. d3: sell 10 A at 12 (+120), buy 5 B at 18 (−90): 1030.
    expectOrder(r.orders[2], { symbol: 'A', side: 'sell', filledQuantity: 10, fillPrice: 12, reason: null });
    expectOrder(r.orders[3], { symbol: 'B', side: 'buy', filledQuantity: 5, fillPrice: 18, reason: null });
    expect(r.signals[2]!.orderIds).toEqual([3, 4]);
    expect(finalEquity(r)).toBe(1030);
    expect(r.trades.map((t) => [t.symbol, t.side, t.pnl])).toEqual([['A', 'long', 20], ['B', 'short', 10]]);
  });
});
