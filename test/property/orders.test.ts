/**
 * Properties of orders beyond market on random documents and random data (fast-check). Daily bars are
 * built from hourly bars (the finer data), so the bar magnifier has real bars to look inside:
 *   1. replay ≡ backtest with every entry type, exit and intrabar rule, finer data included;
 *   2. no look-ahead with finer data: changing the finer bars after the end of the daily bar at t never
 *      changes a decision (signal, order, fill, trade) at or before t — and changing the finer bars of
 *      every day does change some runs (the property would notice a magnifier that reads nothing);
 *   3. the books balance: cash and positions equal a ledger rebuilt from the order log, exits included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest, runReplay } from '../../src/engine/index.ts';
import { parseDocument, type Action, type BarColumns, type Condition, type Entry, type Exits, type RunResult, type StrategyDocument } from '../../src/schema/index.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const SESSION = 14.5 * HOUR; // 09:30 New York in winter

// ---------- data: hourly bars inside each day; the daily bar aggregates them ----------

const dayArb = fc.record({
  gap: fc.integer({ min: 1, max: 2 }),
  moves: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 6 }),
  wick: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
  openGap: fc.integer({ min: -2, max: 2 }),
  hasFiner: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
});
const dataArb = fc.array(dayArb, { minLength: 3, maxLength: 30 });
type Day = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

function columns(symbol: string, timeframe: string, rows: number[][]): BarColumns {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return { symbol, timeframe, length: rows.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

function toData(days: Day[]): { daily: BarColumns; hourly: BarColumns } {
  const daily: number[][] = [], hourly: number[][] = [];
  let t = T0, last = 20;
  for (const d of days) {
    t += d.gap * DAY;
    let px = Math.max(5, last + d.openGap * 0.5);
    const open = px;
    let hi = -Infinity, lo = Infinity;
    d.moves.forEach((m, k) => {
      const o = px, c = Math.max(5, o + m * 0.5);
      const h = Math.max(o, c) + d.wick[k]! * 0.25, l = Math.max(1, Math.min(o, c) - d.wick[(k + 3) % 6]! * 0.25);
      if (d.hasFiner) hourly.push([t + SESSION + k * HOUR, o, h, l, c, 0]);
      hi = Math.max(hi, h);
      lo = Math.min(lo, l);
      px = c;
    });
    last = px;
    daily.push([t, open, hi, lo, px, daily.length % 5]);
  }
  return { daily: columns('A', '1d', daily), hourly: columns('A', '1h', hourly) };
}

// ---------- documents: entries, exits and rules at random ----------

const levelArb = fc.oneof(
  fc.record({ percent: fc.constantFrom(1, 2, 5) }),
  fc.record({ distance: fc.constantFrom(0.25, 0.5, 1) }),
  fc.record({ atr: fc.constantFrom(0.5, 1), window: fc.constant({ bars: 2 }) }),
);
const exitsArb: fc.Arbitrary<Exits | undefined> = fc.option(
  fc.record({
    stopLoss: levelArb,
    takeProfit: levelArb,
    trailingStop: fc.record({ percent: fc.constantFrom(2, 4), by: fc.constantFrom('close', 'highLow' as const) }),
    timeExit: fc.oneof(fc.record({ bars: fc.integer({ min: 1, max: 4 }) }), fc.constant({ duration: '3d' })),
  }, { requiredKeys: [] }),
  { nil: undefined },
);
const tifArb = fc.constantFrom('bar', 'day', 'gtc' as const);
const entryArb: fc.Arbitrary<Entry | undefined> = fc.option(fc.oneof(
  fc.record({ type: fc.constant('limit' as const), price: levelArb, timeInForce: tifArb }),
  fc.record({ type: fc.constant('stop' as const), price: levelArb, timeInForce: tifArb }),
  fc.record({ type: fc.constant('stopLimit' as const), stop: levelArb, limit: levelArb, timeInForce: tifArb }),
  fc.record({ type: fc.constant('limit' as const), price: levelArb, timeInForce: fc.constant('gtc' as const), expireAfterBars: fc.integer({ min: 1, max: 3 }) }),
), { nil: undefined });

const conditionArb: fc.Arbitrary<Condition> = fc.record({
  lhs: fc.constant({ kind: 'price' as const, field: 'volume' as const }),
  op: fc.constant('=' as const),
  rhs: fc.integer({ min: 0, max: 4 }),
});

function actionArb(allowShort: boolean): fc.Arbitrary<Action> {
  const amount = fc.oneof(fc.constant({ unit: 'all' as const }), fc.record({ unit: fc.constant('quantity' as const), value: fc.integer({ min: 1, max: 50 }) }));
  return fc.oneof(
    fc.record({ type: fc.constant('buy' as const), amount, entry: entryArb, exits: exitsArb }),
    fc.record({ type: fc.constant('sell' as const), amount, entry: entryArb, exits: allowShort ? exitsArb : fc.constant(undefined) }),
    fc.record({ type: fc.constant('setWeight' as const), weight: fc.integer({ min: allowShort ? -5 : 0, max: 10 }).map((w) => w / 10), exits: exitsArb }),
  ).map((a) => JSON.parse(JSON.stringify(a)) as Action); // drop undefined keys
}

const docArb: fc.Arbitrary<StrategyDocument> = fc.record({
  fillModel: fc.constantFrom('nextOpen', 'close' as const),
  intrabar: fc.constantFrom('pessimistic', 'optimistic', 'finerData' as const),
  allowShort: fc.boolean(),
  units: fc.constantFrom('whole', 'fractional' as const),
  fees: fc.record({ fraction: fc.constantFrom(0, 0.001), perOrder: fc.constantFrom(0, 1) }),
  slippage: fc.record({ bps: fc.constantFrom(0, 10) }),
}).chain((s) => fc.array(fc.record({ condition: conditionArb, action: actionArb(s.allowShort) }), { minLength: 1, maxLength: 3 }).map((strategies) => {
  const r = parseDocument({
    version: 1, name: 'random orders',
    settings: { universe: ['A'], initialCash: 1000, ...s },
    strategies: strategies.map((x, i) => ({ id: `s${i}`, name: `s${i}`, ...x })),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}));

const NUM_RUNS = Number(process.env.ENGINE_PROPERTY_RUNS ?? 150);

/** Decisions at or before t: signals, orders created by then (with their fill if it happened by then), trades closed by then. */
function decisions(r: RunResult, t: number) {
  return {
    signals: r.signals.filter((s) => s.time <= t),
    orders: r.orders.filter((o) => o.createdTime <= t).map((o) => (o.fillTime !== null && o.fillTime <= t ? o : { id: o.id, createdTime: o.createdTime, type: o.type })),
    trades: r.trades.filter((x) => x.exitTime <= t),
  };
}

