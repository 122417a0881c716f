/**
 * Hand-computed golden runs of fills, costs, slippage, sizing and amount units on a few inline bars.
 * Every expected number is worked out in the comment next to it; nothing is copied from the engine.
 * Bars are written [time, open, close, volume]; a strategy fires on the bar whose volume equals its code
 * (see `on` in helpers.ts), so the volume column is the script of the test.
 */
import { describe, expect, it } from 'vitest';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, expectOrder, finalEquity, on, run } from './helpers.ts';

const buyAll = { type: 'buy', amount: { unit: 'all' } } as const;
const sellAll = { type: 'sell', amount: { unit: 'all' } } as const;

describe('fill models', () => {
  const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 11, 12, 0], [day(3), 12, 13, 0]]);

  it('nextOpen: the order from bar t fills at bar t+1 open', () => {
    const r = run(doc({ fillModel: 'nextOpen' }, [on(1, buyAll)]), A);
    // Signal on day 1; fill at day 2 open 11: floor(1000 / 11) = 90 units, cost 990, cash 10.
    expectOrder(r.orders[0], { side: 'buy', status: 'filled', createdTime: day(1), fillTime: day(2), fillPrice: 11, quantity: 90, filledQuantity: 90, fees: 0, reason: null });
    expect(r.orders).toHaveLength(1);
    // Equity: day 1 1000 (flat); day 2 10 + 90 × 12 = 1090; day 3 10 + 90 × 13 = 1180.
    expect([...r.curves.equity]).toEqual([1000, 1090, 1180]);
    expect(r.trades).toEqual([]); // still open at the end: no round trip
  });

  it('close: the order from bar t fills at bar t close', () => {
    const r = run(doc({ fillModel: 'close' }, [on(1, buyAll)]), A);
    // Fill at day 1 close 10: 100 units, cash 0. Equity 1000, 1200, 1300.
    expectOrder(r.orders[0], { status: 'filled', createdTime: day(1), fillTime: day(1), fillPrice: 10, filledQuantity: 100 });
    expect([...r.curves.equity]).toEqual([1000, 1200, 1300]);
  });
});

/** Buy all on day 1 (fills day 2 open 10), sell all on day 2 (fills day 3 open 12); flat at the end. */
const roundTrip = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 12, 12, 0]]);
function roundTripRun(settings: Parameters<typeof doc>[0], bars = roundTrip) {
  return run(doc(settings, [on(1, buyAll), on(2, sellAll)]), bars);
}

describe('costs', () => {
  it('fees.fraction: all-in buys floor(cash / (price × (1 + fraction)))', () => {
    const r = roundTripRun({ fees: { fraction: 0.01 } });
    // Buy: floor(1000 / 10.1) = 99, fee 0.01 × 990 = 9.9, cash 1000 − 990 − 9.9 = 0.1.
    expectOrder(r.orders[0], { filledQuantity: 99, fillPrice: 10, fees: 9.9 });
    // Sell 99 at 12: 1188, fee 11.88, cash 0.1 + 1188 − 11.88 = 1176.22.
    expectOrder(r.orders[1], { side: 'sell', filledQuantity: 99, fillPrice: 12, fees: 11.88, reason: null });
    close9(finalEquity(r), 1176.22, 'equity');
    // Trade: (12 − 10) × 99 − 9.9 − 11.88 = 176.22 on 990 invested = 17.8 %.
    const t = r.trades[0]!;
    expect(r.trades).toHaveLength(1);
    expect(t).toMatchObject({ symbol: 'A', side: 'long', quantity: 99, entryTime: day(2), exitTime: day(3), entryPrice: 10, exitPrice: 12, strategyId: 's1' });
    close9(t.pnl, 176.22, 'pnl');
    close9(t.fees, 21.78, 'fees');
    close9(t.returnPct, 17.8, 'returnPct');
    close9(r.stats.feesPaid, 21.78, 'feesPaid');
  });

  it('fees.perShare: all-in buys floor(cash / (price + perShare))', () => {
    const r = roundTripRun({ fees: { perShare: 0.5 } });
    // floor(1000 / 10.5) = 95, fee 47.5, cash 1000 − 950 − 47.5 = 2.5; sell 95 × 12 = 1140 − 47.5 → 1095.
    expectOrder(r.orders[0], { filledQuantity: 95, fees: 47.5 });
    expectOrder(r.orders[1], { filledQuantity: 95, fees: 47.5 });
    close9(finalEquity(r), 1095);
    close9(r.trades[0]!.pnl, 95); // 2 × 95 − 95
    close9(r.trades[0]!.returnPct, 10); // 95 / 950
  });

  it('fees.perOrder: the fixed fee comes off the budget first', () => {
    const r = roundTripRun({ fees: { perOrder: 5 } });
    // floor((1000 − 5) / 10) = 99, cost 990 + 5, cash 5; sell 1188 − 5 → cash 1188.
    expectOrder(r.orders[0], { filledQuantity: 99, fees: 5 });
    expectOrder(r.orders[1], { filledQuantity: 99, fees: 5 });
    close9(finalEquity(r), 1188);
    close9(r.trades[0]!.pnl, 188); // 198 − 10
  });

  it('fees.minimum: when the minimum binds, sizing steps down until it fits', () => {
    const bars = ocBars('A', [[day(1), 10, 10, 1], [day(2), 9.99, 9.99, 2], [day(3), 12, 12, 0]]);
    const r = roundTripRun({ fees: { fraction: 0.0001, minimum: 5 } }, bars);
    // floor(1000 / (9.99 × 1.0001)) = floor(100.09) = 100 costs 999 + max(0.0999, 5) = 1004 > 1000;
    // with the minimum: floor((1000 − 5) / 9.99) = 99, cost 989.01 + 5 = 994.01, cash 5.99.
    expectOrder(r.orders[0], { filledQuantity: 99, fees: 5, fillPrice: 9.99 });
    // Sell 99 × 12 = 1188, fee max(0.1188, 5) = 5: cash 5.99 + 1183 = 1188.99.
    expectOrder(r.orders[1], { filledQuantity: 99, fees: 5 });
    close9(finalEquity(r), 1188.99);
    close9(r.trades[0]!.pnl, 188.99); // (12 − 9.99) × 99 − 10
  });
});

