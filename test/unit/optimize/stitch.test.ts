import { describe, expect, it } from 'vitest';
import { stitch } from '../../../src/optimize/index.ts';
import type { RunResult, Trade } from '../../../src/schema/index.ts';
import { smaCross, statsWith } from './fixtures.ts';

const DAY = 86_400_000;
const settings = { ...smaCross().settings, initialCash: 1000, timezone: 'UTC' };

function run(startDay: number, equity: number[], bench: number[], trades: Partial<Trade>[] = [], extra = {}): RunResult {
  const time = Float64Array.from(equity, (_, i) => (startDay + i) * DAY);
  return {
    curves: { time, equity: Float64Array.from(equity), benchmark: Float64Array.from(bench), drawdown: new Float64Array(equity.length) },
    stats: statsWith(0, { feesPaid: 2, turnover: 1, exposurePct: 50, ...extra }),
    trades: trades as Trade[],
  } as RunResult;
}

describe('stitching out-of-sample runs', () => {
  it('chains each window onto the previous one’s final equity, trades and costs scaled alike', () => {
    const a = run(0, [1000, 1100, 1200], [1000, 1050, 1100], [{ pnl: 200, fees: 1, quantity: 10, returnPct: 20 }]);
    const b = run(3, [1000, 900, 1500], [1000, 1000, 1200], [{ pnl: 500, fees: 1, quantity: 10, returnPct: 50 }], { exposurePct: 100 });
    const s = stitch([a, b], settings);
    expect(Array.from(s.curves.equity)).toEqual([1000, 1100, 1200, 1200, 1080, 1800]);
    expect(Array.from(s.curves.benchmark)).toEqual([1000, 1050, 1100, 1100, 1100, 1320]);
    expect(Array.from(s.curves.drawdown).map((x) => +x.toFixed(6))).toEqual([0, 0, 0, 0, -0.1, 0]);
    expect(s.trades.map((t) => [t.pnl, t.fees, t.quantity, t.returnPct])).toEqual([[200, 1, 10, 20], [600, 1.2, 12, 50]]);
    expect(s.stats.finalEquity).toBe(1800);
    expect(s.stats.totalReturnPct).toBeCloseTo(80, 10);
    expect(s.stats.maxDrawdownPct).toBeCloseTo(-10, 10);
    expect(s.stats.feesPaid).toBeCloseTo(2 + 2.4, 10);
    expect(s.stats.exposurePct).toBe(75);
    expect(s.stats.buyHoldReturnPct).toBeCloseTo(32, 10);
    expect(s.stats.tradeCount).toBe(2);
  });
});
