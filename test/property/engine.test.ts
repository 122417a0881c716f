/**
 * Engine properties on random documents and random multi-asset irregular data (fast-check):
 *   1. accounting: after every bar, cash and positions equal an independent ledger rebuilt from the order
 *      log, and the recorded equity equals ledger cash + Σ position × the asset's last close (as-of);
 *   2. whole-unit sizing never overspends: cash ≥ −1e-9 after every bar when shorting is off;
 *   3. no look-ahead: changing or dropping bars after t never changes a decision (signal, order) at or
 *      before t, nor the equity recorded up to t;
 *   4. the replay processor yields the identical event log and statistics as the backtest processor.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel, rangeOf, runBacktest, runReplay, SimulatedVenue } from '../../src/engine/index.ts';
import {
  parseDocument, type Action, type BarColumns, type Condition, type Expr, type OrderRecord, type RunResult, type StrategyDocument,
} from '../../src/schema/index.ts';
import { compile } from '../../src/strategy/index.ts';

const SYMBOLS = ['A', 'B', 'C'] as const;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

// ---------- random data: irregular, multi-asset, coarse prices so crossings and equalities happen ----------

interface RandomStep { gap: number; mask: number; moves: number[] }
const stepArb = fc.record({
  gap: fc.integer({ min: 1, max: 3 }),
  mask: fc.integer({ min: 1, max: 7 }), // which of A, B, C have a bar (at least one)
  moves: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 6, maxLength: 6 }),
});
const dataArb = fc.array(stepArb, { minLength: 2, maxLength: 40 });

/** Prices stay in [5, 15] so that whole-unit sells always raise more than the largest fixed fee. */
function toBars(steps: RandomStep[]): BarColumns[] {
  const rows: number[][][] = SYMBOLS.map(() => []);
  const last = [10, 10, 10];
  let t = T0;
  for (const s of steps) {
    t += s.gap * DAY;
    SYMBOLS.forEach((_, a) => {
      if (!(s.mask & (1 << a))) return;
      const clamp = (x: number) => Math.min(15, Math.max(5, x));
      const open = clamp(last[a]! + s.moves[2 * a]! * 0.5);
      const close = clamp(open + s.moves[2 * a + 1]! * 0.5);
      last[a] = close;
      rows[a]!.push([t, open, Math.max(open, close) + 0.25, Math.min(open, close) - 0.25, close, 1000 + a]);
    });
  }
  return SYMBOLS.map((symbol, a) => {
    const r = rows[a]!;
    const col = (k: number) => Float64Array.from(r, (x) => x[k]!);
    return { symbol, timeframe: '1d', length: r.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
  });
}

// ---------- random documents ----------

const assetArb = fc.constantFrom(...SYMBOLS);
const indicatorArb: fc.Arbitrary<Expr> = fc.oneof(
  fc.record({ kind: fc.constant('price' as const), asset: assetArb, field: fc.constantFrom('open', 'close' as const) }),
  fc.record({ kind: fc.constantFrom('sma', 'ema' as const), asset: assetArb, window: fc.record({ bars: fc.integer({ min: 1, max: 5 }) }) }),
);
const compareArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ lhs: indicatorArb, op: fc.constantFrom('>', '<', 'crossesAbove', 'crossesBelow' as const), rhs: fc.oneof(indicatorArb, fc.integer({ min: 7, max: 13 })) }),
  fc.record({
    lhs: fc.record({ kind: fc.constant('rsi' as const), asset: assetArb, window: fc.record({ bars: fc.integer({ min: 2, max: 4 }) }) }),
    op: fc.constantFrom('>', '<', 'crossesAbove', 'crossesBelow' as const),
    rhs: fc.integer({ min: 30, max: 70 }),
  }),
);
const conditionArb: fc.Arbitrary<Condition | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: compareArb },
  { weight: 2, arbitrary: fc.record({ any: fc.array(compareArb, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ not: compareArb }) },
);
const amountArb = fc.oneof(
  fc.constant({ unit: 'all' as const }),
  fc.record({ unit: fc.constant('quantity' as const), value: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ unit: fc.constantFrom('percentOfCash', 'percentOfEquity', 'percentOfPosition' as const), value: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ unit: fc.constant('cash' as const), value: fc.integer({ min: 5, max: 3000 }) }),
);
function actionArb(allowShort: boolean): fc.Arbitrary<Action> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('buy' as const), asset: assetArb, amount: amountArb }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('sell' as const), asset: assetArb, amount: amountArb }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('setWeight' as const), asset: assetArb, weight: fc.integer({ min: allowShort ? -10 : 0, max: 10 }).map((w) => w / 10) }) },
    { weight: 1, arbitrary: fc.constant({ type: 'closeAll' as const }) },
    { weight: 1, arbitrary: fc.constant({ type: 'alert' as const, message: 'a' }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('rebalance' as const), weights: fc.uniqueArray(fc.record({ asset: assetArb, weight: fc.integer({ min: 1, max: 5 }).map((w) => w / 10) }), { minLength: 1, maxLength: 2, selector: (x) => x.asset }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('rebalance' as const),
        universe: fc.record({
          candidates: fc.constant<string[]>(['A', 'B', 'C']),
          filter: compareArb.map((c) => JSON.parse(JSON.stringify(c).replace(/"asset":"[ABC]"/, '"asset":"$asset"')) as Condition),
          sort: fc.record({ by: fc.constant({ kind: 'price', asset: '$asset', field: 'close' } as Expr), order: fc.constantFrom('asc', 'desc' as const) }),
          limit: fc.integer({ min: 1, max: 3 }),
          weighting: fc.oneof(fc.constant({ kind: 'equal' as const }), fc.constant({ kind: 'inverseVolatility' as const, window: { bars: 3 } })),
        }),
      }),
    },
  );
}

