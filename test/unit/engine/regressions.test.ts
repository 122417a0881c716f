/** One test per engine bug the suite found, named after it, on the smallest data that showed it. */
import { describe, expect, it } from 'vitest';
import { affordable } from '../../../src/engine/costs.ts';
import { runReplay } from '../../../src/engine/index.ts';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, finalEquity, on, run } from './helpers.ts';

const fees = (f: Partial<{ fraction: number; perShare: number; perOrder: number; minimum: number }>) => ({ fraction: 0, perShare: 0, perOrder: 0, minimum: 0, ...f });

describe('engine regressions', () => {
  it('regression: fractional all-in with a commission fraction bought nothing (1-ulp overshoot fell into the minimum-fee path)', () => {
    // 1000 / (3 × 1.001) = 333.0003…; q × 3 + 0.001 × q × 3 rounds to 1000.0000000000001 > 1000.
    const q = affordable(1000, 3, fees({ fraction: 0.001 }), false);
    expect(q).toBeGreaterThan(333);
    expect(q * 3 * 1.001).toBeLessThanOrEqual(1000);
    close9(q, 1000 / 3.003);
    const r = run(doc({ units: 'fractional', fees: { fraction: 0.001 } }, [on(1, { type: 'buy', amount: { unit: 'all' } })]),
      ocBars('A', [[day(1), 3, 3, 1], [day(2), 3, 3, 0]]));
    expectOrder(r.orders[0], { status: 'filled', filledQuantity: 1000 / 3.003, reason: null });
    close9(finalEquity(r), 3 * 1000 / 3.003);
  });

  it('regression: affordable honours the minimum and the linear commission together', () => {
    // Bounds: (100 − 0) / (10 × 1.01) = 9.90…, (100 − 2) / 10 = 9.8 → 9.8 fractional, 9 whole.
    close9(affordable(100, 10, fees({ fraction: 0.01, minimum: 2 }), false), 9.8);
    expect(affordable(100, 10, fees({ fraction: 0.01, minimum: 2 }), true)).toBe(9);
    // The linear bound binds: (1000 − 5) / 10.1 = 98.5… → 98 whole.
    expect(affordable(1000, 10, fees({ fraction: 0.01, perOrder: 5, minimum: 1 }), true)).toBe(98);
  });

  it('regression: selling with no position and shorting off was rejected as "shorting not allowed"', () => {
    const r = run(doc({ allowShort: false }, [on(1, { type: 'sell', amount: { unit: 'all' } })]), ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]));
    expectOrder(r.orders[0], { status: 'rejected', reason: 'no position to sell' });
  });

  it('regression: a buy of zero units said "already at target" instead of why', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 10, 10, 0]]);
    const r = run(doc({ universe: ['A', 'B'] }, [
      on(1, { type: 'buy', amount: { unit: 'all' } }),
      on(2, { type: 'buy', amount: { unit: 'percentOfCash', value: 100 } }),
      on(1, { type: 'buy', asset: 'B', amount: { unit: 'cash', value: 1 } }, undefined, 'tiny'),
    ]), A, ocBars('B', [[day(1), 10, 10, 0], [day(2), 10, 10, 0], [day(3), 10, 10, 0]]));
    // Order 1: all-in A at 10 (cash 0). Order 2: 1 / 10 = 0.1 B → 0 whole units. Order 3 (day 2): 100 % of no cash.
    expect(r.orders.map((o) => [o.symbol, o.status, o.reason])).toEqual([
      ['A', 'filled', null], ['B', 'rejected', 'amount is less than one whole unit'], ['A', 'rejected', 'insufficient cash'],
    ]);
  });

  it('regression: calendar fields of daily bars were read a day early west of UTC (Monday seen as Sunday)', () => {
    // 2024-01-01 is a Monday; its daily bar is stamped 2024-01-01T00:00Z = Dec 31 19:00 in New York.
    const r = run(doc({ timezone: 'America/New_York' }, [
      { condition: { lhs: { kind: 'calendar', field: 'dayOfWeek' }, op: '=', rhs: 1 }, action: { type: 'alert', message: 'monday' } },
    ]), ocBars('A', [[day(1), 10, 10, 0], [day(2), 10, 10, 0]]));
    expect(r.signals.map((s) => s.time)).toEqual([day(1)]);
  });

  it('regression: warm-up warning counted one bar too many (warned although the indicator was ready on the first tradable bar)', () => {
    const A = ocBars('A', [1, 2, 3, 4, 5].map((c, i) => [day(i + 1), c, c, 0] as const));
    const s = [{ condition: { lhs: { kind: 'sma', window: { bars: 3 } }, op: '>', rhs: 0 }, action: { type: 'alert', message: 'x' } }] as const;
    // From day 3: days 1–2 come before it, SMA(3) is ready on day 3 itself, and fires there.
    const ok = run(doc({ range: { from: '2024-01-03' } }, [...s]), A);
    expect(ok.signals[0]!.time).toBe(day(3));
    expect(ok.warnings).toEqual([]);
    // From day 2: one bar before, one missing, ready on day 3.
    const short = run(doc({ range: { from: '2024-01-02' } }, [...s]), A);
    expect(short.warnings).toEqual(['SMA(3) of A needs 2 bars of history before the start, the data have 1: 1 missing, not ready until 2024-01-03']);
    expect(short.signals[0]!.time).toBe(day(3));
  });

  it('regression: replay dropped the warm-up warnings the backtest reports', () => {
    const A = ocBars('A', [1, 2, 3, 4].map((c, i) => [day(i + 1), c, c, 0] as const));
    const d = doc({ range: { from: '2024-01-02' } }, [{ condition: { lhs: { kind: 'sma', window: { bars: 3 } }, op: '>', rhs: 0 }, action: { type: 'alert', message: 'x' } }]);
    const want = ['SMA(3) of A needs 2 bars of history before the start, the data have 1: 1 missing, not ready until 2024-01-03'];
    expect(run(d, A).warnings).toEqual(want);
    expect(runReplay(d, { bars: [A] }).warnings).toEqual(want);
  });
});

