/**
 * Runs on a thread reuse their scratch buffers (issue 17, W1 fixed costs): the compiled walk's orders log, the
 * signal pass's event lists and the trade log's columns go back to a per-thread pool when a run ends, because
 * a fresh typed array of a few KB costs tens of µs in Chromium. These pin that no result ever sees another
 * run's rows: each run in a sequence of different runs equals the same run made alone by the reference
 * engine (which pools none of them), and a run's trades, orders and signals, made from its columns when first
 * read after later runs took the pooled ones, are still its own.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, type RunOptions } from '../../../src/engine/index.ts';
import { parseDocument, type Condition, type StrategyDocument } from '../../../src/schema/index.ts';

const n = 400;
const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
const close = Float64Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin(i / 5) + 4 * Math.sin(i / 1.7));
const bars = {
  symbol: 'A', timeframe: '1d', length: n, time, open: close.map((x, i) => x + Math.cos(i) * 0.5), high: close.map((x) => x + 1), low: close.map((x) => x - 1), close,
  volume: close.map(() => 1000),
};
const data = { bars: [bars] };

const sma = (bars: number) => ({ kind: 'sma' as const, asset: 'A', window: { bars } });
const cross = (op: 'crossesAbove' | 'crossesBelow', fast: number, slow: number): Condition => ({ lhs: sma(fast), op, rhs: sma(slow) });

/** Long/short SMA cross; `double`: each condition is two crossings (any of), so its events carry twice the memory. */
function crossDoc(fast: number, slow: number, double: boolean, buy = false): StrategyDocument {
  const cond = (op: 'crossesAbove' | 'crossesBelow'): Condition => (double ? { any: [cross(op, fast, slow), cross(op, fast + 1, slow + 3)] } : cross(op, fast, slow));
  const r = parseDocument({
    version: 1, name: 'cross', settings: { universe: ['A'], timeframe: '1d', initialCash: 10_000, fees: { fraction: 0.001 }, allowShort: true },
    strategies: [
      // `buy`: a delta order at every up-cross, so an order is still open at some signals (rejected, with a reason).
      { id: 'up', name: 'up', condition: cond('crossesAbove'), action: buy ? { type: 'buy', asset: 'A', amount: { unit: 'percentOfCash', value: 20 } } : { type: 'setWeight', asset: 'A', weight: 1 } },
      { id: 'down', name: 'down', condition: cond('crossesBelow'), action: { type: 'setWeight', asset: 'A', weight: -1 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

const cases: { doc: StrategyDocument; opts: RunOptions }[] = [
  // Compiled walk (audit off): orders log and event lists reused; many orders, then few, then many.
  { doc: crossDoc(2, 5, false), opts: { audit: false } },
  { doc: crossDoc(10, 40, false, true), opts: { audit: false } },
  { doc: crossDoc(3, 7, true), opts: { audit: false } },
  // Kernel-assisted walk (traces kept): the event lists' crossing memory is read back at each event.
  { doc: crossDoc(3, 7, true), opts: { audit: true } },
  { doc: crossDoc(2, 5, false), opts: { audit: true } },
  { doc: crossDoc(4, 9, true, true), opts: { audit: true } },
];

describe('buffers reused across runs on a thread', () => {
  it('each run of a sequence of different runs equals the reference run alone (orders, reasons, signals, trades, stats)', () => {
    const want = cases.map((c) => runBacktest(c.doc, data, { ...c.opts, engine: 'reference' }));
    expect(want[1]!.orders.some((o) => o.status === 'rejected' && o.reason !== null)).toBe(true);
    for (const order of [[0, 1, 2, 3, 4, 5], [5, 2, 4, 0, 3, 1, 1, 0]]) {
      for (const i of order) {
        const got = runBacktest(cases[i]!.doc, data, { ...cases[i]!.opts, engine: 'fast' });
        expect(got.engine, `case ${i}`).toBe('fast');
        expect(got.orders, `case ${i}`).toEqual(want[i]!.orders);
        expect(got.signals, `case ${i}`).toEqual(want[i]!.signals);
        expect(got.trades, `case ${i}`).toEqual(want[i]!.trades);
        expect(got.stats, `case ${i}`).toEqual(want[i]!.stats);
      }
    }
  });

  it("a stats-only run's trades, read after later runs reused its trade columns, are its own", () => {
    for (const engine of ['fast', 'reference'] as const) {
      const full = cases.map((c) => runBacktest(c.doc, data, { audit: false, engine }).trades);
      expect(full[0]!.length).toBeGreaterThan(full[1]!.length);
      const stats = cases.map((c) => runBacktest(c.doc, data, { audit: false, record: 'stats', engine }));
      // Later runs (full and stats-only) write their own rows into the pooled columns first.
      for (const c of cases) runBacktest(c.doc, data, { audit: false, engine });
      stats.forEach((r, i) => expect(r.trades, `${engine} case ${i}`).toEqual(full[i]));
    }
  });

  it("a full run's trades, orders and signals, first read after later runs on the thread, are its own, and read as plain properties", () => {
    for (const engine of ['fast', 'reference'] as const) {
      const want = cases.map((c) => runBacktest(c.doc, data, { ...c.opts, engine: 'reference' }));
      // Made from the run's columns on first read (result.ts lazyProperty): nothing read until every run is done.
      const results = cases.map((c) => runBacktest(c.doc, data, { ...c.opts, engine }));
      for (const c of cases) runBacktest(c.doc, data, { ...c.opts, engine });
      results.forEach((r, i) => {
        expect(Object.keys(r), `${engine} case ${i}`).toEqual(expect.arrayContaining(['trades', 'orders', 'signals']));
        // A structured clone (a worker's postMessage) and JSON read them as any property.
        const cloned = structuredClone(r);
        expect(cloned.orders, `${engine} case ${i}`).toEqual(want[i]!.orders);
        expect(JSON.parse(JSON.stringify(r.signals)), `${engine} case ${i}`).toEqual(JSON.parse(JSON.stringify(want[i]!.signals)));
        expect(r.trades, `${engine} case ${i}`).toEqual(want[i]!.trades);
        // Made once, then kept; assignable like any property.
        expect(r.orders).toBe(r.orders);
        r.trades = [];
        expect(r.trades).toEqual([]);
      });
    }
  });

  it('logs that outgrow their first block (one buffer, lib/grow.ts carved) keep every row as they grow column by column', () => {
    // A buy of 1 % of cash at every bar above a 3-bar SMA and a sell of everything when the close crosses below
    // it: more orders and signals than an orders log's 512 first rows, more round trips than a trade log's 256.
    const days = 3_000;
    const t = Float64Array.from({ length: days }, (_, i) => Date.UTC(2015, 0, 1) + i * 86_400_000);
    const c = Float64Array.from({ length: days }, (_, i) => 60 + 8 * Math.sin(i / 4) + 3 * Math.sin(i / 1.3));
    const long = { bars: [{ symbol: 'A', timeframe: '1d', length: days, time: t, open: c.map((x, i) => x + Math.cos(i) * 0.3), high: c.map((x) => x + 1), low: c.map((x) => x - 1), close: c, volume: c.map(() => 1000) }] };
    const r = parseDocument({
      version: 1, name: 'many orders', settings: { universe: ['A'], timeframe: '1d', initialCash: 100_000, fees: { fraction: 0.001 }, units: 'fractional', closeAtEnd: true },
      strategies: [
        { id: 'dca', name: 'above the average', condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: '>', rhs: sma(3) }, action: { type: 'buy', asset: 'A', amount: { unit: 'percentOfCash', value: 1 } } },
        { id: 'out', name: 'down-cross', condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: 'crossesBelow', rhs: sma(3) }, action: { type: 'sell', asset: 'A', amount: { unit: 'all' } } },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const want = runBacktest(r.doc, long, { audit: false, engine: 'reference' });
    expect(want.orders.length).toBeGreaterThan(2 * 512);
    expect(want.trades.length).toBeGreaterThan(256);
    // Both engines share the trade log, so its rows are also checked against the money: flat at the end, the
    // round trips' P&L (fees included) add up to the change in equity.
    const pnl = want.trades.reduce((sum, x) => sum + x.pnl, 0);
    expect(Math.abs(pnl - (want.stats.finalEquity - 100_000))).toBeLessThan(1e-6);
    for (const record of ['full', 'stats'] as const) {
      const got = runBacktest(r.doc, long, { audit: false, engine: 'fast', record });
      expect(got.engine).toBe('fast');
      expect(got.trades, record).toEqual(want.trades);
      if (record === 'full') {
        expect(got.orders).toEqual(want.orders);
        expect(got.signals).toEqual(want.signals);
        expect(got.stats).toEqual(want.stats);
      }
    }
  });

  it('sampled curves are the same whatever ran before on the thread (the bucket-end scratch array is reused)', () => {
    // Minute bars, so curves are sampled by hour (the last step of each hour, and the run's last step).
    const minutes = (steps: number, offsetMinutes = 0) => {
      const t = Float64Array.from({ length: steps }, (_, i) => Date.UTC(2021, 0, 4) + (offsetMinutes + i) * 60_000);
      const c = Float64Array.from({ length: steps }, (_, i) => 50 + 10 * Math.sin(i / 50) + 3 * Math.sin(i / 7));
      return { bars: [{ symbol: 'A', timeframe: '1m', length: steps, time: t, open: c, high: c.map((x) => x + 0.5), low: c.map((x) => x - 0.5), close: c, volume: c.map(() => 100) }] };
    };
    const r = parseDocument({
      version: 1, name: 'minutes', settings: { universe: ['A'], timeframe: '1m', initialCash: 10_000, allowShort: true },
      strategies: [
        { id: 'up', name: 'up', condition: cross('crossesAbove', 5, 30), action: { type: 'setWeight', asset: 'A', weight: 1 } },
        { id: 'down', name: 'down', condition: cross('crossesBelow', 5, 30), action: { type: 'setWeight', asset: 'A', weight: -1 } },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const curves = (steps: number, offsetMinutes = 0) => runBacktest(r.doc, minutes(steps, offsetMinutes), { audit: false }).curves;
    // A 40-step run first leaves a scratch array of 40 entries; the 2-day run after it has 48 hours to keep.
    expect(curves(40).time.length).toBe(1);
    const twoDays = curves(2 * 1440);
    expect([...twoDays.time]).toEqual(Array.from({ length: 48 }, (_, h) => Date.UTC(2021, 0, 4) + (60 * h + 59) * 60_000));
    // A longer run starting half an hour later (its bucket ends at other indices), then the 2 days again.
    const nineDays = curves(9 * 1440, 30);
    expect(nineDays.time.length).toBe(9 * 24 + 1);
    expect(nineDays.time[9 * 24]).toBe(Date.UTC(2021, 0, 4) + (30 + 9 * 1440 - 1) * 60_000);
    expect(curves(2 * 1440)).toEqual(twoDays);
  });
});