describe('slippage (always adverse)', () => {
  it('bps: buys pay price × (1 + bps), sells receive price × (1 − bps)', () => {
    const r = roundTripRun({ slippage: { bps: 100 } });
    // Buy at 10.1: floor(1000 / 10.1) = 99, cash 0.1; sell at 12 × 0.99 = 11.88: cash 0.1 + 1176.12.
    expectOrder(r.orders[0], { filledQuantity: 99, fillPrice: 10.1 });
    expectOrder(r.orders[1], { filledQuantity: 99, fillPrice: 11.88 });
    close9(finalEquity(r), 1176.22);
    expect(r.trades[0]!.entryPrice).toBeCloseTo(10.1, 12);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(11.88, 12);
    close9(r.trades[0]!.pnl, 176.22); // 1.78 × 99
  });

  it('fixed: buys pay price + fixed, sells receive price − fixed', () => {
    const r = roundTripRun({ slippage: { fixed: 0.5 } });
    // Buy at 10.5: 95 units, cash 2.5; sell at 11.5: 1092.5 → 1095.
    expectOrder(r.orders[0], { filledQuantity: 95, fillPrice: 10.5 });
    expectOrder(r.orders[1], { filledQuantity: 95, fillPrice: 11.5 });
    close9(finalEquity(r), 1095);
  });

  it('all-in with slippage and commission: floor(cash / (price × (1 + slippage) + per-unit commission))', () => {
    const r = roundTripRun({ slippage: { bps: 100 }, fees: { fraction: 0.01 } });
    // Unit cost 10.1 × 1.01 = 10.201: floor(1000 / 10.201) = 98; fee 0.01 × 989.8 = 9.898; cash 0.302.
    expectOrder(r.orders[0], { filledQuantity: 98, fillPrice: 10.1, fees: 9.898 });
    // Sell 98 at 11.88: 1164.24, fee 11.6424: cash 0.302 + 1164.24 − 11.6424 = 1152.8996.
    close9(finalEquity(r), 1152.8996);
  });
});

describe('sizing', () => {
  const bars = ocBars('A', [[day(1), 8, 8, 1], [day(2), 8, 8, 2], [day(3), 10, 10, 0]]);

  it('fractional: all-in spends every cent, fees included', () => {
    const r = run(doc({ units: 'fractional', fees: { fraction: 0.01 } }, [on(1, buyAll), on(2, sellAll)]), bars);
    // q = 1000 / (8 × 1.01) = 123.762376…; fee 0.01 × 8q; cost 8.08 q = 1000: cash 0.
    const q = 1000 / 8.08;
    expectOrder(r.orders[0], { status: 'filled', filledQuantity: q, fees: 0.08 * q });
    // Sell q at 10: 10q − 0.1q = 9.9q = 1225.2475…
    expectOrder(r.orders[1], { status: 'filled', filledQuantity: q });
    close9(finalEquity(r), 9.9 * q);
  });

  it('whole units never buy a fraction', () => {
    const r = run(doc({ units: 'whole' }, [on(1, { type: 'buy', amount: { unit: 'cash', value: 999 } })]), bars);
    // 999 / 8 = 124.875 → 124 units, cash 1000 − 992 = 8.
    expectOrder(r.orders[0], { filledQuantity: 124, quantity: 124 });
    close9(finalEquity(r), 8 + 124 * 10);
  });
});

