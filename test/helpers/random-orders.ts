/**
 * Random documents with orders beyond market (entries, exits, intrabar rules) and random daily bars built
 * from hourly ones (the finer data), shared by the order properties (test/property/orders.test.ts) and the
 * practice-parity property of the live processor (test/unit/live/practice-parity.test.ts).
 */
import fc from 'fast-check';
import { parseDocument, type Action, type BarColumns, type Condition, type Entry, type Exits, type StrategyDocument } from '../../src/schema/index.ts';

export const DAY = 86_400_000;
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
export const dataArb = fc.array(dayArb, { minLength: 3, maxLength: 30 });
export type Day = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

function columns(symbol: string, timeframe: string, rows: number[][]): BarColumns {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return { symbol, timeframe, length: rows.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

export function toData(days: Day[]): { daily: BarColumns; hourly: BarColumns } {
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
/** `sessionClose`: time exits at the session close too. */
const exitsArbWith = (sessionClose: boolean): fc.Arbitrary<Exits | undefined> => fc.option(
  fc.record({
    stopLoss: levelArb,
    takeProfit: levelArb,
    trailingStop: fc.record({ percent: fc.constantFrom(2, 4), by: fc.constantFrom('close', 'highLow' as const) }),
    timeExit: fc.oneof(fc.record({ bars: fc.integer({ min: 1, max: 4 }) }), fc.constant({ duration: '3d' }), ...(sessionClose ? [fc.constant({ sessionClose: true as const })] : [])),
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

function actionArb(allowShort: boolean, exitsArb: fc.Arbitrary<Exits | undefined>): fc.Arbitrary<Action> {
  const amount = fc.oneof(fc.constant({ unit: 'all' as const }), fc.record({ unit: fc.constant('quantity' as const), value: fc.integer({ min: 1, max: 50 }) }));
  return fc.oneof(
    fc.record({ type: fc.constant('buy' as const), amount, entry: entryArb, exits: exitsArb }),
    fc.record({ type: fc.constant('sell' as const), amount, entry: entryArb, exits: allowShort ? exitsArb : fc.constant(undefined) }),
    fc.record({ type: fc.constant('setWeight' as const), weight: fc.integer({ min: allowShort ? -5 : 0, max: 10 }).map((w) => w / 10), exits: exitsArb }),
  ).map((a) => JSON.parse(JSON.stringify(a)) as Action); // drop undefined keys
}

/**
 * Random order documents. `backtestOnly`: also settings.closeAtEnd, which the backtest and replay processors
 * have and the live processor does not (a live run never "ends"). `sessionClose`: also time exits at the
 * session close (backtest, replay, and live since the simulated broker reads the replayed data's sessions).
 */
export const docArbWith = (fillModels: readonly ('nextOpen' | 'close')[], intrabar: readonly ('pessimistic' | 'optimistic' | 'finerData')[], backtestOnly = false, sessionClose = backtestOnly): fc.Arbitrary<StrategyDocument> => fc.record({
  fillModel: fc.constantFrom(...fillModels),
  intrabar: fc.constantFrom(...intrabar),
  allowShort: fc.boolean(),
  closeAtEnd: backtestOnly ? fc.boolean() : fc.constant(false),
  units: fc.constantFrom('whole', 'fractional' as const),
  fees: fc.record({ fraction: fc.constantFrom(0, 0.001), perOrder: fc.constantFrom(0, 1) }),
  slippage: fc.record({ bps: fc.constantFrom(0, 10) }),
}).chain((s) => fc.array(fc.record({ condition: conditionArb, action: actionArb(s.allowShort, exitsArbWith(sessionClose)) }), { minLength: 1, maxLength: 3 }).map((strategies) => {
  const r = parseDocument({
    version: 1, name: 'random orders',
    settings: { universe: ['A'], initialCash: 1000, ...s },
    strategies: strategies.map((x, i) => ({ id: `s${i}`, name: `s${i}`, ...x })),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}));

export const docArb = docArbWith(['nextOpen', 'close'], ['pessimistic', 'optimistic', 'finerData'], true);
