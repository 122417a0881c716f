import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndicator, type Indicator } from '../../src/indicators/index.ts';
import { parseDocument, type Condition, type Expr } from '../../src/schema/index.ts';
import { compile, TracedEvaluator, type Plan } from '../../src/strategy/index.ts';

const windowArb = fc.oneof(
  fc.record({ bars: fc.integer({ min: 1, max: 6 }) }),
  fc.constantFrom({ duration: '3s' }, { duration: '10s' }, { duration: '1m' }),
);
const assetArb = fc.constantFrom(undefined, 'A', 'B');
const leafArb: fc.Arbitrary<Expr> = fc.oneof(
  fc.double({ min: -5, max: 105, noNaN: true }),
  fc.record({ kind: fc.constant('price' as const), asset: assetArb, field: fc.constantFrom('open', 'high', 'low', 'close', 'volume' as const) }, { requiredKeys: ['kind', 'field'] }),
  fc.record({ kind: fc.constantFrom('sma', 'ema', 'wma', 'rsi', 'stddev', 'roc', 'highest', 'lowest' as const), asset: assetArb, window: windowArb }, { requiredKeys: ['kind', 'window'] }),
  fc.record({ kind: fc.constant('atr' as const), window: windowArb }),
  fc.record({ kind: fc.constant('bollinger' as const), window: windowArb, band: fc.constantFrom('upper', 'middle', 'lower' as const) }),
  fc.record({
    kind: fc.constant('macd' as const),
    windows: fc.oneof(
      fc.tuple(...[0, 1, 2].map(() => fc.record({ bars: fc.integer({ min: 1, max: 6 }) }))),
      fc.tuple(...[0, 1, 2].map(() => fc.constantFrom({ duration: '3s' }, { duration: '10s' }))),
    ),
    output: fc.constantFrom('line', 'signal', 'histogram' as const),
  }).map(({ windows: [fast, slow, signal], ...rest }) => ({ ...rest, fast: fast!, slow: slow!, signal: signal! })),
  fc.constant({ kind: 'cash' as const }),
);
const exprArb: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 4, arbitrary: leafArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('math' as const), op: fc.constantFrom('+', '-', '*', '/' as const), args: fc.array(leafArb, { minLength: 2, maxLength: 3 }) }) },
);
const condArb: fc.Arbitrary<Condition> = fc.letrec<{ cond: Condition }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ lhs: exprArb, op: fc.constantFrom('>', '>=', '<', '<=', '=', '!=', 'crossesAbove', 'crossesBelow' as const), rhs: exprArb }),
    fc.record({ all: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('cond') }),
    fc.record({ atLeast: fc.integer({ min: 1, max: 3 }), of: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ atMost: fc.integer({ min: 0, max: 2 }), of: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }) }),
  ),
})).cond;

/** Random bars on irregular times; prices are coarse so equalities and crossings actually happen. */
const barsArb = fc.array(
  fc.record({
    gap: fc.integer({ min: 1, max: 20 }),
    asset: fc.integer({ min: 0, max: 1 }),
    close: fc.integer({ min: 1, max: 8 }),
    spread: fc.integer({ min: 0, max: 3 }),
    cash: fc.integer({ min: 0, max: 3 }),
  }),
  { minLength: 1, maxLength: 60 },
);

/** A minimal driver: feeds each plan indicator its asset's bars and writes inputs, as the kernel does. */
interface RandomBar { gap: number; asset: number; close: number; spread: number; cash: number }
function drive(plan: Plan, bars: RandomBar[], onStep: (v: Float64Array) => void): void {
  const v = new Float64Array(plan.slotCount).fill(NaN);
  const inds: Indicator[] = plan.indicators.map((i) => createIndicator(i.spec));
  let t = 0;
  for (const b of bars) {
    t += b.gap * 1000;
    const o = b.close - 0.5, h = b.close + b.spread, l = b.close - b.spread, vol = 100 * b.close;
    for (const input of plan.inputs) {
      if (input.kind === 'price' && input.asset === b.asset) v[input.slot] = { open: o, high: h, low: l, close: b.close, volume: vol }[input.field];
      if (input.kind === 'cash') v[input.slot] = b.cash;
    }
    plan.indicators.forEach((pi, k) => {
      if (pi.asset !== b.asset) return;
      const src = pi.source === 'close' ? b.close : pi.source === 'open' ? o : pi.source === 'high' ? h : pi.source === 'low' ? l : pi.source === 'volume' ? vol : NaN;
      const ind = inds[k]!;
      ind.update(t, src, h, l);
      for (const out of pi.outputs) v[out.slot] = (ind as unknown as Record<string, number>)[out.field]!;
    });
    onStep(v);
  }
}

describe('generated evaluator ≡ reference interpreter', () => {
  it('identical decisions on random documents and data', () => {
    fc.assert(
      fc.property(fc.array(condArb, { minLength: 1, maxLength: 3 }), barsArb, (conds, bars) => {
        const r = parseDocument({
          version: 1, name: 'p', settings: { universe: ['A', 'B'] },
          strategies: conds.map((c, i) => ({ id: `s${i}`, name: `s${i}`, condition: c, action: { type: 'closeAll' } })),
        });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        const plan = compile(r.doc);
        const mems = plan.strategies.map((s) => new Float64Array(s.condition.memSize).fill(NaN));
        const refs = plan.strategies.map((s) => new TracedEvaluator(plan, s.condition));
        drive(plan, bars, (v) => {
          plan.strategies.forEach((s, i) => {
            const fast = s.condition.fast(v, mems[i]!);
            const traced = refs[i]!.evaluate(v);
            expect(fast).toBe(traced.result);
            // The view over the fast memory explains the same decision the fast evaluator made.
            expect(new TracedEvaluator(plan, s.condition, mems[i]!).evaluate(v).result).toBe(fast);
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});
