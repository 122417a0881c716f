/**
 * The live processor against a TradeStation-compatible fake on 127.0.0.1 (fake-tradestation.ts): the same orders
 * and fills as the backtest with next-open fills, TradeStation's trade actions for a reversal, a restart
 * mid-order that resumes without a duplicate, a POST that times out after TradeStation accepted it (found by what
 * it is, since TradeStation keeps no client id: exactly one order), partial fill, rejection, access tokens
 * refreshed before they expire and after a 401, 429 / 5xx back-off — and no token or secret in any event,
 * error or journal entry.
 */
import { describe, expect, it, afterEach } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { sessionClock, TradeStationBroker } from '../../../src/live/tradestation.ts';
import { TradeStationTokens } from '../../../src/live/tradestation-auth.ts';
import type { BarColumns, StrategyDocument } from '../../../src/schema/index.ts';
import type { FakeBar } from './fake-alpaca.ts';
import { FakeTradeStation } from './fake-tradestation.ts';
import { crossDoc as cross, swingBars } from './fake-server.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const WARM = 10;

const fakes: FakeTradeStation[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

async function setup(list: FakeBar[]): Promise<FakeTradeStation> {
  const fake = new FakeTradeStation(10_000);
  fakes.push(fake);
  await fake.start();
  fake.bars.set('SPY', list);
  fake.now = list[WARM]!.t;
  return fake;
}

function broker(fake: FakeTradeStation, waits: number[] = []): { broker: TradeStationBroker; tokens: TradeStationTokens } {
  const now = () => fake.now;
  const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now });
  const b = new TradeStationBroker({
    name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now, settleMs: 0,
    http: { timeoutMs: 300, retries: 2, sleep: async (ms) => { waits.push(ms); } },
  });
  return { broker: b, tokens };
}

function open(fake: FakeTradeStation, d: StrategyDocument, events: LiveEvent[] = [], journal = new MemoryJournal(), b = broker(fake).broker): Promise<LiveProcessor> {
  return LiveProcessor.open({ broker: b, journal, create: { doc: d, mode: 'paper', id: 'dt' }, emit: (e) => events.push(e) });
}

async function run(lp: LiveProcessor, fake: FakeTradeStation, list: FakeBar[], from: number, to: number): Promise<void> {
  for (let k = from; k < to; k++) {
    fake.advance(list[k]!.t, DAY);
    await lp.tick();
  }
}

