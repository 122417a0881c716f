import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, type StrategyDocument, type StrategyDocumentInput } from '../../../src/schema/index.ts';
import { compile, rebindSymbol, TracedEvaluator } from '../../../src/strategy/index.ts';

const templates = join(__dirname, '..', '..', '..', 'public', 'strategies');
function load(name: string): StrategyDocument {
  const r = parseDocument(JSON.parse(readFileSync(join(templates, name), 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}
function doc(input: Partial<StrategyDocumentInput> & Pick<StrategyDocumentInput, 'strategies'>): StrategyDocument {
  const r = parseDocument({ version: 1, name: 't', settings: { universe: ['A', 'B'] }, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

describe('compile', () => {
  it('shares identical indicators across strategies and substitutes parameters', () => {
    const plan = compile(load('sma-cross.json'));
    expect(plan.indicators.map((i) => i.label)).toEqual(['SMA(10) of SPX', 'SMA(20) of SPX']);
    expect(plan.strategies.map((s) => s.condition.memSize)).toEqual([4, 4]);
    expect(plan.warmup.bars).toBe(20);
    const tuned = compile(load('sma-cross.json'), { params: { fast: 5, slow: 30 } });
    expect(tuned.indicators.map((i) => i.label)).toEqual(['SMA(5) of SPX', 'SMA(30) of SPX']);
    expect(tuned.warmup.bars).toBe(30);
  });

  it('an indicator written twice with keys in another order is still one instance', () => {
    const plan = compile(doc({
      strategies: [
        { id: 'a', name: 'a', condition: { lhs: { kind: 'ema', asset: 'B', window: { bars: 5 } }, op: '>', rhs: 1 }, action: { type: 'closeAll' } },
        { id: 'b', name: 'b', condition: { lhs: { window: { bars: 5 }, asset: 'B', kind: 'ema', source: 'close' }, op: '<', rhs: 1 }, action: { type: 'closeAll' } },
      ],
    }));
    expect(plan.indicators).toHaveLength(1);
    expect(plan.strategies.map((s) => s.triggers)).toEqual([[1], [1]]);
  });

  it('multi-output indicators share one instance across outputs', () => {
    const plan = compile(doc({
      strategies: [{
        id: 'a', name: 'a',
        condition: { all: [
          { lhs: { kind: 'bollinger', window: { bars: 20 }, band: 'upper' }, op: '>', rhs: { kind: 'bollinger', window: { bars: 20 }, band: 'lower' } },
          { lhs: { kind: 'macd', fast: { bars: 12 }, slow: { bars: 26 }, signal: { bars: 9 }, output: 'histogram' }, op: '>', rhs: 0 },
        ] },
        action: { type: 'alert', message: 'x' },
      }],
    }));
    expect(plan.indicators.map((i) => [i.label, i.outputs.map((o) => o.field)])).toEqual([
      ['BB(20, 2) of A', ['upper', 'lower']],
      ['MACD(12, 26, 9) of A', ['histogram']],
    ]);
  });

  it('instance keys are sorted-key JSON of asset, source and spec, whatever order the document wrote them in (the indicator cache keys by them)', () => {
    const plan = compile(doc({
      strategies: [{ id: 'a', name: 'a', condition: { lhs: { window: { bars: 5 }, source: 'high', kind: 'ema', asset: 'B' }, op: '>', rhs: 1 }, action: { type: 'closeAll' } }],
    }));
    expect(plan.indicators.map((i) => i.key)).toEqual(['{"asset":1,"source":"high","spec":{"kind":"ema","window":{"bars":5}}}']);
  });

  it('each plan has its own indicators\' warm-up when specs are compiled again and again in any order (the warm-up is looked up, not probed)', () => {
    const withWindow = (bars: number | string) => doc({
      strategies: [{
        id: 'a', name: 'a',
        condition: { lhs: { kind: 'sma', window: typeof bars === 'number' ? { bars } : { duration: bars } }, op: '>', rhs: { kind: 'rsi', window: { bars: 7 } } },
        action: { type: 'closeAll' },
      }],
    });
    for (const [w, bars, ms] of [[10, 10, 0], [30, 30, 0], ['2d', 8, 2 * 86_400_000], [10, 10, 0], [3, 8, 0], ['2d', 8, 2 * 86_400_000], [30, 30, 0]] as const) {
      const plan = compile(withWindow(w));
      expect([plan.warmup.bars, plan.warmup.ms], String(w)).toEqual([bars, ms]);
      expect(plan.warmup.detail.map((d) => [d.label, d.bars, d.ms])[1]).toEqual(['RSI(7) of A', 8, 0]);
    }
  });

  it('duration windows give warm-up in ms', () => {
    const plan = compile(doc({
      strategies: [{ id: 'a', name: 'a', condition: { lhs: { kind: 'sma', window: { duration: '30d' } }, op: '>', rhs: 0 }, action: { type: 'closeAll' } }],
    }));
    expect(plan.warmup.ms).toBe(30 * 86_400_000);
  });

  it('universe rules compile one filter per candidate with $asset bound', () => {
    const plan = compile(load('momentum-rotation-fundamentals.json'));
    const action = plan.strategies[0]!.action;
    expect(action.type).toBe('rebalance');
    if (action.type !== 'rebalance' || !action.rule) throw new Error('expected a rule');
    expect(action.rule.candidates).toEqual([0, 1, 2, 3, 4]);
    expect(action.rule.limit).toBe(3);
    expect(plan.indicators.map((i) => i.label)).toEqual(['RSI(14) of AAPL', 'RSI(14) of AMZN', 'RSI(14) of GOOG', 'RSI(14) of IBM', 'RSI(14) of MSFT']);
    expect(plan.inputs.filter((i) => i.kind === 'series').length).toBe(10);
  });

  it('generated code holds only numbers and slot reads', () => {
    const plan = compile(doc({
      strategies: [{
        id: 'a', name: 'a',
        condition: { lhs: { kind: 'math', op: '*', args: [-1.5e-3, { kind: 'price', field: 'close' }] }, op: '!=', rhs: { kind: 'cash' } },
        action: { type: 'closeAll' },
      }],
    }));
    const src = plan.strategies[0]!.condition.source;
    expect(src).toMatch(/^const l0 = \(\(-0\.0015\) \* v\[0\]\), r0 = v\[1\];/);
    expect(src.replace(/\b(const|return|v|m|l\d+|r\d+|c\d+)\b/g, '')).not.toMatch(/[A-Za-z_$]/);
  });

  it('rebinds a single-asset document to another symbol', () => {
    const d = rebindSymbol(load('sma-cross.json'), 'GOOG');
    expect(d.settings.universe).toEqual(['GOOG']);
    expect(d.settings.benchmark).toBe('GOOG');
    expect(compile(d).indicators[0]!.label).toBe('SMA(10) of GOOG');
    expect(() => rebindSymbol(load('momentum-rotation-fundamentals.json'), 'X')).toThrow(/single-asset/);
  });
});

describe('crossings', () => {
  const plan = compile(doc({
    strategies: [{ id: 'a', name: 'a', condition: { lhs: { kind: 'price', field: 'close' }, op: 'crossesAbove', rhs: { kind: 'price', field: 'open' } }, action: { type: 'closeAll' } }],
  }));
  const s = plan.strategies[0]!;
  const closeSlot = plan.slotOf.get('price:0:close')!;
  const openSlot = plan.slotOf.get('price:0:open')!;
  it('fires only on the bar where lhs goes from ≤ to >, never on the first evaluation or through NaN', () => {
    const v = new Float64Array(plan.slotCount);
    const mem = new Float64Array(s.condition.memSize).fill(NaN);
    const seq: [number, number][] = [[2, 1], [1, 1], [2, 1], [3, 1], [NaN, 1], [2, 1], [0, 1], [2, 1]];
    const fired = seq.map(([c, o]) => { v[closeSlot] = c; v[openSlot] = o; return s.condition.fast(v, mem); });
    expect(fired).toEqual([false, false, true, false, false, false, false, true]);
  });
  it('the traced evaluator in view mode explains the fast decision with previous values', () => {
    const v = new Float64Array(plan.slotCount);
    const mem = new Float64Array(s.condition.memSize).fill(NaN);
    v[closeSlot] = 1; v[openSlot] = 1; s.condition.fast(v, mem);
    v[closeSlot] = 3; s.condition.fast(v, mem);
    const trace = new TracedEvaluator(plan, s.condition, mem).evaluate(v);
    expect(trace).toEqual({
      type: 'compare', op: 'crossesAbove', result: true, prevLhs: 1, prevRhs: 1,
      lhs: { label: 'close of A', value: 3 }, rhs: { label: 'open of A', value: 1 },
    });
  });
});

describe('regressions', () => {
  it('not(atLeast(...)) negates the count test, not its first operand (codegen precedence)', () => {
    const plan = compile(doc({
      strategies: [{ id: 'a', name: 'a', condition: { not: { atLeast: 2, of: [{ lhs: 1, op: '>', rhs: 0 }] } }, action: { type: 'closeAll' } }],
    }));
    expect(plan.strategies[0]!.condition.fast(new Float64Array(plan.slotCount), new Float64Array(0))).toBe(true);
  });
});