describe('amount units', () => {
  it('quantity, percentOfEquity, cash, percentOfCash, percentOfPosition and all in one script', () => {
    const A = ocBars('A', [
      [day(1), 10, 10, 1],
      [day(2), 10, 12, 2],
      [day(3), 15, 15, 3],
      [day(4), 20, 20, 4],
      [day(5), 16, 16, 5],
      [day(6), 25, 25, 6],
      [day(7), 30, 30, 0],
    ]);
    const r = run(doc({}, [
      on(1, { type: 'buy', amount: { unit: 'quantity', value: 20 } }),
      on(2, { type: 'buy', amount: { unit: 'percentOfEquity', value: 50 } }),
      on(3, { type: 'buy', amount: { unit: 'cash', value: 100 } }),
      on(4, { type: 'buy', amount: { unit: 'percentOfCash', value: 50 } }),
      on(5, { type: 'sell', amount: { unit: 'percentOfPosition', value: 50 } }),
      on(6, sellAll),
    ]), A);
    // d2 open 10: buy 20 → cash 800, position 20 (equity at the d2 close: 800 + 240 = 1040).
    // d3 open 15: equity 800 + 20 × 15 = 1100; 50 % = 550 / 15 = 36.7 → 36; cash 260, position 56.
    // d4 open 20: 100 / 20 = 5; cash 160, position 61.
    // d5 open 16: 50 % of cash 160 = 80 / 16 = 5; cash 80, position 66.
    // d6 open 25: 50 % of 66 = 33; cash 80 + 825 = 905, position 33.
    // d7 open 30: sell the 33 left; cash 905 + 990 = 1895.
    expect(r.orders.map((o) => [o.side, o.filledQuantity, o.fillPrice, o.fillTime])).toEqual([
      ['buy', 20, 10, day(2)], ['buy', 36, 15, day(3)], ['buy', 5, 20, day(4)], ['buy', 5, 16, day(5)],
      ['sell', 33, 25, day(6)], ['sell', 33, 30, day(7)],
    ]);
    expect(r.orders.every((o) => o.status === 'filled' && o.reason === null)).toBe(true);
    expect(r.curves.equity[1]).toBe(1040);
    close9(finalEquity(r), 1895);
    // Average entry (200 + 540 + 100 + 80) / 66 = 920 / 66: the halves make 825 − 460 = 365 and 990 − 460 = 530.
    expect(r.trades.map((t) => [t.quantity, t.entryTime, t.exitTime, t.exitPrice])).toEqual([[33, day(2), day(6), 25], [33, day(2), day(7), 30]]);
    close9(r.trades[0]!.entryPrice, 920 / 66);
    close9(r.trades[0]!.pnl, 365);
    close9(r.trades[1]!.pnl, 530);
  });

  it('setWeight moves the position to a weight of equity, up and down', () => {
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 2], [day(3), 20, 20, 3], [day(4), 25, 25, 4], [day(5), 20, 20, 0]]);
    const r = run(doc({}, [
      on(1, { type: 'setWeight', weight: 0.5 }),
      on(2, { type: 'setWeight', weight: 0.8 }),
      on(3, { type: 'setWeight', weight: 0.25 }),
      on(4, { type: 'setWeight', weight: 0 }),
    ]), A);
    // d2 open 10: floor(500 / 10) = 50 → cash 500.
    // d3 open 20: equity 500 + 1000 = 1500, target floor(1200 / 20) = 60: buy 10 (budget 1200 − 1000) → cash 300.
    // d4 open 25: equity 300 + 1500 = 1800, target floor(450 / 25) = 18: sell 42 → cash 1350.
    // d5 open 20: target 0: sell 18 → cash 1710.
    expect(r.orders.map((o) => [o.side, o.filledQuantity, o.fillPrice])).toEqual([['buy', 50, 10], ['buy', 10, 20], ['sell', 42, 25], ['sell', 18, 20]]);
    close9(finalEquity(r), 1710);
    expect(r.signals.map((s) => s.weights)).toEqual([0.5, 0.8, 0.25, 0].map((weight) => [{ asset: 'A', weight }]));
    // Average entry 700 / 60; 42 × 25 − 490 = 560 and 18 × 20 − 210 = 150.
    close9(r.trades[0]!.pnl, 560);
    close9(r.trades[1]!.pnl, 150);
  });
});
