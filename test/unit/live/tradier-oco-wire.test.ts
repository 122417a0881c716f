import { describe, expect, it } from 'vitest';
import { TradierBroker, tagOf } from '../../../src/live/tradier.ts';

/** An OCO as Tradier lists it, answered by a fetch stub: the order is read as one order with its legs' fill. */
function brokerAnswering(order: unknown): TradierBroker {
  const fetch = async () => new Response(JSON.stringify({ orders: { order } }), { status: 200, headers: { 'content-type': 'application/json' } });
  return new TradierBroker({ name: 'tradier-sandbox', url: 'http://127.0.0.1:9', token: 't', accountId: 'VA1', http: { fetch } });
}

const leg = (type: string, side: string, status: string, filled: number) => ({
  id: type === 'limit' ? 11 : 12, type, symbol: 'SPY', side, quantity: 10, status, exec_quantity: filled, avg_fill_price: filled ? 101.5 : 0,
  transaction_date: '2026-11-30T15:00:00.000Z',
});

describe('Tradier OCO orders on the wire', () => {
  it('an OCO whose one leg comes as an object (not a list) keeps that leg\'s side: a short cover reads as a buy', async () => {
    const id = 'dep-3-abc';
    const b = brokerAnswering({ id: 10, class: 'oco', status: 'filled', tag: tagOf(id), leg: leg('stop', 'buy_to_cover', 'filled', 10) });
    const o = await b.orderByClientId(id);
    expect(o).toMatchObject({ side: 'buy', symbol: 'SPY', qty: 10, status: 'filled', filledQty: 10, avgFillPrice: 101.5, exitReason: 'stop' });
  });

  it('two legs in a list: the filled one gives status, fill and exit reason', async () => {
    const id = 'dep-4-abc';
    const b = brokerAnswering({ id: 20, class: 'oco', status: 'filled', tag: tagOf(id), leg: [leg('limit', 'sell', 'filled', 10), leg('stop', 'sell', 'canceled', 0)] });
    expect(await b.orderByClientId(id)).toMatchObject({ side: 'sell', status: 'filled', filledQty: 10, exitReason: 'target' });
  });
});
