import { describe, expect, it } from 'vitest';
import { OrdersLog } from '../../../src/engine/fast/orders-log.ts';
import { Events } from '../../../src/engine/fast/signals.ts';
import { logRoom } from '../../../src/engine/fast/walk.ts';
import { TradeLog } from '../../../src/engine/trade-log.ts';
import { MAX_ROOM } from '../../../src/lib/grow.ts';
import { compile } from '../../../src/strategy/index.ts';
import { doc } from './helpers.ts';

/** `n` orders (each with a signal) logged into `log`, the same values whatever its capacity. */
function fill(log: OrdersLog, n: number): void {
  for (let i = 0; i < n; i++) {
    const r = log.add(i % 3, i % 2, (i % 2) as 0 | 1, i % 5 === 0 ? -1 : 1, i % 6, i * 0.5, i / 7, 1000 + i);
    log.signal(1000 + i, i % 3, r, 1);
  }
}

const ORDER_COLUMNS = ['strategy', 'asset', 'kind', 'sideIn', 'unit', 'value', 'weight', 'createdTime', 'status', 'side', 'quantity', 'filledQuantity', 'fees', 'fillTime', 'fillPrice', 'reason', 'atEnd'] as const;
const SIGNAL_COLUMNS = ['signalTime', 'signalStrategy', 'signalFirst', 'signalOrders'] as const;

describe('the walk reserves its logs\' rows up front (walk.ts logRoom) instead of doubling them', () => {
  it('a reserved orders log has room for the rows at once and logs the same rows as one that doubles', () => {
    const reserved = new OrdersLog(), doubling = new OrdersLog();
    reserved.reserve(3001);
    // Rounded up to a multiple of 8 (carved's alignment), orders and signals alike.
    expect(reserved.status.length).toBe(3008);
    expect(reserved.signalTime.length).toBe(3008);
    const value = reserved.value;
    fill(reserved, 3000);
    fill(doubling, 3000);
    // No doubling happened: the same column as reserved.
    expect(reserved.value).toBe(value);
    expect(doubling.status.length).toBe(4096);
    for (const c of ORDER_COLUMNS) expect(Array.from(reserved[c].subarray(0, 3000)), c).toEqual(Array.from(doubling[c].subarray(0, 3000)));
    for (const c of SIGNAL_COLUMNS) expect(Array.from(reserved[c].subarray(0, 3000)), c).toEqual(Array.from(doubling[c].subarray(0, 3000)));
  });

  it('a log with rows, or with room enough, is left as it is; room is capped at MAX_ROOM', () => {
    const log = new OrdersLog();
    fill(log, 10);
    const value = log.value;
    log.reserve(100_000);
    expect(log.value).toBe(value);
    const roomy = new OrdersLog();
    roomy.reserve(50);
    const small = roomy.status;
    expect(small.length).toBe(512);
    roomy.reserve(MAX_ROOM * 4);
    expect(roomy.status.length).toBe(MAX_ROOM);
  });

  it('a reserved trade log has room at once; one with trades is left as it is', () => {
    const log = new TradeLog(['A']);
    log.reserve(1000);
    expect(log.pnl.length).toBe(1000);
    log.push(0, true, 1, 1, 2, 10, 11, 1, 0.1, 0, 's', null, 0);
    const pnl = log.pnl;
    log.reserve(5000);
    expect(log.pnl).toBe(pnl);
    expect(log.length).toBe(1);
    log.release();
  });

  it('logRoom: each candidate event fires with its action\'s orders, plus a closing order per asset', () => {
    const d = doc({ universe: ['A', 'B', 'C'] }, [
      { condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'buy', asset: 'A', amount: { unit: 'quantity', value: 1 } } },
      { condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'rebalance', universe: { candidates: ['A', 'B', 'C'], weighting: { kind: 'equal' } } } },
      { condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'alert', message: 'x' } },
      { condition: { lhs: 1, op: '>', rhs: 0 }, action: { type: 'setWeight', asset: 'B', weight: 0.5, exits: { stopLoss: { percent: 5 } } } },
    ]);
    const plan = compile(d);
    const events = [10, 4, 7, 5].map((count) => Object.assign(new Events(0), { count }));
    // 10 buys, 4 rebalances of 3 assets, 7 alerts (a signal each), 5 entries with an exit each, 3 closing orders.
    expect(logRoom(plan, events)).toBe(10 + 4 * 3 + 7 + 5 * 2 + 3);
  });
});
