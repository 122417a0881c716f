/**
 * A page whose CSP forbids code generation compiles the same plan without `new Function`: conditions by the
 * reference interpreter, expressions (price levels of exits, sort keys, proportional weights) as closures.
 * Both must give the same run, bit for bit, on random arithmetic. Before, any arithmetic in an expression
 * was a CompileError there ("needs code generation").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/index.ts';
import { parseDocument, type Expr, type StrategyDocument } from '../../src/schema/index.ts';
import { compile } from '../../src/strategy/index.ts';
import { dataArb, toBars } from '../helpers/random-documents.ts';

const leaf = (asset: string): fc.Arbitrary<Expr> => fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2, 3.25, 1e-3),
  fc.constantFrom('open', 'high', 'low', 'close').map((field) => ({ kind: 'price', asset, field }) as Expr),
  fc.integer({ min: 1, max: 4 }).map((bars) => ({ kind: 'sma', asset, window: { bars } }) as Expr),
  fc.integer({ min: 1, max: 3 }).map((bars) => ({ kind: 'atr', asset, window: { bars } }) as Expr),
);
const exprArb = (asset: string): fc.Arbitrary<Expr> => fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf(asset),
    fc.record({ kind: fc.constant('math' as const), op: fc.constantFrom('+', '-', '*', '/' as const), args: fc.array(tie('e'), { minLength: 2, maxLength: 3 }) }) as fc.Arbitrary<Expr>,
  ),
})).e;

const docArb = fc.record({ sl: exprArb('A'), tp: exprArb('A'), sort: exprArb('$asset'), weight: exprArb('$asset'), pct: fc.constantFrom(20, 50) })
  .map(({ sl, tp, sort, weight, pct }) => ({
    version: 1,
    name: 'arithmetic everywhere',
    settings: { universe: ['A', 'B', 'C'], timeframe: '1d', initialCash: 10_000, units: 'fractional', fillModel: 'nextOpen' },
    parameters: {},
    strategies: [
      {
        id: 'in', name: 'in',
        condition: { lhs: { kind: 'price', asset: 'A', field: 'close' }, op: '>', rhs: { kind: 'math', op: '*', args: [{ kind: 'sma', asset: 'A', window: { bars: 2 } }, 0.99] } },
        action: { type: 'buy', asset: 'A', amount: { unit: 'percentOfEquity', value: pct }, exits: { stopLoss: { price: sl }, takeProfit: { price: tp } } },
      },
      {
        id: 'rot', name: 'rot',
        condition: { lhs: { kind: 'price', asset: 'B', field: 'close' }, op: '<', rhs: { kind: 'sma', asset: 'B', window: { bars: 3 } } },
        action: { type: 'rebalance', universe: { candidates: ['A', 'B', 'C'], sort: { by: sort, order: 'desc' }, limit: 2, weighting: { kind: 'proportional', by: weight } } },
      },
    ],
  }))
  // Through the parser, as every caller of the engine does: it fills the defaults (costs, …) the engine relies on.
  .map((raw) => {
    const r = parseDocument(raw);
    if (!r.ok) throw new Error(`the arbitrary made an invalid document: ${JSON.stringify(r.errors).slice(0, 300)}`);
    return r.doc;
  });

/** Runs and errors alike: a document one way refuses (e.g. a negative weight) must be refused the other way too. */
function outcome(doc: StrategyDocument, bars: ReturnType<typeof toBars>, codegen: boolean): unknown {
  try {
    const r = runBacktest(doc, { bars }, { plan: compile(doc, { codegen }), engine: 'reference' });
    return JSON.parse(JSON.stringify({ orders: r.orders, trades: r.trades, signals: r.signals, curves: r.curves, stats: r.stats }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

describe('compiled without code generation (page CSP)', () => {
  it('gives the generated plan\'s run, bit for bit, with random arithmetic in exit prices, sort keys and weights', () => {
    let ran = 0;
    fc.assert(
      fc.property(docArb, dataArb, (doc, steps) => {
        const bars = toBars(steps);
        const a = outcome(doc, bars, true);
        const b = outcome(doc, bars, false);
        expect(b).toEqual(a);
        if (!('error' in (a as object))) ran++;
      }),
      { numRuns: 150 },
    );
    expect(ran).toBeGreaterThan(30);
  });

  it('an exit priced by arithmetic compiles without code generation (it was a CompileError under the page CSP)', () => {
    const doc = fc.sample(docArb, { numRuns: 1, seed: 7 })[0]!;
    expect(() => compile(doc, { codegen: false })).not.toThrow();
  });
});