function cols(list: FakeBar[]): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(list, f);
  return [{ symbol: 'SPY', timeframe: '1d', length: list.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

const problems = (events: LiveEvent[]) => events.filter((e) => e.type === 'error' || e.type === 'reconcile');

function secrets(fake: FakeTradeStation): string[] {
  return [fake.clientSecret, fake.refreshToken, 'ts-ACCESS-', 'do-not-leak'];
}

function expectNoSecret(fake: FakeTradeStation, ...texts: string[]): void {
  for (const t of texts) for (const s of secrets(fake)) expect(t).not.toContain(s);
}

describe('live trading against the TradeStation fake', () => {
  it('same orders and fills as a backtest with next-open fills; market DAY orders; tokens refreshed before they expire (no 401) and never in events or journal', async () => {
    const list = swingBars(70, T0, DAY);
    const fake = await setup(list);
    const d = cross();
    const events: LiveEvent[] = [];
    const journal = new MemoryJournal();
    const { broker: b, tokens } = broker(fake);
    const lp = await open(fake, d, events, journal, b);
    await run(lp, fake, list, WARM, list.length);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    const done = bt.orders.filter((o) => o.status !== 'cancelled');
    expect(done.length).toBeGreaterThan(3);
    expect(lp.result().orders.slice(0, done.length)).toEqual(done);
    expect(lp.result().trades).toEqual(bt.trades);
    expect(problems(events)).toEqual([]);
    expect(fake.posts.every((p) => p.OrderType === 'Market' && (p.TimeInForce as { Duration: string }).Duration === 'DAY' && p.Route === 'Intelligent')).toBe(true);
    expect(fake.posts.map((p) => p.TradeAction)).toEqual(done.filter((o) => o.status === 'filled').map((o) => (o.side === 'buy' ? 'BUY' : 'SELL')));
    // The fake's clock moves a day per bar: each tick needed a fresh token, and got it before the old one was refused.
    expect(tokens.refreshes).toBeGreaterThan(40);
    expect(fake.unauthorized).toBe(0);
    expect(fake.tokenRequests.every((r) => r.grant_type === 'refresh_token' && r.client_id === fake.clientId)).toBe(true);
    expectNoSecret(fake, JSON.stringify(events), JSON.stringify(journal.entries));
  });

  it('a reversal goes as two orders with TradeStation\'s trade actions: SELL then SELLSHORT, BUYTOCOVER then BUY', async () => {
    const list = swingBars(70, T0, DAY);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross({ short: true }), events);
    await run(lp, fake, list, WARM, list.length);
    const actions = fake.posts.map((p) => String(p.TradeAction));
    for (const a of ['SELL', 'SELLSHORT', 'BUYTOCOVER', 'BUY']) expect(actions).toContain(a);
    // A long position reversed: the close goes first, the short follows as its own order.
    expect(actions.some((a, i) => a === 'SELL' && actions[i + 1] === 'SELLSHORT')).toBe(true);
    expect(actions.some((a, i) => a === 'BUYTOCOVER' && actions[i + 1] === 'BUY')).toBe(true);
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });

  it('a POST that times out after TradeStation accepted it: found by symbol, side, quantity and type, never sent again — exactly one order', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    fake.faults.push({ method: 'POST', path: '/v3/orderexecution/orders', fault: { kind: 'hang' } });
    await run(lp, fake, list, WARM, list.length);
    expect(fake.orders.length).toBeGreaterThan(1);
    expect(fake.posts.length).toBe(fake.orders.length);
    expect(events.some((e) => e.type === 'order' && e.state === 'unknown')).toBe(true);
    expect(events.some((e) => e.type === 'order' && e.state === 'found')).toBe(true);
    const bt = runBacktest(cross(), { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().trades).toEqual(bt.trades);
  });

  it('restart mid-order (a new process on the same journal): the open order is followed by its TradeStation id, nothing is sent twice, the run ends as an uninterrupted one', async () => {
    const list = swingBars(60, T0, DAY);
    const fake = await setup(list);
    const journal = new MemoryJournal();
    const events: LiveEvent[] = [];
    let lp = await open(fake, cross(), events, journal);
    let k = WARM;
    // Until an order was sent and has not filled yet.
    while (k < list.length && !fake.orders.some((o) => o.status === 'ACK')) { fake.advance(list[k]!.t, DAY); await lp.tick(); k++; }
    expect(fake.orders.some((o) => o.status === 'ACK')).toBe(true);
    const posts = fake.posts.length;
    lp = await LiveProcessor.open({ broker: broker(fake).broker, journal, emit: (e) => events.push(e) });
    await run(lp, fake, list, k, list.length);
    expect(fake.posts.length).toBeGreaterThan(posts);
    expect(fake.posts.length).toBe(fake.orders.length);
    const bt = runBacktest(cross(), { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().trades).toEqual(bt.trades);
    expect(problems(events)).toEqual([]);
  });

  it('restart after a send with an unknown outcome: the new process finds the order by what it is (no send record of its own) and never re-sends it', async () => {
    const list = swingBars(60, T0, DAY);
    const fake = await setup(list);
    const journal = new MemoryJournal();
    const events: LiveEvent[] = [];
    let lp = await open(fake, cross(), events, journal);
    fake.faults.push({ method: 'POST', path: '/v3/orderexecution/orders', fault: { kind: 'hang' } });
    let k = WARM;
    while (k < list.length && !events.some((e) => e.type === 'order' && e.state === 'unknown')) { fake.advance(list[k]!.t, DAY); await lp.tick(); k++; }
    expect(fake.orders.length).toBe(1);
    lp = await LiveProcessor.open({ broker: broker(fake).broker, journal, emit: (e) => events.push(e) });
    await run(lp, fake, list, k, list.length);
    expect(fake.posts.length).toBe(fake.orders.length);
    expect(events.filter((e) => e.type === 'order' && e.state === 'found').length).toBeGreaterThan(0);
    const bt = runBacktest(cross(), { bars: cols(list) }, { sizing: 'signal' });
    expect(lp.result().trades).toEqual(bt.trades);
  });

  it('restart within the listing delay after an unknown send: a new process waits the settle time from its first look before it calls the order absent (it returned "absent" at once and the order could be sent twice)', async () => {
    const list = swingBars(20, T0, DAY);
    const fake = await setup(list);
    const now = () => fake.now;
    const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now });
    // A fresh adapter: this process never sent the order, as after a restart. TradeStation does not list it yet.
    const b = new TradeStationBroker({ name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now, settleMs: 30_000, http: { timeoutMs: 300, retries: 0, sleep: async () => {} } });
    const lookup = { brokerId: null, symbol: 'SPY', side: 'buy' as const, qty: 10, spec: null, notBefore: fake.now - DAY, owned: new Set<string>() };
    await expect(b.orderByClientId('dt-1', lookup)).rejects.toMatchObject({ kind: 'ambiguous' });
    fake.now += 29_000;
    await expect(b.orderByClientId('dt-1', lookup)).rejects.toMatchObject({ kind: 'ambiguous' });
    fake.now += 1_000;
    await expect(b.orderByClientId('dt-1', lookup)).resolves.toBeNull();
  });

  it('an order this deployment cannot tell from another one at TradeStation (same symbol, side, size, type) is never sent again: the lookup fails with the reason until someone checks', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    fake.faults.push({ method: 'POST', path: '/v3/orderexecution/orders', fault: { kind: 'hang' } });
    // Someone places the same order by hand at the same moment.
    fake.onPlace = (o) => { fake.orders.push({ ...o, OrderID: '999' }); fake.onPlace = null; };
    await run(lp, fake, list, WARM, list.length);
    expect(fake.posts.length).toBe(1);
    const errs = events.filter((e) => e.type === 'error' && /2 TradeStation orders match it .*cannot be told — check the account/.test(e.message));
    expect(errs.length).toBeGreaterThan(3);
    expect(events.some((e) => e.type === 'order' && e.state === 'found')).toBe(false);
  });

  it('partial fill: the filled part is booked, the rest fills at the next bar; the record ends filled', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    fake.partialRatio = 0.5;
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    await run(lp, fake, list, WARM, list.length);
    const first = lp.result().orders.find((o) => o.filledQuantity > 0)!;
    expect(events.filter((e) => e.type === 'fill' && e.clientOrderId === `dt-${first.id}`).length).toBe(2);
    expect(first.status).toBe('filled');
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });

  it('commission: TradeStation\'s CommissionFee (a running total per order) is booked with the fills that added it, so cash agrees with the broker and nothing is reconciled (it was booked as 0)', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    fake.partialRatio = 0.5;
    fake.commissionPerShare = 0.01;
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    await run(lp, fake, list, WARM, list.length);
    const fills = events.filter((e) => e.type === 'fill');
    expect(fills.length).toBeGreaterThan(3);
    for (const f of fills) expect(f.fee).toBeCloseTo(f.qty * 0.01, 9);
    const charged = fake.orders.reduce((s, o) => s + o.fee, 0);
    const booked = lp.result().orders.reduce((s, o) => s + o.fees, 0);
    expect(charged).toBeGreaterThan(0);
    expect(booked).toBeCloseTo(charged, 9);
    expect(lp.kernel.portfolio.cash).toBeCloseTo(fake.cash, 4); // the wire carries prices to 6 decimals
    expect(problems(events)).toEqual([]);
  });

  it('a rejection TradeStation reports after accepting (REJ with its reason): the order is rejected with it, nothing re-sent; a 200 with an Errors list is a refusal', async () => {
    const list = swingBars(30, T0, DAY);
    const fake = await setup(list);
    fake.rejectNext = 'Insufficient buying power';
    const lp = await open(fake, cross());
    await run(lp, fake, list, WARM, list.length);
    const rejected = lp.result().orders.find((o) => o.status === 'rejected' && o.reason?.includes('TradeStation'))!;
    expect(rejected.reason).toBe('rejected by TradeStation: Insufficient buying power');
    expect(fake.posts.filter((p) => p.Quantity === String(rejected.quantity) && p.TradeAction === 'BUY')).toHaveLength(1);
    // A sell beyond the long position: TradeStation answers 200 with an Errors list — refused, not unknown.
    fake.positions.set('SPY', { qty: 5, avg: 100 });
    const { broker: b } = broker(fake);
    const sell = b.submitOrder({ clientOrderId: 'x-1', symbol: 'SPY', side: 'sell', qty: 10, extendedHours: false });
    await expect(sell).rejects.toMatchObject({ kind: 'refused', message: expect.stringMatching(/the sell exceeds the long position/) });
  });

  it('token expiry: a token TradeStation stops taking (401) is refreshed once and the call goes again; a revoked refresh token is a clear error without any secret', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const { broker: b, tokens } = broker(fake);
    const lp = await open(fake, cross(), events, new MemoryJournal(), b);
    await run(lp, fake, list, WARM, 20);
    const before = tokens.refreshes;
    fake.expireTokens();
    await lp.poll();
    expect(fake.unauthorized).toBe(1);
    expect(tokens.refreshes).toBe(before + 1);
    expect(problems(events)).toEqual([]);
    // Revoked: every call fails with the status and OAuth's code only.
    fake.refreshToken = 'revoked-by-the-user';
    fake.expireTokens();
    await lp.poll();
    const errs = events.filter((e) => e.type === 'error');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((e) => e.type === 'error' && /token refresh answered HTTP 403 \(invalid_grant\)/.test(e.message))).toBe(true);
    expectNoSecret(fake, JSON.stringify(events));
  });

  it('rotating refresh tokens: the new refresh token is used from then on and handed to whoever keeps it', async () => {
    const list = swingBars(20, T0, DAY);
    const fake = await setup(list);
    fake.rotate = true;
    const kept: string[] = [];
    const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now: () => fake.now, onRefreshToken: (t) => kept.push(t) });
    const b = new TradeStationBroker({ name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now: () => fake.now });
    await b.account();
    fake.now += DAY;
    await b.account();
    expect(kept).toHaveLength(2);
    expect(fake.tokenRequests[1]!.refresh_token).toBe(kept[0]);
  });

  it('429 with Retry-After and a 5xx storm: reads back off and go again, a POST is never repeated blindly, garbage is a clear error', async () => {
    const list = swingBars(40, T0, DAY);
    const fake = await setup(list);
    const waits: number[] = [];
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events, new MemoryJournal(), broker(fake, waits).broker);
    fake.faults.push({ method: 'GET', path: '/v3/brokerage/accounts', fault: { kind: 'status', status: 429, retryAfter: 7 } });
    fake.faults.push({ method: 'GET', path: '/v3/marketdata/barcharts', fault: { kind: 'status', status: 503 } });
    for (let i = 0; i < 3; i++) fake.faults.push({ method: 'POST', path: '/v3/orderexecution/orders', fault: { kind: 'status', status: 500 } });
    fake.faults.push({ method: 'GET', path: '/v3/brokerage/accounts', fault: { kind: 'garbage' } });
    await run(lp, fake, list, WARM, list.length);
    expect(waits).toContain(7000);
    expect(fake.posts.length).toBe(fake.orders.length);
    const msgs = events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.message : ''));
    expect(msgs.some((m) => /broker error 500/.test(m))).toBe(true);
    expect(msgs.some((m) => /not JSON/.test(m))).toBe(true);
    // The failed POSTs delayed the entry; the books still agree with TradeStation's.
    expect(lp.result().trades.length).toBeGreaterThan(0);
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expectNoSecret(fake, JSON.stringify(events));
  });
});

