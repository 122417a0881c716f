import { describe, expect, it } from 'vitest';
import { feasible, score } from '../../../src/optimize/index.ts';
import { compareScored, improves, scoreOf } from '../../../src/optimize/rank.ts';
import { statsWith } from './fixtures.ts';

describe('objectives and constraints', () => {
  const s = { ...statsWith(0), sharpe: 1.5, sortino: 2, cagrPct: 12, calmar: 0.8, totalReturnPct: 150 };

  it('reads each metric and a weighted mix', () => {
    expect([score(s, 'sharpe'), score(s, 'sortino'), score(s, 'cagr'), score(s, 'calmar'), score(s, 'return')]).toEqual([1.5, 2, 12, 0.8, 150]);
    expect(score(s, { weights: { sharpe: 2, calmar: -1 } })).toBeCloseTo(2.2, 12);
    expect(score({ ...s, calmar: NaN }, { weights: { sharpe: 1, calmar: 1 } })).toBeNaN();
    // A zero weight does not drag a NaN metric in.
    expect(score({ ...s, calmar: NaN }, { weights: { sharpe: 1, calmar: 0 } })).toBe(1.5);
  });

  it('checks minimum trades and maximum drawdown (drawdowns are stored negative)', () => {
    expect(feasible({ ...s, tradeCount: 4 }, { minTrades: 5 })).toBe(false);
    expect(feasible({ ...s, tradeCount: 5 }, { minTrades: 5 })).toBe(true);
    expect(feasible({ ...s, maxDrawdownPct: -30 }, { maxDrawdownPct: 25 })).toBe(false);
    expect(feasible({ ...s, maxDrawdownPct: -25 }, { maxDrawdownPct: 25 })).toBe(true);
    expect(feasible({ ...s, maxDrawdownPct: NaN }, { maxDrawdownPct: 25 })).toBe(false);
  });

  it('ranks feasible above infeasible above NaN, by score, ties by genome', () => {
    const mk = (g: number[], v: number, maxDd = -10) => scoreOf(g, statsWith(v, { maxDrawdownPct: maxDd }), 'sharpe', { maxDrawdownPct: 20 });
    const nan = mk([0], NaN), infeasibleHigh = mk([1], 99, -50), low = mk([2], 1), high = mk([3], 5), tieA = mk([4], 5), nanFeasible = mk([5], NaN);
    const sorted = [nan, infeasibleHigh, low, tieA, nanFeasible, high].sort(compareScored);
    expect(sorted.map((x) => x.genome[0])).toEqual([3, 4, 2, 1, 0, 5]);
    expect(improves(tieA, high)).toBe(false);
    expect(improves(high, low)).toBe(true);
    expect(improves(low, infeasibleHigh)).toBe(true);
    expect(improves(infeasibleHigh, undefined)).toBe(true);
  });
});
