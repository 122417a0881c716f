import { describe, expect, it } from 'vitest';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { columnsBehind, decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import { arrayRows, auditRows, type AuditRows } from '../../../src/rpc/result-rows.ts';
import { arrayTrades, tradeRows, type TradeNumber, type TradeRows, type TradeText } from '../../../src/rpc/trade-rows.ts';
import type { RunResult } from '../../../src/schema/index.ts';
import { crossDoc, crossDocBothAssets, dailyBars, parse, withoutTraces } from '../pool/fixture.ts';

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

describe('result columns: trades, orders and signals decoded on first read', () => {
  it('decodes trades, orders and signals only when read, to the same arrays, and spreads, serialises and accepts assignment like data', () => {
    const r = richResult();
    const cols = encodeResult(r);
    const lazy = decodeResult(cols);
    const isAccessor = (k: string) => Object.getOwnPropertyDescriptor(lazy, k)!.get !== undefined;
    expect([isAccessor('trades'), isAccessor('orders'), isAccessor('signals')]).toEqual([true, true, true]);
    expect(Object.keys(lazy)).toEqual(Object.keys(decodeResult(cols, true)));
    const first = lazy.orders;
    expect(isAccessor('orders')).toBe(false);
    expect(lazy.orders).toBe(first);
    expect(first).toEqual(withoutTraces(r).orders);
    expect(lazy.trades).toEqual(r.trades);
    expect(isAccessor('trades')).toBe(false);
    expect(JSON.stringify({ ...decodeResult(cols) })).toBe(JSON.stringify(decodeResult(cols, true)));
    expect(structuredClone(decodeResult(cols))).toEqual(withoutTraces(r));
    const other = decodeResult(cols);
    other.signals = [];
    expect(other.signals).toEqual([]);
    expect(columnsBehind(other)).toBe(cols.columns);
    expect(columnsBehind(r)).toBeUndefined();
  });
});

describe('audit rows: a page at a time from the columns', () => {
  /** Every read of the rows, from the columns and from the arrays, side by side. */
  function everyRead(rows: AuditRows, ids: readonly number[]) {
    const strategies = rows.strategies();
    return {
      count: rows.signalCount,
      signals: Array.from({ length: rows.signalCount }, (_, i) => rows.signal(i)),
      strategies,
      of: strategies.map((s) => Array.from(rows.signalsOf(s))),
      orders: ids.map((id) => rows.order(id) ?? null),
      exits: ids.map((id) => rows.exitsOf(id)),
    };
  }

  it('reads the same signals, strategies, orders and bracket exits from the columns as from the decoded arrays', () => {
    const r = richResult();
    const cols = encodeResult(r);
    const decoded = decodeResult(cols), eager = decodeResult(cols, true);
    const fromColumns = auditRows(decoded);
    const fromArrays = arrayRows(eager.signals, eager.orders);
    const ids = [...r.orders.map((o) => o.id), -1, 1e9];
    const a = everyRead(fromColumns, ids), b = everyRead(fromArrays, ids);
    expect(a.exits.some((e) => e.length > 0)).toBe(true);
    expect(a.strategies.length).toBeGreaterThan(2);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a).toEqual(everyRead(arrayRows(withoutTraces(r).signals, r.orders), ids));
    expect(Object.getOwnPropertyDescriptor(decoded, 'signals')!.get).toBeDefined(); // nothing above decoded the arrays
  });

  it('reads the columns the compiled walk writes the same way (RunOptions.columns)', () => {
    const doc = crossDocBothAssets();
    const data = { bars: dailyBars() };
    const made = runBacktest(doc, data, { audit: false, engine: 'fast', columns: true, indicatorCache: new IndicatorCache() });
    expect(made.columns).toBeDefined();
    const objects = withoutTraces(runBacktest(doc, data, { audit: false, engine: 'fast', indicatorCache: new IndicatorCache() }));
    expect(objects.signals.length).toBeGreaterThan(0);
    const ids = objects.orders.map((o) => o.id);
    expect(JSON.stringify(everyRead(auditRows(decodeResult(encodeResult(made))), ids))).toBe(JSON.stringify(everyRead(arrayRows(objects.signals, objects.orders), ids)));
  });
});

describe('trade rows: the results page reads trades from the columns', () => {
  const NUMBERS: TradeNumber[] = ['quantity', 'entryTime', 'exitTime', 'entryPrice', 'exitPrice', 'pnl', 'returnPct', 'fees'];
  const TEXTS: TradeText[] = ['symbol', 'side', 'strategyId', 'exitReason'];
  /** Every read of the rows: each trade, each numeric column, each string of each trade. */
  function everyRead(rows: TradeRows) {
    const n = rows.length;
    return {
      n,
      at: Array.from({ length: n }, (_, i) => rows.at(i)),
      numbers: NUMBERS.map((f) => Array.from(rows.numbers(f))),
      texts: TEXTS.map((f) => Array.from({ length: n }, (_, i) => rows.text(f, i) ?? `<${String(rows.text(f, i))}>`)),
    };
  }

  it('reads the same trades, columns and strings from the columns as from the decoded array, without decoding it', () => {
    const r = richResult();
    const cols = encodeResult(r);
    const decoded = decodeResult(cols), eager = decodeResult(cols, true);
    const a = everyRead(tradeRows(decoded)), b = everyRead(arrayTrades(eager.trades));
    expect(a.n).toBeGreaterThan(5);
    expect(a.texts[3]!.some((x) => x !== '<undefined>')).toBe(true); // some exit reasons, some absent
    expect(a.texts[3]!.some((x) => x === '<undefined>')).toBe(true);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.at).toEqual(r.trades);
    a.at.forEach((t, i) => expect(Object.keys(t)).toEqual(Object.keys(eager.trades[i]!)));
    expect(Object.getOwnPropertyDescriptor(decoded, 'trades')!.get).toBeDefined(); // nothing above decoded the array
    // A result without columns (the engine's own) is read from its trade objects: the same reads, its own objects.
    const own = tradeRows(r);
    expect(own.at(0)).toBe(r.trades[0]);
    expect(everyRead(own)).toEqual(a);
  });

  it('keeps -0, NaN and an absent exit reason apart', () => {
    const r = richResult();
    const t = r.trades[0]!;
    const odd: RunResult = { ...r, trades: [{ ...t, pnl: -0, returnPct: NaN, exitReason: 'stop' }, { ...t }] };
    delete odd.trades[1]!.exitReason;
    const rows = tradeRows(decodeResult(encodeResult(odd)));
    expect(Object.is(rows.numbers('pnl')[0], -0)).toBe(true);
    expect(rows.numbers('returnPct')[0]).toBeNaN();
    expect([rows.text('exitReason', 0), rows.text('exitReason', 1)]).toEqual(['stop', undefined]);
    expect('exitReason' in rows.at(1)).toBe(false);
    expect([rows.at(0), rows.at(1)]).toEqual(odd.trades);
  });
});
