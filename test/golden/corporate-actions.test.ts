/**
 * Golden runs of corporate actions (issue 11 item 3), hand-computed on four daily bars: a split and a cash
 * dividend, long and short, each on raw prices (events on the ex-date) and on adjusted prices (back-adjusted
 * bars, no events). Cash 10,000, no costs, whole units, next-open fills, positions closed at the last close
 * (closeAtEnd). The strategy acts once, while flat (day 1), unless a test says on which bar (the bar whose
 * raw volume is 1; adjusted volumes scale with splits). Every run also goes through the replay processor,
 * which must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay, type MarketData } from '../../src/engine/index.ts';
import type { Action, CorporateAction, RunResult, SettingsInput } from '../../src/schema/index.ts';
import { bars, type BarRow } from '../helpers/bars.ts';
import { close9, day, doc, on } from '../unit/engine/helpers.ts';

const split = (n: number, value: number): CorporateAction => ({ symbol: 'A', exDate: day(n), type: 'split', value });
const dividend = (n: number, value: number): CorporateAction => ({ symbol: 'A', exDate: day(n), type: 'dividend', value });

const BUY: Action = { type: 'buy', amount: { unit: 'all' } };
const SHORT: Action = { type: 'sell', amount: { unit: 'all' } };

const ONCE = { condition: { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 } } as const;

function go(rows: BarRow[], action: Action, actions: CorporateAction[], prices: 'raw' | 'adjusted', settings: Partial<SettingsInput> = {}, byVolume = false): RunResult {
  const d = doc({ initialCash: 10_000, closeAtEnd: true, allowShort: action === SHORT, prices, ...settings }, [byVolume ? on(1, action) : { ...ONCE, action }]);
  const data: MarketData = { bars: [bars('A', rows)], actions };
  const r = runBacktest(d, data);
  const replayed = runReplay(d, data);
  expect(replayed.trades).toEqual(r.trades);
  expect(replayed.corporateActions).toEqual(r.corporateActions);
  expect(Array.from(replayed.curves.equity)).toEqual(Array.from(r.curves.equity));
  return r;
}

const equity = (r: RunResult) => Array.from(r.curves.equity);

// A 2-for-1 split on day 3: raw prices halve there.
const SPLIT_RAW: BarRow[] = [
  [day(1), 100, 100, 100, 100, 1],
  [day(2), 100, 102, 100, 102, 0],
  [day(3), 51, 52, 51, 52, 0],
  [day(4), 53, 53, 53, 53, 0],
];

// A 2.00 dividend on day 3: the raw price opens 2 lower.
const DIV_RAW: BarRow[] = [
  [day(1), 100, 100, 100, 100, 1],
  [day(2), 100, 100, 100, 100, 0],
  [day(3), 98, 99, 98, 99, 0],
  [day(4), 99, 100, 99, 100, 0],
];

describe('split, raw prices', () => {
  it('long: 100 shares at 100 become 200 at 50 before the ex-date bar; the trade is not closed by it', () => {
    const r = go(SPLIT_RAW, BUY, [split(3, 2)], 'raw');
    // d2: 100 × 102; d3: 200 × 52; d4: 200 × 53.
    expect(equity(r)).toEqual([10_000, 10_200, 10_400, 10_600]);
    expect(r.corporateActions).toEqual([{
      time: day(3), symbol: 'A', type: 'split', value: 2, exDate: day(3),
      quantityBefore: 100, quantityAfter: 200, avgPriceBefore: 100, avgPriceAfter: 50, cash: 0, ordersAdjusted: 0,
    }]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ side: 'long', quantity: 200, entryTime: day(2), entryPrice: 50, exitPrice: 53, pnl: 600, exitReason: 'end' });
    expect(r.stats.totalReturnPct).toBeCloseTo(6, 12);
  });

  it('short: −100 at 100 becomes −200 at 50', () => {
    const r = go(SPLIT_RAW, SHORT, [split(3, 2)], 'raw');
    // cash 20,000 after the short; d2: 20,000 − 100 × 102; d3: 20,000 − 200 × 52; d4: 20,000 − 200 × 53.
    expect(equity(r)).toEqual([10_000, 9_800, 9_600, 9_400]);
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: -100, quantityAfter: -200, avgPriceAfter: 50, cash: 0 });
    expect(r.trades[0]).toMatchObject({ side: 'short', quantity: 200, entryPrice: 50, exitPrice: 53, pnl: -600 });
  });
});

describe('split, adjusted prices', () => {
  it('long: the bars before day 3 are halved, 200 shares bought at 50; same equity as raw, no event', () => {
    const r = go(SPLIT_RAW, BUY, [split(3, 2)], 'adjusted');
    // Adjusted d1 50, d2 50 → 51: floor(10,000 / 50) = 200 shares.
    expect(equity(r)).toEqual([10_000, 10_200, 10_400, 10_600]);
    expect(r.corporateActions).toBeUndefined();
    expect(r.trades[0]).toMatchObject({ quantity: 200, entryPrice: 50, exitPrice: 53, pnl: 600 });
  });

  it('short: −200 at 50; same equity as raw', () => {
    const r = go(SPLIT_RAW, SHORT, [split(3, 2)], 'adjusted');
    expect(equity(r)).toEqual([10_000, 9_800, 9_600, 9_400]);
    expect(r.trades[0]).toMatchObject({ side: 'short', quantity: 200, entryPrice: 50, exitPrice: 53, pnl: -600 });
  });
});

describe('dividend, raw prices', () => {
  it('long: 100 shares receive 100 × 2 = 200 in cash on the ex-date, counted in equity and in the trade', () => {
    const r = go(DIV_RAW, BUY, [dividend(3, 2)], 'raw');
    // d2: 100 × 100; d3: 200 + 100 × 99; d4: 200 + 100 × 100.
    expect(equity(r)).toEqual([10_000, 10_000, 10_100, 10_200]);
    expect(r.corporateActions).toEqual([{
      time: day(3), symbol: 'A', type: 'dividend', value: 2, exDate: day(3),
      quantityBefore: 100, quantityAfter: 100, avgPriceBefore: 100, avgPriceAfter: 100, cash: 200, ordersAdjusted: 0,
    }]);
    expect(r.trades[0]).toMatchObject({ quantity: 100, entryPrice: 100, exitPrice: 100, pnl: 200, dividends: 200, returnPct: 2 });
  });

  it('short: the short pays 100 × 2 = 200 on the ex-date', () => {
    const r = go(DIV_RAW, SHORT, [dividend(3, 2)], 'raw');
    // cash 20,000 − 200 = 19,800 from d3; d2: 20,000 − 10,000; d3: 19,800 − 9,900; d4: 19,800 − 10,000.
    expect(equity(r)).toEqual([10_000, 10_000, 9_900, 9_800]);
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: -100, cash: -200 });
    expect(r.trades[0]).toMatchObject({ side: 'short', quantity: 100, pnl: -200, dividends: -200, returnPct: -2 });
  });

  it('an order filling at the ex-date open does not get the dividend (it was not held at the previous close)', () => {
    const rows: BarRow[] = DIV_RAW.map((b, i) => [b[0], b[1], b[2], b[3], b[4], i === 1 ? 1 : 0] as const);
    const r = go(rows, BUY, [dividend(3, 2)], 'raw', {}, true);
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: 0, cash: 0 });
    expect(r.trades[0]).toMatchObject({ entryTime: day(3), entryPrice: 98 });
    expect(r.trades[0]!.dividends).toBeUndefined();
  });
});

describe('dividend, adjusted prices (total return)', () => {
  it('long: bars before day 3 × (1 − 2/100) = 0.98; 102 shares at 98, no cash event', () => {
    const r = go(DIV_RAW, BUY, [dividend(3, 2)], 'adjusted');
    // floor(10,000 / 98) = 102, cash 4; d2: 4 + 102 × 98; d3: 4 + 102 × 99; d4: 4 + 102 × 100.
    const want = [10_000, 10_000, 10_102, 10_204];
    equity(r).forEach((e, i) => close9(e, want[i]!, `day ${i + 1}`));
    expect(r.corporateActions).toBeUndefined();
    expect(r.trades[0]!.quantity).toBe(102);
    close9(r.trades[0]!.entryPrice, 98, 'entry');
    close9(r.trades[0]!.pnl, 204, 'pnl');
  });

  it('short: −102 at 98, pays nothing on the ex-date but carries the adjusted prices', () => {
    const r = go(DIV_RAW, SHORT, [dividend(3, 2)], 'adjusted');
    // cash 10,000 + 9,996; d4: 19,996 − 102 × 100.
    close9(equity(r)[3]!, 9_796, 'final');
    close9(r.trades[0]!.pnl, -204, 'pnl');
  });
});

describe('splits and open orders (raw)', () => {
  it('a resting buy limit and a stop-loss distance are halved by a 2-for-1 split, quantities doubled', () => {
    // d1 signal: buy 10 with a limit at 90 and a stop-loss 5 below the fill. d3 split: limit 45, stop distance 2.5.
    const rows: BarRow[] = [
      [day(1), 100, 100, 100, 100, 1],
      [day(2), 100, 100, 95, 96, 0],
      [day(3), 48, 48, 46, 47, 0],
      [day(4), 46, 46, 44, 45, 0],
      [day(5), 45, 45, 41, 42, 0],
    ];
    const action: Action = { type: 'buy', amount: { unit: 'quantity', value: 10 }, entry: { type: 'limit', price: { price: 90 }, timeInForce: 'gtc' }, exits: { stopLoss: { distance: 5 } } };
    const r = go(rows, action, [split(3, 2)], 'raw', { closeAtEnd: false }, true);
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: 0, ordersAdjusted: 1 });
    const entry = r.orders.find((o) => o.type === 'limit')!;
    // The limit (45 after the split) fills on d4, whose low 44 reaches it: 20 shares at 45.
    expect(entry).toMatchObject({ status: 'filled', limitPrice: 45, fillTime: day(4), fillPrice: 45, filledQuantity: 20 });
    // Stop 2.5 below 45 = 42.5, hit on d5 (low 41).
    const stop = r.orders.find((o) => o.type === 'stopLoss')!;
    expect(stop).toMatchObject({ status: 'filled', stopPrice: 42.5, fillPrice: 42.5, filledQuantity: 20, fillTime: day(5) });
    expect(r.trades[0]).toMatchObject({ quantity: 20, entryPrice: 45, exitPrice: 42.5, pnl: -50, exitReason: 'stop' });
  });

  it('an armed stop-loss of an open position is halved with it', () => {
    const rows: BarRow[] = [
      [day(1), 100, 100, 100, 100, 1],
      [day(2), 100, 100, 99, 100, 0],
      [day(3), 50, 50, 48, 49, 0],
      [day(4), 49, 49, 46, 47, 0],
    ];
    const action: Action = { type: 'buy', amount: { unit: 'quantity', value: 10 }, exits: { stopLoss: { price: 96 } } };
    const r = go(rows, action, [split(3, 2)], 'raw', { closeAtEnd: false }, true);
    // Stop 96 → 48 after the split: d3's low 48 reaches it (a stop at 96 would have been hit at the open 50 unadjusted).
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: 10, quantityAfter: 20, ordersAdjusted: 1 });
    expect(r.trades[0]).toMatchObject({ quantity: 20, entryPrice: 50, exitPrice: 48, exitTime: day(3), pnl: -40, exitReason: 'stop' });
  });
});

describe('whole units: cash in lieu of a fractional share', () => {
  it('15 shares through a 3-for-2 split keep 22; half a share is paid at the adjusted previous close', () => {
    const rows: BarRow[] = [
      [day(1), 99, 99, 99, 99, 1],
      [day(2), 99, 102, 99, 102, 0],
      [day(3), 68, 69, 68, 69, 0],
    ];
    const r = go(rows, { type: 'buy', amount: { unit: 'quantity', value: 15 } }, [split(3, 1.5)], 'raw', {}, true);
    // 22.5 shares at avg 66; 0.5 × (102 / 1.5 = 68) = 34 paid; its profit 0.5 × (68 − 66) = 1 stays in the trade.
    expect(r.corporateActions![0]).toMatchObject({ quantityBefore: 15, quantityAfter: 22, avgPriceAfter: 66, cash: 34 });
    // Cash 10,000 − 1,485 + 34; at d3's close 22 × 69.
    expect(equity(r)).toEqual([10_000, 10_000 - 1_485 + 15 * 102, 10_000 - 1_485 + 34 + 22 * 69]);
    expect(r.trades[0]).toMatchObject({ quantity: 22, entryPrice: 66, exitPrice: 69, pnl: 22 * 3 + 1 });
  });

  it('fractional units keep the fraction', () => {
    const rows: BarRow[] = [[day(1), 99, 99, 99, 99, 1], [day(2), 99, 99, 99, 99, 0], [day(3), 66, 66, 66, 66, 0]];
    const r = go(rows, { type: 'buy', amount: { unit: 'quantity', value: 15 } }, [split(3, 1.5)], 'raw', { units: 'fractional' }, true);
    expect(r.corporateActions![0]).toMatchObject({ quantityAfter: 22.5, cash: 0 });
  });
});

describe('when actions apply', () => {
  it('an ex-date on a day without a bar applies at the next bar; one at or before the first bar, or after the last, does nothing', () => {
    const rows: BarRow[] = [SPLIT_RAW[0]!, SPLIT_RAW[1]!, [day(5), 51, 52, 51, 52, 0], [day(6), 53, 53, 53, 53, 0]];
    const r = go(rows, BUY, [split(1, 3), split(4, 2), split(9, 5)], 'raw');
    expect(r.corporateActions!.map((e) => [e.time, e.value])).toEqual([[day(5), 2]]);
    expect(equity(r)).toEqual([10_000, 10_200, 10_400, 10_600]);
    // Adjusted: the same two actions do nothing to the bars (before the first, after the last).
    const adj = go(rows, BUY, [split(1, 3), split(4, 2), split(9, 5)], 'adjusted');
    expect(equity(adj)).toEqual([10_000, 10_200, 10_400, 10_600]);
  });

  it('another symbol\'s actions and no actions at all leave the result without a corporate-actions list', () => {
    const d = doc({ initialCash: 10_000, prices: 'raw' }, [on(1, BUY)]);
    expect(runBacktest(d, { bars: [bars('A', SPLIT_RAW)], actions: [{ ...split(3, 2), symbol: 'B' }] }).corporateActions).toBeUndefined();
    expect(runBacktest(d, { bars: [bars('A', SPLIT_RAW)] }).corporateActions).toBeUndefined();
  });

  it('a dividend not below the close before it cannot adjust prices: the run says which', () => {
    const d = doc({ initialCash: 10_000 }, [on(1, BUY)]);
    expect(() => runBacktest(d, { bars: [bars('A', DIV_RAW)], actions: [dividend(3, 100)] })).toThrow(/A: the dividend of 100 on 2024-01-03 is not below the close before it \(100\)/);
  });
});

describe('survivorship warning', () => {
  const rows = (from: number, to: number): BarRow[] => Array.from({ length: to - from + 1 }, (_, i) => [day(from + i), 10, 10, 10, 10, 0] as const);
  const d = (universe: string[], range?: { from?: string; to?: string }) => doc({ universe, initialCash: 1000, ...(range ? { range } : {}) }, [{ ...ONCE, action: { type: 'buy', asset: 'A', amount: { unit: 'all' } } }]);

  it('names each universe symbol that starts late or ends early (beyond a week), with its span and the run\'s', () => {
    const r = runBacktest(d(['A', 'B', 'C']), { bars: [bars('A', rows(1, 30)), bars('B', rows(12, 30)), bars('C', rows(1, 20))] });
    expect(r.warnings).toEqual([
      'survivorship: not every universe symbol spans the run (2024-01-01 to 2024-01-30): B (2024-01-12 to 2024-01-30), C (2024-01-01 to 2024-01-20). '
      + 'A universe chosen from symbols that exist today leaves out those delisted or merged during the run, which flatters the results; '
      + 'a symbol that starts late or ends early may also be a short data file.',
    ]);
    expect(runReplay(d(['A', 'B', 'C']), { bars: [bars('A', rows(1, 30)), bars('B', rows(12, 30)), bars('C', rows(1, 20))] }).warnings).toEqual(r.warnings);
  });

  it('no warning when every symbol spans the run within a week, inside the range, or for one symbol', () => {
    expect(runBacktest(d(['A', 'B']), { bars: [bars('A', rows(1, 30)), bars('B', rows(5, 27))] }).warnings).toEqual([]);
    expect(runBacktest(d(['A', 'B'], { from: '2024-01-12' }), { bars: [bars('A', rows(1, 30)), bars('B', rows(12, 30))] }).warnings).toEqual([]);
    expect(runBacktest(d(['A']), { bars: [bars('A', rows(10, 12))] }).warnings).toEqual([]);
  });
});
