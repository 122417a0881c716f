/**
 * Random documents and random irregular multi-asset bars (fast-check), shared by the engine properties and the
 * live parity properties.
 */
import fc from 'fast-check';
import { parseDocument, type Action, type BarColumns, type Condition, type Expr, type StrategyDocument } from '../../src/schema/index.ts';

export const SYMBOLS = ['A', 'B', 'C'] as const;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

// ---------- random data: irregular, multi-asset, coarse prices so crossings and equalities happen ----------

export interface RandomStep { gap: number; mask: number; moves: number[] }
export const stepArb = fc.record({
  gap: fc.integer({ min: 1, max: 3 }),
  mask: fc.integer({ min: 1, max: 7 }), // which of A, B, C have a bar (at least one)
  moves: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 6, maxLength: 6 }),
});
export const dataArb = fc.array(stepArb, { minLength: 2, maxLength: 40 });

/**
 * Prices stay in [5, 15] so that whole-unit sells always raise more than the largest fixed fee. `gap`
 * counts `unitMs` (a day by default); volume varies with the move when `varyVolume`.
 */
export function toBars(steps: RandomStep[], t0 = T0, unitMs = DAY, timeframe = '1d', varyVolume = false): BarColumns[] {
  const rows: number[][][] = SYMBOLS.map(() => []);
  const last = [10, 10, 10];
  let t = t0;
  for (const s of steps) {
    t += s.gap * unitMs;
    SYMBOLS.forEach((_, a) => {
      if (!(s.mask & (1 << a))) return;
      const clamp = (x: number) => Math.min(15, Math.max(5, x));
      const open = clamp(last[a]! + s.moves[2 * a]! * 0.5);
      const close = clamp(open + s.moves[2 * a + 1]! * 0.5);
      last[a] = close;
      rows[a]!.push([t, open, Math.max(open, close) + 0.25, Math.min(open, close) - 0.25, close, 1000 + (varyVolume ? 10 * a + s.moves[a]! : a)]);
    });
  }
  return SYMBOLS.map((symbol, a) => {
    const r = rows[a]!;
    const col = (k: number) => Float64Array.from(r, (x) => x[k]!);
    return { symbol, timeframe, length: r.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
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
/** Buy, sell (every amount unit), setWeight (tenths from minTenths/10 to 1), closeAll, alert, fixed-weight rebalance. */
export function plainActions(minTenths: number): fc.WeightedArbitrary<Action>[] {
  return [
    { weight: 3, arbitrary: fc.record({ type: fc.constant('buy' as const), asset: assetArb, amount: amountArb }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('sell' as const), asset: assetArb, amount: amountArb }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('setWeight' as const), asset: assetArb, weight: fc.integer({ min: minTenths, max: 10 }).map((w) => w / 10) }) },
    { weight: 1, arbitrary: fc.constant({ type: 'closeAll' as const }) },
    { weight: 1, arbitrary: fc.constant({ type: 'alert' as const, message: 'a' }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('rebalance' as const), weights: fc.uniqueArray(fc.record({ asset: assetArb, weight: fc.integer({ min: 1, max: 5 }).map((w) => w / 10) }), { minLength: 1, maxLength: 2, selector: (x) => x.asset }) }) },
  ];
}

function actionArb(allowShort: boolean): fc.Arbitrary<Action> {
  return fc.oneof(
    ...plainActions(allowShort ? -10 : 0),
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

const settingsArb = (fillModels: readonly ('nextOpen' | 'close')[]) => fc.record({
  fillModel: fc.constantFrom(...fillModels),
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

/** Random documents over A, B, C whose fill model is one of `fillModels`. */
export const docArbWith = (fillModels: readonly ('nextOpen' | 'close')[]): fc.Arbitrary<StrategyDocument> => settingsArb(fillModels).chain((s) =>
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

export const docArb = docArbWith(['nextOpen', 'close']);
