/**
 * Orders beyond market through the live processor and the Alpaca fake (fake-alpaca.ts speaks Alpaca's order
 * types: limit, stop, stop_limit, trailing_stop, OCO with legs, day/gtc): native entries and exits sent as
 * Alpaca orders, exits simulated on completed bars where one Alpaca order cannot hold them, the OCO cancelled
 * before a strategy order that closes the position, a time in force Alpaca cannot count cancelled by the
 * processor — and where the rules allow, the same orders and trades as the backtest sized at the signal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { AlpacaBroker } from '../../../src/live/alpaca.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { FakeAlpaca, type FakeBar } from './fake-alpaca.ts';
import { BUY, bars, cols, DAY, doc, problems, SELL, WARM } from './order-fixtures.ts';

const fakes: FakeAlpaca[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

async function market(list: FakeBar[]): Promise<FakeAlpaca> {
  const fake = new FakeAlpaca(10_000);
  fakes.push(fake);
  await fake.start();
  fake.bars.set('SPY', list);
  fake.now = list[WARM]!.t;
  return fake;
}

function open(fake: FakeAlpaca, d: StrategyDocument, journal = new MemoryJournal(), events: LiveEvent[] = []): Promise<LiveProcessor> {
  const broker = new AlpacaBroker({ name: 'alpaca-paper', tradingUrl: fake.url, dataUrl: fake.url, keyId: fake.key, secretKey: fake.secret, http: { timeoutMs: 300, retries: 1, sleep: async () => {} } });
  return LiveProcessor.open({ broker, journal, create: { doc: d, mode: 'paper', id: 'd' }, emit: (e) => events.push(e) });
}

async function deploy(list: FakeBar[], d: StrategyDocument, events: LiveEvent[] = []): Promise<{ fake: FakeAlpaca; lp: LiveProcessor }> {
  const fake = await market(list);
  const lp = await open(fake, d, new MemoryJournal(), events);
  for (let k = WARM; k < list.length; k++) {
    fake.advance(list[k]!.t, DAY);
    await lp.tick();
  }
  return { fake, lp };
}

describe('orders beyond market at Alpaca', () => {
  it('a limit entry goes as an Alpaca limit order and fills at its limit, as in the backtest', async () => {
    const list = bars(14, { 8: { o: 99.5, l: 97 } }, { 6: BUY });
    const d = doc({ entry: { type: 'limit', price: { percent: 2 }, timeInForce: 'gtc' } }, false);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts).toEqual([expect.objectContaining({ type: 'limit', limit_price: '98.00', time_in_force: 'gtc', qty: '10', client_order_id: 'd-1' })]);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ type: 'limit', status: 'filled', fillPrice: 98, filledQuantity: 10 });
    expect(fake.position('SPY')).toBe(10);
    expect(problems(events)).toEqual([]);
  });

  it('time in force "bar": Alpaca gets a day order, it expires unfilled, and the order log reads as the backtest\'s', async () => {
    const list = bars(12, {}, { 6: BUY });
    const d = doc({ entry: { type: 'limit', price: { percent: 5 }, timeInForce: 'bar' } }, false);
    const { fake, lp } = await deploy(list, d);
    expect(fake.posts).toEqual([expect.objectContaining({ type: 'limit', time_in_force: 'day', limit_price: '95.00' })]);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ status: 'cancelled', reason: 'expired unfilled after one bar (time in force: bar)' });
  });

  it('an expiry after N bars Alpaca cannot count: the processor cancels the gtc order at the broker after N bars', async () => {
    const list = bars(14, {}, { 6: BUY });
    const d = doc({ entry: { type: 'stop', price: { percent: 5 }, timeInForce: 'gtc', expireAfterBars: 3 } }, false);
    const { fake, lp } = await deploy(list, d);
    expect(fake.posts).toEqual([expect.objectContaining({ type: 'stop', stop_price: '105.00', time_in_force: 'gtc' })]);
    expect(fake.orders[0]!.status).toBe('canceled');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().orders[0]).toMatchObject({ status: 'cancelled', reason: 'expired unfilled after 3 bars' });
  });

  it('stop-loss and take-profit: one OCO order after the entry fills, levels from the fill price; the stop leg fills as in the backtest', async () => {
    const list = bars(14, { 9: { l: 94 } }, { 6: BUY });
    const d = doc({ exits: { stopLoss: { percent: 5 }, takeProfit: { percent: 10 } } }, false);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts).toHaveLength(2);
    expect(fake.posts[1]).toEqual(expect.objectContaining({
      side: 'sell', qty: '10', type: 'limit', time_in_force: 'gtc', order_class: 'oco', client_order_id: 'd-1-x',
      take_profit: { limit_price: '110.00' }, stop_loss: { stop_price: '95.00' },
    }));
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    const live = lp.result();
    expect(live.orders).toEqual(bt.orders);
    expect(live.trades).toEqual(bt.trades);
    expect(live.trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 95 });
    expect(live.orders[1]).toMatchObject({ type: 'stopLoss', stopPrice: 95, parentId: live.orders[0]!.id });
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it('a strategy order that closes the position cancels the OCO first (Alpaca holds the shares), then sells once, at the backtest\'s bar', async () => {
    const list = bars(14, {}, { 6: BUY, 9: SELL });
    const d = doc({ exits: { stopLoss: { percent: 5 }, takeProfit: { percent: 10 } } });
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts.map((p) => p.client_order_id)).toEqual(['d-1', 'd-1-x', 'd-2']);
    expect(fake.orders.find((o) => o.client_order_id === 'd-1-x')!.status).toBe('canceled');
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().trades).toEqual(bt.trades);
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it('a time exit is simulated: a market order after the bar before the exit bar, so it fills at the backtest\'s open', async () => {
    const list = bars(14, { 9: { o: 102, h: 103, c: 102 } }, { 6: BUY });
    const d = doc({ exits: { timeExit: { bars: 2 } } }, false);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts.map((p) => [p.client_order_id, p.type, p.side])).toEqual([['d-1', 'market', 'buy'], ['d-1-x1', 'market', 'sell']]);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().trades).toEqual(bt.trades);
    expect(lp.result().trades[0]).toMatchObject({ exitReason: 'time', exitPrice: 102 });
    expect(problems(events)).toEqual([]);
  });

  it('a trailing stop by high/low goes as an Alpaca trailing_stop; a trail with a stop-loss is simulated (market order after the trigger bar)', async () => {
    const list = bars(16, { 8: { h: 110, c: 108 }, 9: { l: 99.5 }, 10: { l: 96 } }, { 6: BUY });
    const native = await deploy(list, doc({ exits: { trailingStop: { percent: 10, by: 'highLow' } } }, false));
    expect(native.fake.posts[1]).toEqual(expect.objectContaining({ type: 'trailing_stop', trail_percent: '10', time_in_force: 'gtc', side: 'sell', qty: '10' }));
    // The high of 110 sets the trail at 99; the low of 96 takes it.
    expect(native.lp.result().trades[0]).toMatchObject({ exitReason: 'trail', exitPrice: 99 });

    const events: LiveEvent[] = [];
    const sim = await deploy(list, doc({ exits: { trailingStop: { percent: 10, by: 'highLow' }, stopLoss: { percent: 20 } } }, false), events);
    expect(sim.fake.posts.map((p) => p.type)).toEqual(['market', 'market']);
    const t = sim.lp.result().trades[0]!;
    // Triggered in bar 10; the market order fills at bar 11's open (the backtest fills at the trail: one bar's lag, docs/LIVE.md).
    expect(t).toMatchObject({ exitReason: 'trail', exitPrice: 100, exitTime: list[11]!.t });
    expect(sim.lp.result().orders[1]).toMatchObject({ type: 'trailingStop', stopPrice: 99 });
    expect(problems(events)).toEqual([]);
  });

  it('an OCO POST that times out after Alpaca accepted it is looked up by its client id, never sent twice', async () => {
    const list = bars(14, { 11: { h: 111 } }, { 6: BUY });
    const d = doc({ exits: { stopLoss: { percent: 5 }, takeProfit: { percent: 10 } } }, false);
    const fake = await market(list);
    const lp = await open(fake, d);
    for (let k = WARM; k < list.length; k++) {
      if (k === 8) fake.faults.push({ method: 'POST', path: '/v2/orders', fault: { kind: 'hang' } });
      fake.advance(list[k]!.t, DAY);
      await lp.tick();
    }
    expect(fake.posts.map((p) => p.client_order_id)).toEqual(['d-1', 'd-1-x']);
    expect(lp.result().trades[0]).toMatchObject({ exitReason: 'target', exitPrice: 110 });
    expect(fake.position('SPY')).toBe(0);
  });

  it('restart with an OCO resting at Alpaca: the resumed deployment knows it, sends nothing twice, books its fill; kill cancels it and flattens', async () => {
    const list = bars(16, { 12: { l: 94 } }, { 6: BUY });
    const d = doc({ exits: { stopLoss: { percent: 5 }, takeProfit: { percent: 10 } } }, false);
    const fake = await market(list);
    const journal = new MemoryJournal();
    let lp = await open(fake, d, journal);
    for (let k = WARM; k < 10; k++) { fake.advance(list[k]!.t, DAY); await lp.tick(); }
    expect(fake.posts.map((p) => p.client_order_id)).toEqual(['d-1', 'd-1-x']);
    lp = await open(fake, d, journal); // a new process on the same state
    for (let k = 10; k < 14; k++) { fake.advance(list[k]!.t, DAY); await lp.tick(); }
    expect(fake.posts.map((p) => p.client_order_id)).toEqual(['d-1', 'd-1-x']);
    expect(lp.result().trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 95 });
    expect(lp.events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);

    // Kill with an OCO resting: it is cancelled at Alpaca before the flatten order (which it would block).
    const again = bars(16, {}, { 6: BUY });
    const k2 = await deploy(again, d);
    expect(k2.fake.orders.find((o) => o.client_order_id === 'd-1-x')!.status).toBe('accepted');
    await k2.lp.kill(true);
    expect(k2.fake.orders.find((o) => o.client_order_id === 'd-1-x')!.status).toBe('canceled');
    expect(k2.fake.posts.at(-1)).toEqual(expect.objectContaining({ side: 'sell', qty: '10', type: 'market' }));
    expect(k2.lp.events.filter((e) => e.type === 'error')).toEqual([]);
  });
});
