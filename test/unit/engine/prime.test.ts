import { describe, expect, it } from 'vitest';
import { createEngineService } from '../../../src/engine/service.ts';
import { primeData, primeDocument } from '../../../src/engine/prime.ts';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { crossDoc, dailyBars } from '../pool/fixture.ts';
import { acquireOrdersLog, releaseOrdersLog } from '../../../src/engine/fast/orders-log.ts';
import { TradeLog } from '../../../src/engine/trade-log.ts';
import { MAX_ROOM } from '../../../src/lib/grow.ts';

describe('the engine prime (what a worker runs at idle time before the first run)', () => {
  it('runs every kind of strategy it has on the compiled walk: crosses, oversold buys, overbought sells and the monthly rebalance all trade', () => {
    const r = runBacktest(primeDocument(), primeData(), { audit: false, indicatorCache: new IndicatorCache() });
    expect(r.engine).toBe('fast');
    const fired = new Set(r.signals.map((s) => s.strategyId.replace(/-PRIME-[ABC]$/, '')));
    expect([...fired].sort()).toEqual(['dip', 'down', 'monthly', 'peak', 'up']);
    const traded = new Set(r.orders.map((o) => o.strategyId.replace(/-PRIME-[ABC]$/, '')));
    expect([...traded].sort()).toEqual(['dip', 'down', 'monthly', 'peak', 'up']);
    expect(r.trades.length).toBeGreaterThan(10);
  });

  it('is the same data on every call, one time column shared by its three assets', () => {
    const a = primeData(), b = primeData();
    expect(a.bars.map((x) => x.symbol)).toEqual(['PRIME-A', 'PRIME-B', 'PRIME-C']);
    expect(a.bars[1]!.time).toBe(a.bars[0]!.time);
    for (let k = 0; k < 3; k++) {
      expect(Array.from(a.bars[k]!.close)).toEqual(Array.from(b.bars[k]!.close));
      expect(Array.from(a.bars[k]!.open)).toEqual(Array.from(b.bars[k]!.open));
    }
  });

  it('leaves nothing behind in the service: no data set stays loaded, and a run after it equals the same run in a fresh service', () => {
    const primed = createEngineService(), fresh = createEngineService();
    const reported: number[] = [];
    primed.setProgressSink((id) => { reported.push(id); });
    const r = primed.prime();
    expect(r.engine).toBe('fast');
    expect(r.stats.tradeCount).toBeGreaterThan(10);
    expect(primed.loaded()).toEqual([]);
    expect(reported).toEqual([]); // no task of the pool's has the prime's id
    const data = { bars: dailyBars() };
    const doc = crossDoc();
    primed.load('d1', data);
    fresh.load('d1', data);
    for (const columns of [false, true]) {
      const task = { id: 1, dataId: 'd1', doc, audit: false, columns };
      const [a, b] = [primed.run(task), fresh.run(task)];
      expect(a).toEqual(b);
      expect(JSON.stringify(a.stats)).toBe(JSON.stringify(b.stats));
    }
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((id) => id === 1)).toBe(true);
  });

  it('leaves the thread\'s logs with room for a large run (orders and signals at the reservation cap, trades at half), which the next run takes', () => {
    createEngineService().prime();
    const log = acquireOrdersLog();
    expect([log.status.length, log.signalTime.length]).toEqual([MAX_ROOM, MAX_ROOM]);
    releaseOrdersLog(log);
    const trades = new TradeLog(['X']);
    expect(trades.pnl.length).toBe(MAX_ROOM / 2);
    trades.release();
    // A worker's run after it (columns, as runColumns asks) writes into those same columns and hands them back:
    // its result equals a run's on fresh ones (the test above).
    const r = runBacktest(crossDoc(), { bars: dailyBars() }, { audit: false, columns: true, indicatorCache: new IndicatorCache() });
    expect(r.engine).toBe('fast');
    const again = acquireOrdersLog();
    expect(again.status.length).toBe(MAX_ROOM);
    releaseOrdersLog(again);
  });
});
