/**
 * The live processor against an Alpaca-compatible fake on 127.0.0.1 (fake-alpaca.ts): parity with the
 * backtest, restart mid-order, a POST that times out after the broker accepted it, partial fills, rejection,
 * market closed, kill switch, risk guards, and garbage from the broker — never a crash, never a second order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { AlpacaBroker } from '../../../src/live/alpaca.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import type { RiskGuards } from '../../../src/live/guards.ts';
import { MemoryJournal, type Journal } from '../../../src/live/journal.ts';
import { FileJournal } from '../../../src/live/node/file-journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { parseDocument, type BarColumns, type StrategyDocument } from '../../../src/schema/index.ts';
import { FakeAlpaca, type FakeBar } from './fake-alpaca.ts';
import { swingBars as swing } from './fake-server.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const WARM = 10;

function swingBars(n: number): FakeBar[] {
  return swing(n, T0, DAY);
}

function smaCross(opts: { short?: boolean; timeframe?: string } = {}): StrategyDocument {
  const fast = { kind: 'sma', window: { bars: 3 } }, slow = { kind: 'sma', window: { bars: 8 } };
  const r = parseDocument({
    version: 1,
    name: 'sma cross',
    settings: { universe: ['SPY'], timeframe: opts.timeframe ?? '1d', initialCash: 10_000, units: 'whole', allowShort: !!opts.short, range: { from: new Date(T0 + WARM * DAY).toISOString().slice(0, 10) } },
    strategies: [
      { id: 'long', name: 'long', condition: { lhs: fast, op: 'crossesAbove', rhs: slow }, action: { type: 'setWeight', weight: 1 } },
      { id: 'exit', name: 'exit', condition: { lhs: fast, op: 'crossesBelow', rhs: slow }, action: { type: 'setWeight', weight: opts.short ? -1 : 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

const fakes: FakeAlpaca[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function market(n = 60, cash = 10_000): Promise<{ fake: FakeAlpaca; bars: FakeBar[] }> {
  const fake = new FakeAlpaca(cash);
  fakes.push(fake);
  await fake.start();
  const bars = swingBars(n);
  fake.bars.set('SPY', bars);
  fake.now = bars[WARM]!.t; // the deployment starts at the open of bar WARM: earlier bars are history
  return { fake, bars };
}

function broker(fake: FakeAlpaca, sleeps: number[] = []): AlpacaBroker {
  return new AlpacaBroker({
    name: 'alpaca-paper', tradingUrl: fake.url, dataUrl: fake.url, keyId: fake.key, secretKey: fake.secret,
    http: { timeoutMs: 400, retries: 3, sleep: async (ms) => { sleeps.push(ms); } },
  });
}

async function deploy(fake: FakeAlpaca, doc: StrategyDocument, journal: Journal = new MemoryJournal(), guards: RiskGuards = {}, events: LiveEvent[] = [], sleeps: number[] = []): Promise<LiveProcessor> {
  return LiveProcessor.open({ broker: broker(fake, sleeps), journal, create: { doc, mode: 'paper', guards, id: 'dtest' }, emit: (e) => events.push(e) });
}

/** The market moves through bars [from, to) and the processor ticks after each. */
async function run(lp: LiveProcessor, fake: FakeAlpaca, bars: FakeBar[], from: number, to: number): Promise<void> {
  for (let k = from; k < to; k++) {
    fake.advance(bars[k]!.t, DAY);
    await lp.tick();
  }
}