describe('TradeStation adapter details', () => {
  it('barcharts: intraday bars stamped at their end come back at their start, in windows of at most the request limit, none lost or doubled', async () => {
    const M5 = 300_000;
    const t0 = Date.UTC(2024, 0, 2, 14, 30);
    const list = swingBars(95, t0, M5);
    const fake = await setup(list);
    fake.barSpanMs = M5;
    fake.maxBars = 20;
    fake.now = list.at(-1)!.t + M5;
    const tokens = new TradeStationTokens({ tokenUrl: `${fake.url}/oauth/token`, clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, now: () => fake.now });
    const b = new TradeStationBroker({ name: 'tradestation-sim', url: fake.url, accountId: fake.account, tokens, now: () => fake.now, maxBarsPerRequest: 20 });
    const bars = await b.bars(['SPY'], '5m', list[3]!.t, list[90]!.t);
    expect(bars.map((x) => x.time)).toEqual(list.slice(3, 91).map((x) => x.t));
    expect(bars[0]).toMatchObject({ open: list[3]!.o, close: list[3]!.c, volume: list[3]!.v });
    expect(fake.requests.filter((r) => r.path.startsWith('/v3/marketdata/barcharts')).length).toBe(5);
  });

  it('the session clock: open 09:30–16:00 New York on weekdays; next open and close across a weekend and daylight saving', () => {
    const c = sessionClock(Date.parse('2024-03-08T21:30:00Z')); // Friday 16:30 EST
    expect(c.isOpen).toBe(false);
    expect(new Date(c.nextOpen).toISOString()).toBe('2024-03-11T13:30:00.000Z'); // Monday 09:30 EDT
    expect(new Date(c.nextClose).toISOString()).toBe('2024-03-11T20:00:00.000Z');
    const o = sessionClock(Date.parse('2024-01-03T15:00:00Z')); // Wednesday 10:00 EST
    expect(o.isOpen).toBe(true);
    expect(new Date(o.nextClose).toISOString()).toBe('2024-01-03T21:00:00.000Z');
    expect(new Date(o.nextOpen).toISOString()).toBe('2024-01-04T14:30:00.000Z');
    expect(sessionClock(Date.parse('2024-01-06T15:00:00Z')).isOpen).toBe(false); // Saturday
  });

  it('without what the processor knows of an order, a lookup refuses (TradeStation keeps no client id)', async () => {
    const fake = await setup(swingBars(20, T0, DAY));
    await expect(broker(fake).broker.orderByClientId('dt-1')).rejects.toThrow(/keeps no client order id/);
  });
});