describe('engine decisions pinned by tests', () => {
  it('a reversal is one order: perOrder and the minimum are charged once across its two legs', () => {
    // Cash 1000, whole units, perOrder 5. Day 1 (vol 1): long all → fills day 2 at 10: q = floor(995 / 10) = 99,
    // fee 5, cash 1000 − 990 − 5 = 5. Day 2 (vol 2): setWeight −1 → fills day 3 at 10: close 99 (fee 5: the
    // first leg pays the fixed part), cash 5 + 990 − 5 = 990; open short with buying power 990 and no fixed fee
    // left: q = floor(990 / 10) = 99, fee 0. Order fees total 5, not 10.
    const r = run(doc({ allowShort: true, units: 'whole', fees: { perOrder: 5 } }, [
      on(1, { type: 'setWeight', weight: 1 }),
      on(2, { type: 'setWeight', weight: -1 }),
    ]), ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 10, 10, 0]]));
    expectOrder(r.orders[1], { status: 'filled', side: 'sell', filledQuantity: 198, fees: 5 });
    close9(r.stats.feesPaid, 10);
  });

  it('a fixed slippage larger than the price never makes a sale pay: the sell price floors at 0', () => {
    // Buys pay 1 + 2 = 3 (cash 10 → 7); the sale gets max(0, 1 − 2) = 0, not −1 (which would cost cash).
    const r = run(doc({ units: 'whole', initialCash: 10, slippage: { fixed: 2 } }, [
      on(1, { type: 'buy', amount: { unit: 'quantity', value: 1 } }),
      on(2, { type: 'sell', amount: { unit: 'all' } }),
    ]), ocBars('A', [[day(1), 1, 1, 1], [day(2), 1, 1, 2], [day(3), 1, 1, 0]]));
    expectOrder(r.orders[0], { status: 'filled', fillPrice: 3 });
    expectOrder(r.orders[1], { status: 'filled', fillPrice: 0 });
    close9(finalEquity(r), 7);
  });
});
