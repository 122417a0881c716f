import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import type { RunResult } from '../../../src/schema/index.ts';
import { crossDoc, dailyBars, parse, withoutTraces } from '../pool/fixture.ts';

/** A run with every kind of row: rebalance weights, alerts' messages, bracket children (parentId, stop/limit prices), cancelled orders (null fill). */
function richResult(): RunResult {
  const doc = parse({
    ...crossDoc(),
    strategies: [
      ...crossDoc().strategies,
      { id: 'bracket', name: 'bracket', condition: { lhs: { kind: 'calendar', field: 'dayOfWeek' }, op: '=', rhs: 3 },
        action: { type: 'buy', asset: 'BBB', amount: { unit: 'percentOfEquity', value: 5 }, exits: { stopLoss: { percent: 3 }, takeProfit: { percent: 4 } } } },
      { id: 'limit', name: 'limit', condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 },
        action: { type: 'buy', asset: 'AAA', amount: { unit: 'quantity', value: 1 }, entry: { type: 'limit', price: { percent: 50 } } } },
      { id: 'note', name: 'note', condition: { lhs: { kind: 'calendar', field: 'firstBarOfMonth' }, op: '=', rhs: 1 }, action: { type: 'alert', message: 'new month' } },
    ],
  });
  return runBacktest(doc, { bars: dailyBars() });
}

describe('result columns: the generated decoder', () => {
  it('gives the same objects, keys in the same order, as the reference decoder, and the engine\'s result without traces', () => {
    const r = richResult();
    const kinds = {
      nullFill: r.orders.some((o) => o.fillTime === null), parent: r.orders.some((o) => o.parentId !== undefined),
      stop: r.orders.some((o) => o.stopPrice !== undefined), limit: r.orders.some((o) => o.limitPrice !== undefined),
      weights: r.signals.some((s) => s.weights !== null), message: r.signals.some((s) => s.message !== null), exitReason: r.trades.some((t) => t.exitReason !== undefined),
    };
    expect(kinds).toEqual({ nullFill: true, parent: true, stop: true, limit: true, weights: true, message: true, exitReason: true });
    const cols = encodeResult(r);
    const fast = decodeResult(cols), ref = decodeResult(cols, true);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(ref));
    expect(fast).toEqual(ref);
    expect(fast).toEqual(withoutTraces(r));
    for (const k of ['orders', 'trades', 'signals'] as const) {
      fast[k].forEach((row, i) => expect(Object.keys(row)).toEqual(Object.keys(ref[k][i]!)));
    }
  });

  it('keeps -0, NaN, null and an absent optional apart', () => {
    const r = richResult();
    const t = r.trades[0]!, o = r.orders.find((x) => x.fillTime === null)!;
    const odd: RunResult = { ...r, trades: [{ ...t, pnl: -0, returnPct: NaN }, { ...t, exitReason: undefined }], orders: [o, { ...o, reason: null, type: undefined }] };
    delete odd.trades[1]!.exitReason;
    delete odd.orders[1]!.type;
    const back = decodeResult(encodeResult(odd));
    expect(Object.is(back.trades[0]!.pnl, -0)).toBe(true);
    expect(back.trades[0]!.returnPct).toBeNaN();
    expect('exitReason' in back.trades[1]!).toBe(false);
    expect(back.orders[0]!.fillTime).toBeNull();
    expect(back.orders[1]!.reason).toBeNull();
    expect('type' in back.orders[1]!).toBe(false);
    expect(back.orders).toEqual(odd.orders);
  });
});
