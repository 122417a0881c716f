/** Statistics of a whole tiny run, worked out by hand (formulas: src/engine/stats.ts, docs/STATISTICS.md). */
import { describe, expect, it } from 'vitest';
import { ocBars } from '../../helpers/bars.ts';
import { close9, day, doc, on, run } from './helpers.ts';

describe('statistics of a run', () => {
  it('equity, total return, buy & hold, drawdown, trades, win rate, exposure', () => {
    // Close fills. d1 buy all at 10 (100 units); d3 sell at 12 (+200, +20 %); d4 buy all at 12 (100 units);
    // d5 sell at 9 (−300, −25 %); d6 flat.
    const A = ocBars('A', [[day(1), 10, 10, 1], [day(2), 10, 10, 0], [day(3), 12, 12, 2], [day(4), 12, 12, 1], [day(5), 9, 9, 2], [day(6), 9, 9, 0]]);
    const r = run(doc({ fillModel: 'close' }, [on(1, { type: 'buy', amount: { unit: 'all' } }), on(2, { type: 'sell', amount: { unit: 'all' } })]), A);
    expect([...r.curves.equity]).toEqual([1000, 1000, 1200, 1200, 900, 900]);
    const s = r.stats;
    expect(s.startTime).toBe(day(1));
    expect(s.endTime).toBe(day(6));
    expect(s.initialEquity).toBe(1000);
    expect(s.finalEquity).toBe(900);
    expect(s.peakEquity).toBe(1200);
    close9(s.totalReturnPct, -10);
    close9(s.buyHoldReturnPct, -10); // 10 → 9
    close9(s.maxDrawdownPct, -25); // 900 / 1200 − 1
    expect(s.tradeCount).toBe(2);
    close9(s.winRatePct, 50);
    close9(s.bestTradePct, 20);
    close9(s.worstTradePct, -25);
    close9(s.avgTradePct, (Math.sqrt(1.2 * 0.75) - 1) * 100); // geometric
    close9(s.expectancyPct, -2.5); // arithmetic: (20 − 25) / 2
    close9(s.profitFactor, 0.2 / 0.25); // on returns, as backtesting.py
    // Held at the close on d1, d2, d4 out of 6 steps.
    close9(s.exposurePct, 50);
    close9(s.feesPaid, 0);
    // Traded notional 1000 + 1200 + 1200 + 900 = 4300 over mean equity 6200 / 6.
    close9(s.turnover, 4300 / (6200 / 6));
  });
});
