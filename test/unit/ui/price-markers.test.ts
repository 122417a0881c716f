import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../src/schema/index.ts';
import { tradeMarkers } from '../../../src/ui/results/price-series.ts';

const trade = (entryTime: number, exitTime: number, exitPrice: number, exitReason?: Trade['exitReason']): Trade => ({
  symbol: 'A', side: 'long', quantity: 1, entryTime, exitTime, entryPrice: 10, exitPrice, pnl: 0, returnPct: 0, fees: 0, strategyId: 's', ...(exitReason ? { exitReason } : {}),
});

describe('price chart markers', () => {
  it('a strategy exit is an "Exit" marker; each attached rule gets its own series, absent when unused', () => {
    const overlay = { symbol: 'A', time: [0, 10, 20, 30, 40] } as unknown as Parameters<typeof tradeMarkers>[0];
    const m = tradeMarkers(overlay, [trade(0, 10, 11), trade(10, 20, 9, 'stop'), trade(20, 40, 12, 'target')]);
    expect(m.entries).toEqual([10, 10, 10, null, null]);
    expect(m.exits).toEqual([null, 11, null, null, null]);
    expect(m.byReason.stop).toEqual([null, null, 9, null, null]);
    expect(m.byReason.target).toEqual([null, null, null, null, 12]);
    expect(m.byReason.trail).toBeNull();
    expect(m.byReason.time).toBeNull();
  });
});
