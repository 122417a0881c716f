import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barFields } from '../../src/engine/fields.ts';
import { runBacktest, type MarketData } from '../../src/engine/index.ts';
import { parseDocument, type BarColumns, type BarField, type StrategyDocument } from '../../src/schema/index.ts';
import { compile } from '../../src/strategy/index.ts';
import { dataArb, docArb, toBars } from '../helpers/random-documents.ts';
import { dataArb as orderDaysArb, docArb as orderDocArb, toData as orderData } from '../helpers/random-orders.ts';

/**
 * Loading only the price fields a plan reads (engine/fields.ts, the store's `fields`) never changes a result:
 * random documents run on bars whose other fields are NaN (as a pruned load leaves them) and on full bars,
 * compared whole. A field the list misses turns into NaN somewhere in the result, so this fails.
 */
function pruned(b: BarColumns, keep: readonly BarField[]): BarColumns {
  const nan = new Float64Array(b.length).fill(NaN);
  const pick = (f: BarField) => (keep.includes(f) ? b[f] : nan);
  return { ...b, open: pick('open'), high: pick('high'), low: pick('low'), close: pick('close'), volume: pick('volume') };
}

function expectSame(doc: StrategyDocument, data: MarketData): BarField[] {
  const fields = barFields(compile(doc), doc);
  const run = (d: MarketData) => { try { return runBacktest(doc, d); } catch (e) { return (e as Error).message; } };
  expect(run({ ...data, bars: data.bars.map((b) => pruned(b, fields)) })).toEqual(run(data));
  return fields;
}

describe('barFields: a run on only the fields its plan reads equals the run on all of them', () => {
  it('random documents (every operand, indicator, action, fill model) on random irregular 3-asset bars', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(docArb, dataArb, (doc, steps) => {
      seen.add(expectSame(doc, { bars: toBars(steps, undefined, undefined, undefined, true) }).join(','));
    }), { numRuns: 150 });
    // Some documents really load less than everything.
    expect([...seen].some((f) => !f.includes('volume'))).toBe(true);
  });

  it('documents whose conditions read high, low, volume or ATR (operands the generic generator does not draw)', () => {
    const lhs = fc.oneof(
      fc.record({ kind: fc.constant('price' as const), asset: fc.constantFrom('A', 'B', 'C'), field: fc.constantFrom('high', 'low', 'volume' as const) }),
      fc.record({ kind: fc.constant('atr' as const), asset: fc.constantFrom('A', 'B', 'C'), window: fc.record({ bars: fc.integer({ min: 1, max: 4 }) }) }),
    );
    const cond = fc.record({ lhs, op: fc.constantFrom('>', '<' as const), rhs: fc.constantFrom(0.5, 1, 9, 10, 11, 1000, 1010, 1020) });
    const docs = fc.array(fc.tuple(cond, fc.constantFrom('buy', 'sell' as const)), { minLength: 1, maxLength: 3 }).map((ss) => {
      const r = parseDocument({
        version: 1, name: 'fields', settings: { universe: ['A', 'B', 'C'], timeframe: '1d', allowShort: true },
        strategies: ss.map(([condition, side], i) => ({ id: `s${i}`, name: `s${i}`, condition, action: { type: side, asset: 'A', amount: { unit: 'quantity', value: 10 } } })),
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.doc;
    });
    fc.assert(fc.property(docs, dataArb, (doc, steps) => {
      expectSame(doc, { bars: toBars(steps, undefined, undefined, undefined, true) });
    }), { numRuns: 100 });
  });

  it('random order-type documents (entries, exits, intrabar rules with finer bars, close at end)', () => {
    fc.assert(fc.property(orderDocArb, orderDaysArb, (doc, days) => {
      const { daily, hourly } = orderData(days);
      expect(expectSame(doc, { bars: [daily], finer: [hourly] })).toEqual(expect.arrayContaining(['high', 'low']));
    }), { numRuns: 60 });
  });

  it('W2-like documents skip volume, high and low', () => {
    const doc = { version: 1, name: 'w', settings: { universe: ['A'], timeframe: '1d' }, strategies: [] } as unknown as StrategyDocument;
    expect(barFields({ inputs: [], indicators: [] } as unknown as ReturnType<typeof compile>, doc)).toEqual(['open', 'close']);
  });
});
