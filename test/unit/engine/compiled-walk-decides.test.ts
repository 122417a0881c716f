/**
 * The compiled walk decides the candidate events of conditions that read the portfolio on its own slot view
 * (src/engine/fast/slot-view.ts). Two cases the random differential documents rarely reach, pinned here: a
 * price read before its asset's first bar, and a drawdown operand in a statistics-only run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndicatorCache, runBacktest, type MarketData } from '../../../src/engine/index.ts';
import { walkRuns } from '../../../src/engine/fast/run.ts';
import type { BarColumns, RunResult } from '../../../src/schema/index.ts';
import { toBars, type RandomStep } from '../../helpers/random-documents.ts';
import { same } from '../../helpers/same-bits.ts';
import { doc } from './helpers.ts';

function withoutEngine(r: RunResult): Omit<RunResult, 'engine' | 'engineNote'> {
  const { engine: _e, engineNote: _n, ...rest } = r;
  return rest;
}

function compiledEqualsReference(d: ReturnType<typeof doc>, data: MarketData, record: 'full' | 'stats'): RunResult {
  const before = walkRuns.compiled;
  const fast = runBacktest(d, data, { engine: 'fast', audit: false, record, indicatorCache: new IndicatorCache() });
  expect(fast.engine, fast.engineNote).toBe('fast');
  expect(walkRuns.compiled - before).toBe(1);
  expect(same(withoutEngine(fast), withoutEngine(runBacktest(d, data, { engine: 'reference', audit: false, record })))).toBeNull();
  return fast;
}

describe('compiled walk: conditions that read the portfolio', () => {
  it('a price of an asset before its first bar reads NaN, as the kernel slot vector starts (not 0)', () => {
    // B's first bar is A's fifth: until then "B's close < 100" must be false, so only the position half of
    // the "any" can hold, and it does not (nothing held). Read as 0 it would buy A on its first bar.
    const bars: BarColumns[] = toBars(Array.from({ length: 12 }, (_, i): RandomStep => ({ gap: 1, mask: i < 4 ? 1 : 3, moves: [1, 0, 0, 1, 0, 0] })));
    const d = doc({ universe: ['A', 'B', 'C'] }, [{
      condition: { any: [{ lhs: { kind: 'price', asset: 'B', field: 'close' }, op: '<', rhs: 100 }, { lhs: { kind: 'position', asset: 'A', field: 'quantity' }, op: '>', rhs: 5 }] },
      action: { type: 'buy', asset: 'A', amount: { unit: 'quantity', value: 1 } },
    }]);
    const r = compiledEqualsReference(d, { bars }, 'full');
    expect(r.orders[0]!.createdTime).toBe(bars[1]!.time[0]);
  });

  it('a drawdown operand in a statistics-only run sees the running peak of every step (no folded stretch skips it)', () => {
    // One asset held for long quiet stretches, the benchmark itself: the shape a stats-only compiled walk
    // folds without per-step equity. The exit reads the drawdown from the peak, so the peak must rise there.
    fc.assert(
      fc.property(
        fc.array(fc.record({ up: fc.integer({ min: -2, max: 2 }), step: fc.integer({ min: -2, max: 2 }) }), { minLength: 40, maxLength: 200 }),
        fc.constantFrom(-0.01, -0.03, -0.06),
        (moves, limit) => {
          const bars = toBars(moves.map((m): RandomStep => ({ gap: 1, mask: 7, moves: [m.up, m.step, 0, 0, 0, 0] })));
          const closeA = { kind: 'price', asset: 'A', field: 'close' } as const;
          const smaA = { kind: 'sma', asset: 'A', window: { bars: 3 } } as const;
          const d = doc({ universe: ['A', 'B', 'C'], fees: { fraction: 0.001 } }, [
            {
              condition: { all: [{ lhs: { kind: 'position', asset: 'A', field: 'quantity' }, op: '=', rhs: 0 }, { lhs: closeA, op: 'crossesAbove', rhs: smaA }] },
              action: { type: 'buy', asset: 'A', amount: { unit: 'percentOfEquity', value: 95 } },
            },
            {
              condition: { all: [{ lhs: closeA, op: '<', rhs: smaA }, { lhs: { kind: 'drawdown' }, op: '<', rhs: limit }] },
              action: { type: 'sell', asset: 'A', amount: { unit: 'all' } },
            },
          ]);
          compiledEqualsReference(d, { bars }, 'stats');
        },
      ),
      { numRuns: 200, seed: 23 },
    );
  });
});
