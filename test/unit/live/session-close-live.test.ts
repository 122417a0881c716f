/**
 * A time exit at the session close, live (issue 12): the processor reads the exchange calendar from the broker
 * (Alpaca GET /v2/calendar; the simulated broker from the replayed data's bar times) and closes where the
 * backtest closes — at the close of the session's last bar. Alpaca gets a market-on-close order (time in force
 * `cls`) once the entry filled; the fake fills it at the close of the bar that reaches the calendar's close
 * (a half day's 13:00 included). Past Alpaca's 15:50 cut-off the exit is a market order at the next open,
 * the stated difference (docs/LIVE.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { Zone } from '../../../src/lib/zone.ts';
import { AlpacaBroker } from '../../../src/live/alpaca.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { runPractice } from '../../../src/live/practice.ts';
import { TradierBroker } from '../../../src/live/tradier.ts';
import { TradeStationBroker } from '../../../src/live/tradestation.ts';
import { TradeStationTokens } from '../../../src/live/tradestation-auth.ts';
import { parseDocument, type BarColumns, type StrategyDocument } from '../../../src/schema/index.ts';
import { FakeAlpaca, type FakeBar, type FakeSession } from './fake-alpaca.ts';
import { FakeTradier } from './fake-tradier.ts';
import { FakeTradeStation } from './fake-tradestation.ts';

const NY = new Zone('America/New_York');
const TF = 30 * 60_000;
const BUY = 7;
/** Regular sessions of July 2024: the 3rd is a half day (13:00), the 4th a holiday. */
const DAYS: [string, string][] = [['2024-07-01', '16:00'], ['2024-07-02', '16:00'], ['2024-07-03', '13:00'], ['2024-07-05', '16:00']];
const at = (date: string, hm: string) => NY.toUtc(Date.parse(`${date}T${hm}:00Z`));
const SESSIONS: FakeSession[] = DAYS.map(([date, close]) => ({ date, open: at(date, '09:30'), close: at(date, close) }));

/** Bars of every session (30 minutes), opening at the previous close, closes moving; `signals[i]` marks bar i. */
function bars(signals: number[], sessions = SESSIONS, tf = TF): FakeBar[] {
  const out: FakeBar[] = [];
  let prev = 100;
  for (const s of sessions) {
    for (let t = s.open; t < s.close; t += tf) {
      const i = out.length;
      const c = Math.round((100 + 3 * Math.sin(i / 3)) * 100) / 100;
      out.push({ t, o: prev, h: Math.max(prev, c) + 0.5, l: Math.min(prev, c) - 0.5, c, v: signals.includes(i) ? BUY : 1 });
      prev = c;
    }
  }
  return out;
}

