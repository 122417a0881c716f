import { describe, expect, it } from 'vitest';
import type { DivergenceDay, DivergenceReport } from '../../../src/live/divergence.ts';
import { equityVsBacktest } from '../../../src/ui/live/equity-vs-backtest.ts';

const day = (d: string, live: number, bt: number): DivergenceDay => ({ day: d, liveSignals: [], backtestSignals: [], fills: [], equityLive: live, equityBacktest: bt });

describe('equity against the backtest (Live page chart columns)', () => {
  it('puts each day at its UTC midnight in seconds, both curves on the same days, a missing side as a gap', () => {
    const div: DivergenceReport = {
      days: [day('2024-01-02', 10_000, 10_000), day('2024-01-03', NaN, 10_050), day('2024-01-04', 10_120, 10_100), day('2024-01-05', NaN, NaN)],
      decisionDays: 0, meanSlippageBps: 0, finalEquityLive: 10_120, finalEquityBacktest: 10_100,
    };
    const c = equityVsBacktest(div);
    expect([...c.x]).toEqual([Date.UTC(2024, 0, 2) / 1000, Date.UTC(2024, 0, 3) / 1000, Date.UTC(2024, 0, 4) / 1000]);
    expect(c.live).toEqual([10_000, null, 10_120]);
    expect(c.backtest).toEqual([10_000, 10_050, 10_100]);
  });
});
