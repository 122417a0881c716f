/**
 * Orders beyond market through the live processor and the TradeStation fake (fake-tradestation.ts speaks v3's
 * order types: Limit, StopMarket, StopLimit, DAY/GTC durations, EXP for a DAY order the session did not fill):
 * resting entries sent as TradeStation orders, a time in force TradeStation cannot count cancelled by the
 * processor, a lone stop-loss sent as a GTC StopMarket once the entry filled — each with the same orders and
 * trades as the backtest sized at the signal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { TradeStationBroker } from '../../../src/live/tradestation.ts';
import { TradeStationTokens } from '../../../src/live/tradestation-auth.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import type { FakeBar } from './fake-alpaca.ts';
import { BUY, bars, cols, DAY, doc, problems, WARM } from './order-fixtures.ts';
import { FakeTradeStation } from './fake-tradestation.ts';

const fakes: FakeTradeStation[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

async function deploy(list: FakeBar[], d: StrategyDocument, events: LiveEvent[] = []): Promise<{ fake: FakeTradeStation; lp: LiveProcessor }> {
  const fake = new FakeTradeStation(10_000);
  fakes.push(fake);
  await fake.start();
  fake.bars.set('SPY', list);
  fake.now = list[WARM]!.t;
  const now = () => fake.now;
  const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now });
  const broker = new TradeStationBroker({
    name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now, settleMs: 0, http: { timeoutMs: 300, retries: 1, sleep: async () => {} },
  });
  const lp = await LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: d, mode: 'paper', id: 'd' }, emit: (e) => events.push(e) });
  for (let k = WARM; k < list.length; k++) {
    fake.advance(list[k]!.t, DAY);
    await lp.tick();
  }
  return { fake, lp };
}

describe('orders beyond market at TradeStation', () => {
  it('a limit entry goes as a TradeStation Limit order (GTC) and fills at its limit, as in the backtest', async () => {
    const list = bars(14, { 8: { o: 99.5, l: 97 } }, { 6: BUY });
    const d = doc({ entry: { type: 'limit', price: { percent: 2 }, timeInForce: 'gtc' } }, false);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts).toEqual([expect.objectContaining({ OrderType: 'Limit', LimitPrice: '98.00', TimeInForce: { Duration: 'GTC' }, Quantity: '10', TradeAction: 'BUY' })]);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ type: 'limit', status: 'filled', fillPrice: 98, filledQuantity: 10 });
    expect(fake.position('SPY')).toBe(10);
    expect(problems(events)).toEqual([]);
  });

  it('time in force "bar": TradeStation gets a DAY order, it expires (EXP) unfilled, and the order log reads as the backtest\'s', async () => {
    const list = bars(12, {}, { 6: BUY });
    const d = doc({ entry: { type: 'limit', price: { percent: 5 }, timeInForce: 'bar' } }, false);
    const { fake, lp } = await deploy(list, d);
    expect(fake.posts).toEqual([expect.objectContaining({ OrderType: 'Limit', LimitPrice: '95.00', TimeInForce: { Duration: 'DAY' } })]);
    expect(fake.orders[0]!.status).toBe('EXP');
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ status: 'cancelled', reason: 'expired unfilled after one bar (time in force: bar)' });
  });

  it('a stop entry with an expiry after N bars TradeStation cannot count: the processor cancels the GTC StopMarket after N bars', async () => {
    const list = bars(14, {}, { 6: BUY });
    const d = doc({ entry: { type: 'stop', price: { percent: 5 }, timeInForce: 'gtc', expireAfterBars: 3 } }, false);
    const { fake, lp } = await deploy(list, d);
    expect(fake.posts).toEqual([expect.objectContaining({ OrderType: 'StopMarket', StopPrice: '105.00', TimeInForce: { Duration: 'GTC' } })]);
    expect(fake.orders[0]!.status).toBe('CAN');
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ status: 'cancelled', reason: 'expired unfilled after 3 bars' });
  });

  it('a lone stop-loss goes as a GTC StopMarket SELL once the entry filled, its level from the fill price; its fill closes the trade as a stop, as in the backtest', async () => {
    const list = bars(14, { 9: { l: 94 } }, { 6: BUY });
    const d = doc({ exits: { stopLoss: { percent: 5 } } }, false);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts).toHaveLength(2);
    expect(fake.posts[1]).toEqual(expect.objectContaining({ OrderType: 'StopMarket', StopPrice: '95.00', TradeAction: 'SELL', Quantity: '10', TimeInForce: { Duration: 'GTC' } }));
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    const live = lp.result();
    expect(live.orders).toEqual(bt.orders);
    expect(live.trades).toEqual(bt.trades);
    expect(live.trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 95 });
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });
});