function doc(stop = false, timeframe = '30m', from = '2024-07-01'): StrategyDocument {
  const r = parseDocument({
    version: 1, name: 'session close',
    settings: { universe: ['SPY'], timeframe, timezone: 'America/New_York', initialCash: 10_000, units: 'whole', range: { from } },
    strategies: [{
      id: 'in', name: 'in', condition: { lhs: { kind: 'price', field: 'volume' }, op: '=', rhs: BUY },
      action: { type: 'buy', amount: { unit: 'quantity', value: 10 }, exits: { timeExit: { sessionClose: true }, ...(stop ? { stopLoss: { percent: 1 } } : {}) } },
    }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

function cols(list: FakeBar[], timeframe = '30m'): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(list, f);
  return [{ symbol: 'SPY', timeframe, length: list.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

const fakes: (FakeAlpaca | FakeTradier | FakeTradeStation)[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

async function deploy(list: FakeBar[], d: StrategyDocument, events: LiveEvent[] = []): Promise<{ fake: FakeAlpaca; lp: LiveProcessor }> {
  const fake = new FakeAlpaca(10_000);
  fakes.push(fake);
  await fake.start();
  fake.bars.set('SPY', list);
  fake.sessions = SESSIONS;
  fake.now = list[0]!.t;
  const broker = new AlpacaBroker({ name: 'alpaca-paper', tradingUrl: fake.url, dataUrl: fake.url, keyId: fake.key, secretKey: fake.secret, http: { timeoutMs: 3000, retries: 1, sleep: async () => {} } });
  const lp = await LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: d, mode: 'paper', id: 'd' }, emit: (e) => events.push(e) });
  for (const b of list) {
    fake.advance(b.t, TF);
    await lp.tick();
  }
  return { fake, lp };
}

const problems = (events: LiveEvent[]) => events.filter((e) => e.type === 'error' || e.type === 'reconcile' || e.type === 'guard');

describe('live: time exit at the session close', () => {
  // Bar indices: session 1 is 0–12 (15:30 is 12), session 2 13–25, the half day 26–32 (12:30 is 32), session 4 33–45.
  const signals = [3, 14, 28, 40];

  it('Alpaca: a market-on-close order per entry; the same orders, trades and equity as the backtest (a half day included)', async () => {
    const list = bars(signals);
    const d = doc();
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(bt.trades.map((t) => [t.exitTime, t.exitReason])).toEqual([[list[12]!.t, 'time'], [list[25]!.t, 'time'], [list[32]!.t, 'time'], [list[45]!.t, 'time']]);
    const r = lp.result();
    expect(r.trades).toEqual(bt.trades);
    expect(r.orders).toEqual(bt.orders);
    expect(r.curves.equity).toEqual(bt.curves.equity);
    expect(fake.posts.filter((p) => p.time_in_force === 'cls')).toEqual([1, 3, 5, 7].map((n) => expect.objectContaining({ client_order_id: `d-${n}-c`, type: 'market', side: 'sell', qty: '10' })));
    expect(fake.requests.filter((q) => q.path === '/v2/calendar').length).toBeGreaterThan(0);
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it('Alpaca: a stop-loss beside the session close is watched on completed bars; when it triggers the closing order is cancelled first', async () => {
    // Bar 5 falls through the 1% stop of the entry filled at bar 4's open.
    const list = bars([3]);
    list[5] = { ...list[5]!, l: list[4]!.o * 0.97 };
    const d = doc(true);
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    const [moc] = fake.orders.filter((o) => o.time_in_force === 'cls');
    expect(moc).toMatchObject({ client_order_id: 'd-1-c', status: 'canceled' });
    const trade = lp.result().trades[0]!;
    // The backtest fills at the stop inside bar 5; live sends a market order after bar 5 (fills at bar 6's open).
    expect(trade).toMatchObject({ exitReason: 'stop', exitTime: list[6]!.t, exitPrice: list[6]!.o });
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it("Alpaca: an entry filled after the 15:50 cut-off is closed by a market order at the next session's open (the stated difference)", async () => {
    // The signal on 15:00 (bar 11) fills at 15:30's open: too late for a closing order.
    const list = bars([11]);
    const d = doc();
    const events: LiveEvent[] = [];
    const { fake, lp } = await deploy(list, d, events);
    expect(fake.posts.some((p) => p.time_in_force === 'cls')).toBe(false);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    expect(bt.trades[0]).toMatchObject({ exitTime: list[12]!.t, exitPrice: list[12]!.c, exitReason: 'time' });
    expect(lp.result().trades[0]).toMatchObject({ entryTime: list[12]!.t, exitTime: list[13]!.t, exitPrice: list[13]!.o, exitReason: 'time' });
    expect(problems(events)).toEqual([]);
  });

  it('Tradier (no closing orders): the calendar from /v1/markets/calendar; a market order when the bar before the last completes fills at the last bar\'s open', async () => {
    // January (New York is UTC-5, as the Tradier fake's time and sales assume); the 1st is a holiday.
    const days = ['2024-01-02', '2024-01-03'].map((date) => ({ date, open: at(date, '09:30'), close: at(date, '16:00') }));
    const M15 = 15 * 60_000;
    const list = bars([3, 30], days, M15);
    const fake = new FakeTradier(10_000);
    fakes.push(fake);
    await fake.start();
    fake.bars.set('SPY', list);
    fake.sessions = days;
    fake.closedDays = ['2024-01-01'];
    fake.now = list[0]!.t;
    const broker = new TradierBroker({ name: 'tradier-sandbox', url: fake.url, token: fake.token, accountId: fake.account, http: { timeoutMs: 3000, retries: 1, sleep: async () => {} } });
    expect(await broker.sessions(Date.UTC(2023, 11, 28), Date.UTC(2024, 0, 4))).toEqual(days);
    const d = doc(false, '15m', '2024-01-02');
    const events: LiveEvent[] = [];
    const lp = await LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: d, mode: 'paper', id: 'dt' }, emit: (e) => events.push(e) });
    for (const b of list) {
      fake.advance(b.t, M15);
      await lp.tick();
    }
    const bt = runBacktest(d, { bars: cols(list, '15m') }, { sizing: 'signal' });
    const last = [25, 51]; // 15:45 of each session
    expect(bt.trades.map((t) => [t.exitTime, t.exitPrice, t.exitReason])).toEqual(last.map((i) => [list[i]!.t, list[i]!.c, 'time']));
    expect(lp.result().trades.map((t) => [t.entryTime, t.exitTime, t.exitPrice, t.exitReason])).toEqual(bt.trades.map((t, k) => [t.entryTime, list[last[k]!]!.t, list[last[k]!]!.o, 'time']));
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it('TradeStation (no calendar, no closing orders): the NYSE calendar by rule (the 3rd a 13:00 half day, the 4th a holiday); a market order when the bar before the last completes fills at the last bar\'s open', async () => {
    const list = bars(signals);
    const fake = new FakeTradeStation(10_000);
    fakes.push(fake);
    await fake.start();
    fake.bars.set('SPY', list);
    fake.barSpanMs = TF;
    fake.now = list[0]!.t;
    const now = () => fake.now;
    const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now });
    const broker = new TradeStationBroker({ name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now, settleMs: 0, http: { timeoutMs: 3000, retries: 1, sleep: async () => {} } });
    expect(await broker.sessions(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 5, 23))).toEqual(SESSIONS);
    const d = doc();
    const events: LiveEvent[] = [];
    const lp = await LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: d, mode: 'paper', id: 'dt' }, emit: (e) => events.push(e) });
    for (const b of list) {
      fake.advance(b.t, TF);
      await lp.tick();
    }
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    const last = [12, 25, 32, 45]; // each session's last bar (the half day's is 12:30)
    expect(bt.trades.map((t) => [t.exitTime, t.exitReason])).toEqual(last.map((i) => [list[i]!.t, 'time']));
    expect(lp.result().trades.map((t) => [t.entryTime, t.exitTime, t.exitPrice, t.exitReason])).toEqual(bt.trades.map((t, k) => [t.entryTime, list[last[k]!]!.t, list[last[k]!]!.o, 'time']));
    expect(fake.posts.map((p) => p.OrderType)).toEqual(Array(8).fill('Market'));
    expect(fake.position('SPY')).toBe(0);
    expect(problems(events)).toEqual([]);
  });

  it('the simulated broker closes at the replayed data\'s session ends, as the backtest does', async () => {
    const list = bars(signals);
    const d = doc();
    const data = { bars: cols(list) };
    const bt = runBacktest(d, data, { sizing: 'signal' });
    const lp = await runPractice(d, data);
    expect(lp.result().trades).toEqual(bt.trades);
    expect(lp.result().orders).toEqual(bt.orders);
    expect(lp.result().trades.map((t) => t.exitReason)).toEqual(['time', 'time', 'time', 'time']);
  });
});