const settingsArb = fc.record({
  fillModel: fc.constantFrom('nextOpen', 'close' as const),
  units: fc.constantFrom('whole', 'fractional' as const),
  allowShort: fc.boolean(),
  initialCash: fc.integer({ min: 500, max: 20_000 }),
  // Fees stay below the cheapest whole-unit sale (price ≥ 5): a closing fill always raises cash.
  fees: fc.record({
    fraction: fc.constantFrom(0, 0.001, 0.01),
    perShare: fc.constantFrom(0, 0.01),
    perOrder: fc.constantFrom(0, 1),
    minimum: fc.constantFrom(0, 2),
  }),
  slippage: fc.record({ bps: fc.constantFrom(0, 10, 50), fixed: fc.constantFrom(0, 0.01) }),
  fromDay: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
});

const docArb: fc.Arbitrary<StrategyDocument> = settingsArb.chain((s) =>
  fc.array(fc.record({ condition: conditionArb, action: actionArb(s.allowShort) }), { minLength: 1, maxLength: 3 }).map((strategies) => {
    const { fromDay, ...settings } = s;
    const range = fromDay === undefined ? undefined : { from: new Date(T0 + fromDay * DAY).toISOString().slice(0, 10) };
    const r = parseDocument({
      version: 1,
      name: 'random',
      settings: { universe: [...SYMBOLS], ...settings, ...(range ? { range } : {}) },
      strategies: strategies.map((x, i) => ({ id: `s${i}`, name: `s${i}`, action: x.action, ...(x.condition ? { condition: x.condition } : {}) })),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.doc;
  }),
);

/** More runs when hunting: ENGINE_PROPERTY_RUNS=5000 npx vitest run test/property/engine.test.ts */
const NUM_RUNS = Number(process.env.ENGINE_PROPERTY_RUNS ?? 150);

// ---------- 1 + 2: step a Kernel and check the books after every bar ----------

/** Cash and positions rebuilt from the order log alone. Every fill of an order is on its final side at one price. */
function ledger(orders: readonly OrderRecord[], initialCash: number): { cash: number; qty: Map<string, number>; scale: number } {
  let cash = initialCash, scale = initialCash;
  const qty = new Map<string, number>();
  for (const o of orders) {
    if (o.filledQuantity === 0) continue;
    const signed = (o.side === 'buy' ? 1 : -1) * o.filledQuantity;
    cash -= signed * o.fillPrice! + o.fees;
    scale += Math.abs(signed * o.fillPrice!) + o.fees;
    qty.set(o.symbol, (qty.get(o.symbol) ?? 0) + signed);
  }
  return { cash, qty, scale };
}

describe('engine properties', () => {
  it('cash + Σ position × mark = equity after every bar, checked against a ledger of the order log; whole units never overspend', () => {
    fc.assert(
      fc.property(docArb, dataArb, (doc, steps) => {
        const cols = toBars(steps);
        const plan = compile(doc);
        const kernel = new Kernel({ plan, settings: doc.settings, venue: (n) => new SimulatedVenue(doc.settings.fillModel, n), fromTime: rangeOf(doc).from });
        const lastClose = new Map<string, number>();
        const cursor = cols.map(() => 0);
        for (;;) {
          let t = Infinity;
          cols.forEach((c, a) => { if (cursor[a]! < c.length) t = Math.min(t, c.time[cursor[a]!]!); });
          if (t === Infinity) break;
          cols.forEach((c, a) => {
            const i = cursor[a]!;
            if (i < c.length && c.time[i] === t) {
              kernel.setBar(a, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!);
              lastClose.set(c.symbol, c.close[i]!);
              cursor[a] = i + 1;
            }
          });
          const recorded = kernel.recorder.length;
          kernel.step(t);

          const L = ledger(kernel.orders, doc.settings.initialCash);
          const tol = 1e-9 * L.scale;
          const p = kernel.portfolio;
          expect(Math.abs(p.cash - L.cash), 'cash vs ledger').toBeLessThanOrEqual(tol);
          let equity = L.cash;
          SYMBOLS.forEach((s, a) => {
            const q = L.qty.get(s) ?? 0;
            expect(Math.abs(p.qty[a]! - q), `${s} position vs ledger`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(q)));
            if (q !== 0) equity += q * lastClose.get(s)!;
          });
          if (kernel.recorder.length > recorded) {
            expect(Math.abs(kernel.recorder.equity[recorded]! - equity), 'recorded equity').toBeLessThanOrEqual(tol);
            expect(kernel.recorder.exposed[recorded], 'exposure flag').toBe([...L.qty.values()].some((q) => Math.abs(q) > 1e-12) ? 1 : 0);
          }
          if (!doc.settings.allowShort) {
            expect(p.cash, 'cash never negative without shorting').toBeGreaterThanOrEqual(-1e-9);
            for (const q of p.qty) expect(q).toBeGreaterThanOrEqual(-1e-12);
          }
          if (doc.settings.units === 'whole') for (const q of p.qty) expect(Number.isInteger(Math.round(q * 1e9) / 1e9)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('no look-ahead: changing or dropping bars after t never changes a decision at or before t', () => {
    const tweakArb = fc.record({ cut: fc.integer({ min: 0, max: 39 }), drop: fc.boolean(), seed: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(docArb, dataArb, tweakArb, (doc, steps, tweak) => {
        const cols = toBars(steps);
        const times = [...new Set(cols.flatMap((c) => [...c.time]))].sort((x, y) => x - y);
        const t = times[Math.min(tweak.cut, times.length - 1)]!;
        const changed = cols.map((c) => {
          const keep = tweak.drop ? c.time.findIndex((x) => x > t) : -1;
          const n = keep >= 0 ? keep : c.length;
          const f = (col: Float64Array, k: number) => Float64Array.from(col.subarray(0, n), (x, i) => (c.time[i]! > t ? x + ((tweak.seed * (i + 1) * (k + 3)) % 7) - 3 : x));
          return { ...c, length: n, time: c.time.slice(0, n), open: f(c.open, 1), high: f(c.high, 2), low: f(c.low, 3), close: f(c.close, 4), volume: f(c.volume, 5) };
        });
        const a = tryRun(doc, cols), b = tryRun(doc, changed);
        if (a === null || b === null) return; // no bar in range
        const decisions = (r: RunResult) => ({
          signals: r.signals.filter((s) => s.time <= t),
          orders: r.orders.filter((o) => o.createdTime <= t).map((o) => (o.fillTime !== null && o.fillTime <= t ? o : { id: o.id, strategyId: o.strategyId, symbol: o.symbol, createdTime: o.createdTime })),
          equity: [...r.curves.equity].filter((_, i) => r.curves.time[i]! <= t),
        });
        expect(decisions(b)).toEqual(decisions(a));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the replay processor yields the identical event log and statistics as the backtest', () => {
    fc.assert(
      fc.property(docArb, dataArb, (doc, steps) => {
        const cols = toBars(steps);
        const a = tryRun(doc, cols);
        let b: RunResult | null;
        try { b = runReplay(doc, { bars: cols }); } catch (e) { if ((e as Error).name === 'RunError') b = null; else throw e; }
        expect(b === null).toBe(a === null);
        if (a === null || b === null) return;
        expect(b.signals).toEqual(a.signals);
        expect(b.orders).toEqual(a.orders);
        expect(b.trades).toEqual(a.trades);
        expect(b.stats).toEqual(a.stats);
        expect(b.curves).toEqual(a.curves);
        expect(b.warnings).toEqual(a.warnings);
        expect([b.barCount, b.eventCount]).toEqual([a.barCount, a.eventCount]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

function tryRun(doc: StrategyDocument, cols: BarColumns[]): RunResult | null {
  try {
    return runBacktest(doc, { bars: cols });
  } catch (e) {
    if ((e as Error).name === 'RunError') return null;
    throw e;
  }
}
