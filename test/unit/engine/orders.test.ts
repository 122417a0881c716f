/**
 * Hand-computed runs of shorts, reversals and the ways an order is rejected, clipped or cancelled.
 * Bars are [time, open, close, volume]; a strategy fires on the bar whose volume equals its code.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, finalEquity, on, run } from './helpers.ts';

const buyAll = { type: 'buy', amount: { unit: 'all' } } as const;
const sellAll = { type: 'sell', amount: { unit: 'all' } } as const;

describe('shorts', () => {
  it('sell all from flat is an all-in short; buy all covers it and goes long with what is then available', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 8, 2], [day(3), 5, 6, 0]]);
    const r = run(doc({ allowShort: true }, [on(1, sellAll), on(2, buyAll)]), A);
    // d2 open 10: short floor(1000 / 10) = 100 → cash 2000; equity at the close 8: 2000 − 800 = 1200.
    expectOrder(r.orders[0], { side: 'sell', status: 'filled', filledQuantity: 100, fillPrice: 10 });
    expect(r.curves.equity[1]).toBe(1200);
    // d3 open 5: cover 100 (cash 2000 − 500 = 1500), then buy floor(1500 / 5) = 300 → cash 0; close 6: 1800.
    expectOrder(r.orders[1], { side: 'buy', status: 'filled', quantity: 400, filledQuantity: 400, fillPrice: 5, reason: null });
    expect(finalEquity(r)).toBe(1800);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ side: 'short', quantity: 100, entryPrice: 10, exitPrice: 5, pnl: 500, returnPct: 50, entryTime: day(2), exitTime: day(3) });
  });

  it('a short is backed by cash: buying power = cash − 2 × short market value', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0], [day(3), 10, 10, 0]]);
    const B = ocBars('B', [[day(1), 10, 10, 0], [day(2), 10, 10, 2], [day(3), 10, 10, 0]]);
    const r = run(doc({ universe: ['A', 'B'], allowShort: true }, [
      on(1, { type: 'setWeight', asset: 'A', weight: -0.5 }, 'A'),
      on(2, { type: 'buy', asset: 'B', amount: { unit: 'all' } }, 'B'),
    ]), A, B);
    // d2 open: short floor(500 / 10) = 50 A → cash 1500. d3 open: buying power 1500 − 2 × 50 × 10 = 500 → 50 B.
    expectOrder(r.orders[0], { symbol: 'A', side: 'sell', filledQuantity: 50 });
    expectOrder(r.orders[1], { symbol: 'B', side: 'buy', filledQuantity: 50, fillTime: day(3) });
    // Equity: cash 1000 − 50 × 10 (short A) + 50 × 10 (long B) = 1000.
    expect(finalEquity(r)).toBe(1000);
  });

  it('reversal long → short (setWeight −1) closes first, then opens with what is then available', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 12, 11, 0]]);
    const r = run(doc({ allowShort: true, fees: { fraction: 0.01 } }, [
      on(1, { type: 'setWeight', weight: 1 }),
      on(2, { type: 'setWeight', weight: -1 }),
    ]), A);
    // d2 open 10: floor(1000 / 10.1) = 99, fee 9.9 → cash 0.1.
    expectOrder(r.orders[0], { side: 'buy', filledQuantity: 99, fees: 9.9 });
    // d3 open 12: sell 99: cash 0.1 + 1188 − 11.88 = 1176.22 = equity; short floor(1176.22 / 12.12) = 97, fee 11.64:
    // cash 1176.22 + 1164 − 11.64 = 2328.58. One order, two fills: 196 units, fees 23.52.
    expectOrder(r.orders[1], { side: 'sell', status: 'filled', quantity: 196, filledQuantity: 196, fillPrice: 12, fees: 23.52, reason: null });
    // Close 11: 2328.58 − 97 × 11 = 1261.58.
    close9(finalEquity(r), 1261.58);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ side: 'long', quantity: 99, entryPrice: 10, exitPrice: 12, strategyId: 's1' });
    close9(r.trades[0]!.pnl, 176.22);
  });

  it('a sell quantity crossing zero closes the long, then shorts the rest', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 10, 8, 0]]);
    const r = run(doc({ allowShort: true }, [on(1, buyAll), on(2, { type: 'sell', amount: { unit: 'quantity', value: 150 } })]), A);
    // Long 100 at 10 (cash 0); sell 150 at 10: close 100 → cash 1000, short 50 → cash 1500. Close 8: 1500 − 400 = 1100.
    expectOrder(r.orders[1], { side: 'sell', quantity: 150, filledQuantity: 150, reason: null });
    expect(finalEquity(r)).toBe(1100);
    expect(r.trades.map((t) => [t.side, t.quantity, t.pnl])).toEqual([['long', 100, 0]]);
  });

  it('a sell crossing zero with shorting off closes the long and refuses the short part', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 12, 12, 0]]);
    const r = run(doc({ allowShort: false }, [on(1, buyAll), on(2, { type: 'sell', amount: { unit: 'quantity', value: 150 } })]), A);
    // Sell 100 at 12 → cash 1200; the 50 beyond the position are refused with a reason, the order counts as filled.
    expectOrder(r.orders[1], { side: 'sell', status: 'filled', quantity: 150, filledQuantity: 100, reason: 'shorting not allowed' });
    expect(finalEquity(r)).toBe(1200);
  });
});

describe('rejected, clipped and cancelled orders', () => {
  it('no cash: an all-in buy with nothing left is rejected', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 1], [day(3), 10, 10, 0]]);
    const r = run(doc({}, [on(1, buyAll)]), A);
    expectOrder(r.orders[0], { status: 'filled', filledQuantity: 100 });
    expectOrder(r.orders[1], { status: 'rejected', filledQuantity: 0, fillPrice: null, fillTime: null, fees: 0, reason: 'insufficient cash' });
  });

  it('too little cash: a quantity is clipped to what the cash buys, with the reason', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]);
    const r = run(doc({}, [on(1, { type: 'buy', amount: { unit: 'quantity', value: 150 } })]), A);
    expectOrder(r.orders[0], { status: 'filled', quantity: 150, filledQuantity: 100, reason: 'reduced from 150 to 100: insufficient cash' });
    expect(finalEquity(r)).toBe(1000);
  });

  it('shorting not allowed: a negative weight (a parameter set by a sweep) from flat is rejected', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]);
    const d = doc({ allowShort: false }, [on(1, { type: 'setWeight', weight: { $param: 'w' } })], { parameters: { w: { default: 0.5 } } });
    const r = runBacktest(d, { bars: [A] }, { params: { w: -0.5 } });
    expectOrder(r.orders[0], { side: 'sell', status: 'rejected', filledQuantity: 0, reason: 'shorting not allowed' });
  });

  it('selling with no position (shorting off) is rejected as such, whatever the amount unit', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]);
    const r = run(doc({ universe: ['A', 'B', 'C'], allowShort: false }, [
      on(1, { type: 'sell', amount: { unit: 'all' } }, undefined, 'all'),
      on(1, { type: 'sell', asset: 'B', amount: { unit: 'quantity', value: 5 } }, undefined, 'qty'),
      on(1, { type: 'sell', asset: 'C', amount: { unit: 'percentOfPosition', value: 50 } }, undefined, 'pct'),
    ]), A, ocBars('B', [[day(1), 10, 10, 0], [day(2), 10, 10, 0]]), ocBars('C', [[day(1), 10, 10, 0], [day(2), 10, 10, 0]]));
    expect(r.orders.map((o) => [o.symbol, o.status, o.reason])).toEqual([
      ['A', 'rejected', 'no position to sell'], ['B', 'rejected', 'no position to sell'], ['C', 'rejected', 'no position to sell'],
    ]);
  });

  it('a percent-of-cash buy with no cash is rejected for insufficient cash', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 10, 10, 0]]);
    const r = run(doc({}, [on(1, buyAll), on(2, { type: 'buy', amount: { unit: 'percentOfCash', value: 50 } })]), A);
    expectOrder(r.orders[1], { status: 'rejected', reason: 'insufficient cash' });
  });

  it('an amount below one whole unit is rejected, saying so', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]);
    const r = run(doc({}, [on(1, { type: 'buy', amount: { unit: 'cash', value: 5 } })]), A);
    // 5 / 10 = 0.5 units → 0 whole units.
    expectOrder(r.orders[0], { status: 'rejected', reason: 'amount is less than one whole unit' });
  });

  it('an order for an asset that already has an open order is rejected', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0]]);
    const r = run(doc({}, [
      on(1, { type: 'buy', amount: { unit: 'quantity', value: 10 } }),
      on(1, { type: 'buy', amount: { unit: 'quantity', value: 20 } }),
    ]), A);
    expectOrder(r.orders[0], { id: 1, strategyId: 's1', status: 'filled', filledQuantity: 10 });
    expectOrder(r.orders[1], { id: 2, strategyId: 's2', status: 'rejected', filledQuantity: 0, reason: 'an order for A is already open' });
    expect(r.signals.map((s) => s.orderIds)).toEqual([[1], [2]]);
  });

  it('an order still open at the end of the data is cancelled', () => {
    const A = ocBars('A', [[day(1), 10, 10, 0], [day(2), 10, 10, 1]]);
    const r = run(doc({ fillModel: 'nextOpen' }, [on(1, buyAll)]), A);
    expectOrder(r.orders[0], { status: 'cancelled', createdTime: day(2), filledQuantity: 0, fillTime: null, reason: 'no bar for its asset before the end of the data' });
    expect(finalEquity(r)).toBe(1000);
  });
});