describe('order properties', () => {
  it('replay ≡ backtest with every entry type, exit and intrabar rule (finer data included)', () => {
    fc.assert(fc.property(docArb, dataArb, (doc, days) => {
      const { daily, hourly } = toData(days);
      const data = { bars: [daily], finer: [hourly] };
      const a = runBacktest(doc, data), b = runReplay(doc, data);
      expect(b.signals).toEqual(a.signals);
      expect(b.orders).toEqual(a.orders);
      expect(b.trades).toEqual(a.trades);
      expect(b.stats).toEqual(a.stats);
      expect(b.curves).toEqual(a.curves);
    }), { numRuns: NUM_RUNS });
  });

  it('no look-ahead with finer data: finer bars after the daily bar at t never change a decision at or before t', () => {
    let sensitive = 0;
    const tweakArb = fc.record({ cut: fc.integer({ min: 0, max: 29 }), seed: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(fc.property(docArb, dataArb, tweakArb, (doc, days, tweak) => {
      const finerDoc = { ...doc, settings: { ...doc.settings, intrabar: 'finerData' as const } };
      const { daily, hourly } = toData(days);
      const t = daily.time[Math.min(tweak.cut, daily.length - 1)]!;
      // Finer bars of later days move (the daily bars stay: only what the magnifier reads changes).
      const shake = (after: number): BarColumns => {
        const f = (col: Float64Array, k: number) => Float64Array.from(col, (x, i) => (hourly.time[i]! >= after ? Math.max(1, x + ((tweak.seed * (i + 1) * (k + 3)) % 7) * 0.25 - 0.75) : x));
        return { ...hourly, open: f(hourly.open, 1), high: f(hourly.high, 2), low: f(hourly.low, 3), close: f(hourly.close, 4) };
      };
      const base = runBacktest(finerDoc, { bars: [daily], finer: [hourly] });
      const later = runBacktest(finerDoc, { bars: [daily], finer: [shake(t + DAY)] });
      expect(decisions(later, t)).toEqual(decisions(base, t));
      const all = runBacktest(finerDoc, { bars: [daily], finer: [shake(-Infinity)] });
      if (JSON.stringify(all.orders) !== JSON.stringify(base.orders)) sensitive++;
    }), { numRuns: NUM_RUNS });
    expect(sensitive, 'changing every finer bar changed no run: the magnifier reads nothing').toBeGreaterThan(0);
  });

  it('the books balance with exits: cash and position equal a ledger of the order log', () => {
    fc.assert(fc.property(docArb, dataArb, (doc, days) => {
      const { daily, hourly } = toData(days);
      const r = runBacktest(doc, { bars: [daily], finer: [hourly] });
      let cash = 1000, qty = 0;
      for (const o of r.orders) {
        if (o.filledQuantity === 0) continue;
        const signed = (o.side === 'buy' ? 1 : -1) * o.filledQuantity;
        cash -= signed * o.fillPrice! + o.fees;
        qty += signed;
      }
      const lastClose = daily.close[daily.length - 1]!;
      const equity = r.curves.equity[r.curves.equity.length - 1]!;
      expect(Math.abs(cash + qty * lastClose - equity)).toBeLessThanOrEqual(1e-6 * Math.max(1000, Math.abs(equity)));
      // Every exit order closes a whole position and names its reason on the trade it closes.
      for (const o of r.orders) {
        if (o.type === 'stopLoss' || o.type === 'takeProfit' || o.type === 'trailingStop' || o.type === 'timeExit') {
          expect(o.status).toBe('filled');
          // (A strategy's order may close part of the position at the same time and price: match the reason too.)
          const reason = { stopLoss: 'stop', takeProfit: 'target', trailingStop: 'trail', timeExit: 'time' }[o.type];
          expect(r.trades.some((x) => x.exitTime === o.fillTime && x.exitPrice === o.fillPrice && x.exitReason === reason), `${o.type} at ${o.fillTime}`).toBe(true);
        }
      }
    }), { numRuns: NUM_RUNS });
  });
});