function cols(bars: FakeBar[]): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(bars, f);
  return [{ symbol: 'SPY', timeframe: '1d', length: bars.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

const errors = (events: LiveEvent[]) => events.filter((e) => e.type === 'error');

describe('live trading against the Alpaca fake', () => {
  it('on the same bars, the live run and the backtest (next-open fills, sized at the signal) produce identical orders and fills', async () => {
    const { fake, bars } = await market();
    const doc = smaCross();
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, doc, undefined, {}, events);
    await run(lp, fake, bars, WARM, bars.length);
    const live = lp.result();
    const bt = runBacktest(doc, { bars: cols(bars) }, { sizing: 'signal' });
    expect(bt.orders.length).toBeGreaterThan(3);
    // The backtest cancels what is still open when its data end; live, that order is still at the broker.
    const done = bt.orders.filter((o) => o.status !== 'cancelled');
    expect(live.orders.slice(0, done.length)).toEqual(done);
    expect(live.signals.slice(0, bt.signals.length)).toEqual(bt.signals);
    expect(live.trades).toEqual(bt.trades);
    expect(errors(events)).toEqual([]);
    expect(events.filter((e) => e.type === 'reconcile')).toEqual([]);
    expect(fake.orders.map((o) => o.client_order_id)).toEqual(live.orders.filter((o) => o.filledQuantity > 0 || o.status === 'open').map((o) => `dtest-${o.id}`));
  });

  it('divergence report: none on the same fills; fills worse than the open show as slippage against the model', async () => {
    const same = await market();
    const lp = await deploy(same.fake, smaCross());
    await run(lp, same.fake, same.bars, WARM, same.bars.length);
    const d0 = lp.divergence();
    expect(d0.decisionDays).toBe(0);
    expect(d0.meanSlippageBps).toBe(0);
    expect(d0.finalEquityLive).toBe(d0.finalEquityBacktest);
    const worse = await market();
    worse.fake.fillOffset = 0.1;
    const lp2 = await deploy(worse.fake, smaCross());
    await run(lp2, worse.fake, worse.bars, WARM, worse.bars.length);
    const d1 = lp2.divergence();
    expect(d1.meanSlippageBps).toBeGreaterThan(5);
    expect(d1.days.flatMap((d) => d.fills).every((x) => Math.abs(x.live - x.model) > 0.09)).toBe(true);
    expect(d1.finalEquityLive).toBeLessThan(d1.finalEquityBacktest);
  });

  it('restart mid-order resumes from the state directory with no duplicate order', async () => {
    const { fake, bars } = await market();
    const doc = smaCross();
    const dir = mkdtempSync(join(tmpdir(), 'live-state-'));
    dirs.push(dir);
    let lp = await deploy(fake, doc, new FileJournal(dir));
    // Run until an order is sent and not yet filled, then "crash".
    let k = WARM;
    for (; k < bars.length && !lp.busy(); k++) { fake.advance(bars[k]!.t, DAY); await lp.tick(); }
    expect(lp.busy()).toBe(true);
    const sentBefore = fake.orders.length;
    lp = await LiveProcessor.open({ broker: broker(fake), journal: new FileJournal(dir) });
    expect(lp.busy()).toBe(true);
    await run(lp, fake, bars, k, bars.length);
    const ids = fake.orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fake.orders.length).toBeGreaterThan(sentBefore);
    // The resumed run's books are the broker's.
    expect(lp.kernel.portfolio.qty[0]).toBe(fake.position('SPY'));
    expect(Math.abs(lp.kernel.portfolio.cash - fake.cash)).toBeLessThan(1e-6);
    // The key never reaches the state.
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain(fake.secret);
  });

  it('an intent journaled before a crash (send unknown) is looked up, then sent exactly once', async () => {
    const { fake, bars } = await market();
    const doc = smaCross();
    const journal = new MemoryJournal();
    let lp = await deploy(fake, doc, journal);
    // The POST never reaches the broker: refused connection for the first order → the state says "unknown".
    fake.faults.push({ method: 'POST', path: '/v2/orders', fault: { kind: 'status', status: 503 } });
    let k = WARM;
    for (; k < bars.length && !lp.busy(); k++) { fake.advance(bars[k]!.t, DAY); await lp.tick(); }
    expect(fake.orders.length).toBe(0);
    expect(journal.entries.some((e) => e.type === 'unknown')).toBe(true);
    lp = await LiveProcessor.open({ broker: broker(fake), journal });
    await lp.poll();
    expect(fake.orders.length).toBe(1);
    await lp.poll();
    expect(fake.orders.length).toBe(1);
  });

  it('a POST that times out after the broker accepted it leads to exactly one order', async () => {
    const { fake, bars } = await market();
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, smaCross(), undefined, {}, events);
    fake.faults.push({ method: 'POST', path: '/v2/orders', fault: { kind: 'hang' } });
    await run(lp, fake, bars, WARM, bars.length);
    const ids = fake.orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.some((e) => e.type === 'error' && /no answer within 400 ms/.test(e.message))).toBe(true);
    expect(events.some((e) => e.type === 'order' && e.state === 'found')).toBe(true);
    const posts = fake.requests.filter((r) => r.method === 'POST').length;
    expect(posts).toBe(fake.orders.length); // the timed-out one was looked up, not re-sent
  });

  it('partial fill: the filled part is booked, the rest fills later, the record ends filled', async () => {
    const { fake, bars } = await market();
    fake.partialRatio = 0.5;
    const lp = await deploy(fake, smaCross());
    await run(lp, fake, bars, WARM, bars.length);
    const first = lp.result().orders.find((o) => o.filledQuantity > 0)!;
    expect(first.status).toBe('filled');
    expect(first.filledQuantity).toBe(first.quantity);
    expect(lp.kernel.portfolio.qty[0]).toBe(fake.position('SPY'));
  });

  it('rejection: the broker refuses, the order is rejected with its message, nothing is re-sent', async () => {
    const { fake, bars } = await market();
    fake.refuseNext = 'insufficient buying power';
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, smaCross(), undefined, {}, events);
    await run(lp, fake, bars, WARM, bars.length);
    const rejected = lp.result().orders.find((o) => o.status === 'rejected' && o.reason !== 'already at target')!;
    expect(rejected.reason).toMatch(/refused by the broker: POST \/v2\/orders: 403: insufficient buying power/);
    expect(fake.orders.some((o) => o.client_order_id === `dtest-${rejected.id}`)).toBe(false);
  });

  it('market closed: an intraday strategy sends nothing while the session is closed', async () => {
    const { fake } = await market();
    const MIN = 60_000;
    const mins = Array.from({ length: 40 }, (_, i) => ({ t: T0 + 14 * 3_600_000 + i * MIN, o: 100 + 5 * Math.sin(i / 3), h: 110, l: 90, c: 100 + 5 * Math.sin(i / 3 + 0.3), v: 1 }));
    fake.bars.set('SPY', mins);
    fake.now = mins[0]!.t;
    fake.open = false;
    const doc = parseDocument({ version: 1, name: 'every bar', settings: { universe: ['SPY'], timeframe: '1m', initialCash: 10_000 }, strategies: [{ id: 'b', name: 'b', action: { type: 'buy', amount: { unit: 'quantity', value: 1 } } }] });
    if (!doc.ok) throw new Error('doc');
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, doc.doc, undefined, {}, events);
    for (let k = 0; k < 5; k++) { fake.advance(mins[k]!.t, MIN); await lp.tick(); }
    expect(fake.orders).toEqual([]);
    expect(lp.result().orders.every((o) => o.status === 'rejected' && o.reason === 'market closed')).toBe(true);
    expect(events.filter((e) => e.type === 'guard').length).toBe(5);
    fake.open = true;
    fake.advance(mins[5]!.t, MIN);
    await lp.tick();
    expect(fake.orders.length).toBe(1);
  });

  it('kill switch: pauses, cancels the open order at the broker, flattens the position', async () => {
    const { fake, bars } = await market();
    const lp = await deploy(fake, smaCross());
    let k = WARM;
    // Until a position is held and another order is open.
    for (; k < bars.length && !(fake.position('SPY') > 0); k++) { fake.advance(bars[k]!.t, DAY); await lp.tick(); }
    expect(fake.position('SPY')).toBeGreaterThan(0);
    for (; k < bars.length && !lp.busy(); k++) { fake.advance(bars[k]!.t, DAY); await lp.tick(); }
    const open = fake.orders.filter((o) => o.status === 'accepted');
    await lp.kill(true);
    expect(open.every((o) => o.status === 'canceled')).toBe(true);
    const flatten = fake.orders.find((o) => o.client_order_id.startsWith('dtest-k'));
    expect(flatten?.side).toBe('sell');
    fake.advance(bars[k]!.t, DAY);
    await lp.tick();
    expect(fake.position('SPY')).toBe(0);
    expect(lp.kernel.portfolio.qty[0]).toBe(0);
    // Paused: later signals are refused with a reason, nothing more is sent.
    const before = fake.orders.length;
    await run(lp, fake, bars, k + 1, bars.length);
    expect(fake.orders.length).toBe(before);
    expect(lp.result().orders.filter((o) => o.createdTime > bars[k]!.t).every((o) => o.reason?.startsWith('paused'))).toBe(true);
  });

  it('risk guard: an order above the maximum notional is refused and audited; nothing is sent', async () => {
    const { fake, bars } = await market();
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, smaCross(), undefined, { maxOrderNotional: 1000 }, events);
    await run(lp, fake, bars, WARM, bars.length);
    expect(fake.orders).toEqual([]);
    const guard = events.filter((e) => e.type === 'guard');
    expect(guard.length).toBeGreaterThan(0);
    expect(guard[0]!.type === 'guard' && guard[0]!.reason).toMatch(/risk guard: order notional .* exceeds the maximum 1000/);
  });

  it('a reversal goes to Alpaca as two orders: close, then open once the close filled', async () => {
    const { fake, bars } = await market();
    const events: LiveEvent[] = [];
    const lp = await deploy(fake, smaCross({ short: true }), undefined, {}, events);
    await run(lp, fake, bars, WARM, bars.length);
    expect(fake.orders.some((o) => o.client_order_id.endsWith('-c'))).toBe(true);
    expect(fake.orders.some((o) => o.client_order_id.endsWith('-o'))).toBe(true);
    expect(errors(events)).toEqual([]);
    expect(lp.kernel.portfolio.qty[0]).toBe(fake.position('SPY'));
  });

  it('garbage from the broker: malformed JSON, missing fields, 429 with Retry-After, 5xx storms — back-off, clear errors, one order each', async () => {
    const { fake, bars } = await market();
    const events: LiveEvent[] = [];
    const sleeps: number[] = [];
    const lp = await deploy(fake, smaCross(), undefined, {}, events, sleeps);
    fake.faults.push(
      { method: 'GET', path: '/v2/clock', fault: { kind: 'status', status: 429, retryAfter: 7 } },
      { method: 'GET', path: '/v2/stocks/bars', fault: { kind: 'garbage' } },
      { method: 'GET', path: '/v2/stocks/bars', fault: { kind: 'garbage' } },
      { method: 'GET', path: '/v2/stocks/bars', fault: { kind: 'garbage' } },
      { method: 'GET', path: '/v2/stocks/bars', fault: { kind: 'garbage' } },
      { method: 'GET', path: '/v2/account', fault: { kind: 'missing', field: 'cash' } },
      ...Array.from({ length: 6 }, () => ({ method: 'POST', path: '/v2/orders', fault: { kind: 'status' as const, status: 500 } })),
      ...Array.from({ length: 3 }, () => ({ method: 'GET', path: '/v2/orders:by_client_order_id', fault: { kind: 'status' as const, status: 502 } })),
    );
    await run(lp, fake, bars, WARM, bars.length);
    expect(sleeps).toContain(7000);
    const messages = errors(events).map((e) => e.type === 'error' ? e.message : '');
    expect(messages.some((m) => /GET \/v2\/stocks\/bars: the answer is not JSON/.test(m))).toBe(true);
    expect(messages.some((m) => /account: field "cash" is missing or not a number/.test(m))).toBe(true);
    expect(messages.some((m) => /POST \/v2\/orders: broker error 500/.test(m))).toBe(true);
    for (const m of messages) expect(m).not.toContain(fake.secret);
    const ids = fake.orders.map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
    expect(lp.kernel.portfolio.qty[0]).toBe(fake.position('SPY'));
  });
});
