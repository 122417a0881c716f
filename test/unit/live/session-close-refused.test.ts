import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/engine/orders.ts';
import { newRecord } from '../../../src/engine/orders.ts';
import { MARKET_ONLY } from '../../../src/live/broker.ts';
import { relativeExits, unsupported } from '../../../src/live/order-spec.ts';

const exits = (sessionClose: boolean): Order['exits'] => ({ stopLoss: null, takeProfit: null, trail: null, timeBars: 0, timeMs: 0, sessionClose });
const order = (x: Order['exits']): Order => ({
  asset: 0, kind: 'delta', side: 1, unit: 'quantity', value: 1, weight: 0,
  record: newRecord(1, 's', 'A', 'buy', 0), entry: null, exits: x, exitReason: null,
});

describe('live: a time exit at the session close', () => {
  it('is refused with the reason where the broker gives no session calendar, never sent without its exit', () => {
    expect(unsupported(order(exits(true)), MARKET_ONLY, 'somebroker', false, true)).toBe("a time exit at the session close needs the exchange's session calendar, which somebroker does not give");
    expect(unsupported(order(exits(true)), MARKET_ONLY, 'alpaca', false, true, true)).toBeNull();
    expect(unsupported(order(exits(false)), MARKET_ONLY, 'alpaca', false, true)).toBeNull();
    expect(relativeExits(order(exits(true)))?.sessionClose).toBe(true);
  });
});
