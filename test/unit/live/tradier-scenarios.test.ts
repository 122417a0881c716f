/**
 * The live processor against a Tradier-compatible fake on 127.0.0.1 (fake-tradier.ts): the same orders and
 * fills as the backtest (a reversal as sell, then sell_short), an order looked up by its tag after a POST that
 * timed out (never sent twice), partial fill, a rejection Tradier reports after accepting, cancel (kill switch),
 * market closed, a stop-loss as a Tradier stop order, and the token never in an event, error or journal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveCli } from '../../../src/cli/live.ts';
import { runBacktest } from '../../../src/engine/index.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { TradierBroker } from '../../../src/live/tradier.ts';
import { parseDocument, type BarColumns, type StrategyDocument } from '../../../src/schema/index.ts';
import type { FakeBar } from './fake-alpaca.ts';
import { FakeTradier } from './fake-tradier.ts';
import { swingBars } from './fake-server.ts';
import { allRoutesTo, startProxy } from '../proxy/fakes.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const WARM = 10;

const fakes: FakeTradier[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

function swing(n: number, step = DAY, t0 = T0): FakeBar[] {
  return swingBars(n, t0, step);
}

function cross(o: { short?: boolean; timeframe?: string; from?: number; exits?: unknown } = {}): StrategyDocument {
  const fast = { kind: 'sma', window: { bars: 3 } }, slow = { kind: 'sma', window: { bars: 8 } };
  const r = parseDocument({
    version: 1, name: 'cross',
    settings: { universe: ['SPY'], timeframe: o.timeframe ?? '1d', initialCash: 10_000, units: 'whole', allowShort: !!o.short, range: { from: new Date(o.from ?? T0 + WARM * DAY).toISOString().slice(0, 10) } },
    strategies: [
      { id: 'long', name: 'long', condition: { lhs: fast, op: 'crossesAbove', rhs: slow }, action: o.exits ? { type: 'buy', amount: { unit: 'quantity', value: 20 }, exits: o.exits } : { type: 'setWeight', weight: 0.5 } },
      { id: 'exit', name: 'exit', condition: { lhs: fast, op: 'crossesBelow', rhs: slow }, action: { type: 'setWeight', weight: o.short ? -0.5 : 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

async function setup(list: FakeBar[], now = list[WARM]!.t): Promise<FakeTradier> {
  const fake = new FakeTradier(10_000);
  fakes.push(fake);
  await fake.start();
  fake.bars.set('SPY', list);
  fake.now = now;
  return fake;
}

function open(fake: FakeTradier, d: StrategyDocument, events: LiveEvent[] = [], journal = new MemoryJournal()): Promise<LiveProcessor> {
  const broker = new TradierBroker({ name: 'tradier-sandbox', url: fake.url, token: fake.token, accountId: fake.account, http: { timeoutMs: 300, retries: 2, sleep: async () => {} } });
  return LiveProcessor.open({ broker, journal, create: { doc: d, mode: 'paper', id: 'dt' }, emit: (e) => events.push(e) });
}

async function run(lp: LiveProcessor, fake: FakeTradier, list: FakeBar[], from: number, to: number, step = DAY): Promise<void> {
  for (let k = from; k < to; k++) {
    fake.advance(list[k]!.t, step);
    await lp.tick();
  }
}

function cols(list: FakeBar[], timeframe = '1d'): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(list, f);
  return [{ symbol: 'SPY', timeframe, length: list.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

const problems = (events: LiveEvent[]) => events.filter((e) => e.type === 'error' || e.type === 'reconcile');

describe('live trading against the Tradier fake', () => {
  it('same orders and fills as the backtest; every order tagged with its client id; the token only in the Authorization header', async () => {
    const list = swing(70);
    const fake = await setup(list);
    const d = cross();
    const events: LiveEvent[] = [];
    const lp = await open(fake, d, events);
    await run(lp, fake, list, WARM, list.length);
    const bt = runBacktest(d, { bars: cols(list) }, { sizing: 'signal' });
    const done = bt.orders.filter((o) => o.status !== 'cancelled');
    expect(done.length).toBeGreaterThan(3);
    expect(lp.result().orders.slice(0, done.length)).toEqual(done);
    expect(lp.result().trades).toEqual(bt.trades);
    expect(problems(events)).toEqual([]);
    expect(fake.posts.every((p) => p.class === 'equity' && p.type === 'market' && p.duration === 'day' && /^dt-\d+$/.test(p.tag!))).toBe(true);
    expect(JSON.stringify(events)).not.toContain(fake.token);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${fake.token}`)).toBe(true);
  });

  it('a reversal goes as two orders with Tradier\'s sides: sell then sell_short, buy_to_cover then buy', async () => {
    const list = swing(70);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross({ short: true }), events);
    await run(lp, fake, list, WARM, list.length);
    const sides = fake.posts.map((p) => `${p.side}${p.tag!.slice(-2)}`);
    expect(sides).toContain('sell-c');
    expect(sides).toContain('sell_short-o');
    expect(sides).toContain('buy_to_cover-c');
    expect(sides).toContain('buy-o');
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });

  it('a POST that times out after Tradier accepted it: looked up by its tag, found, never sent again', async () => {
    const list = swing(40);
    const fake = await setup(list);
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    fake.faults.push({ method: 'POST', path: '/v1/accounts', fault: { kind: 'hang' } });
    await run(lp, fake, list, WARM, list.length);
    expect(fake.orders.length).toBeGreaterThan(1);
    expect(new Set(fake.orders.map((o) => o.tag)).size).toBe(fake.orders.length);
    expect(fake.posts.length).toBe(fake.orders.length);
    expect(events.some((e) => e.type === 'order' && e.state === 'unknown')).toBe(true);
    expect(events.some((e) => e.type === 'order' && e.state === 'found')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(fake.token);
  });

  it('partial fill: the filled part is booked, the rest fills at the next bar; the record ends filled', async () => {
    const list = swing(40);
    const fake = await setup(list);
    fake.partialRatio = 0.5;
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross(), events);
    await run(lp, fake, list, WARM, list.length);
    const first = lp.result().orders.find((o) => o.filledQuantity > 0)!;
    const fills = events.filter((e) => e.type === 'fill' && e.clientOrderId === `dt-${first.id}`);
    expect(fills.length).toBe(2);
    expect(first.status).toBe('filled');
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });

  it('a rejection Tradier reports after accepting: the order is rejected with its reason, nothing is re-sent', async () => {
    const list = swing(30);
    const fake = await setup(list);
    fake.rejectNext = 'Insufficient buying power';
    const lp = await open(fake, cross());
    await run(lp, fake, list, WARM, list.length);
    const rejected = lp.result().orders.find((o) => o.status === 'rejected' && o.reason?.includes('Tradier'))!;
    expect(rejected.reason).toBe('rejected at Tradier: Insufficient buying power');
    expect(fake.posts.filter((p) => p.tag === `dt-${rejected.id}`)).toHaveLength(1);
  });

  it('cancel: the kill switch cancels the open order at Tradier (DELETE) and flattens with a sell', async () => {
    const list = swing(40);
    const fake = await setup(list);
    const lp = await open(fake, cross());
    // Run until the first order is filled and a second one is open at the broker.
    let k = WARM;
    const openAtBroker = () => fake.orders.find((o) => o.status === 'open');
    while (k < list.length && !(fake.position('SPY') > 0 && openAtBroker())) { fake.advance(list[k]!.t, DAY); await lp.tick(); k++; }
    const resting = openAtBroker()!;
    expect(fake.position('SPY')).toBeGreaterThan(0);
    await lp.kill(true);
    expect(resting.status).toBe('canceled');
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v1/accounts/${fake.account}/orders/${resting.id}`]);
    expect(fake.posts.at(-1)).toMatchObject({ side: 'sell', type: 'market', quantity: String(fake.position('SPY')) });
    fake.advance(list[k]!.t, DAY);
    await lp.poll();
    expect(fake.position('SPY')).toBe(0);
    expect(lp.venue.paused).toBe(true);
  });

  it('market closed: an intraday strategy sends nothing while Tradier says the market is closed; time-and-sales bars feed it', async () => {
    const M5 = 300_000;
    const t0 = Date.UTC(2024, 0, 2, 14, 30);
    const list = swing(60, M5, t0);
    const fake = await setup(list, list[WARM]!.t);
    fake.state = 'closed';
    const events: LiveEvent[] = [];
    const lp = await open(fake, cross({ timeframe: '5m', from: t0 }), events);
    await run(lp, fake, list, WARM, list.length, M5);
    expect(events.filter((e) => e.type === 'bar').length).toBeGreaterThan(40);
    expect(events.some((e) => e.type === 'guard' && e.reason === 'market closed')).toBe(true);
    expect(fake.posts).toEqual([]);
    expect(problems(events)).toEqual([]);
  });

  it('a stop-loss goes to Tradier as a stop order once the entry filled; its fill closes the trade as a stop', async () => {
    const list = swing(70);
    list[27] = { ...list[27]!, l: 80 };
    const fake = await setup(list);
    const d = cross({ exits: { stopLoss: { percent: 8 } } });
    const events: LiveEvent[] = [];
    const lp = await open(fake, d, events);
    await run(lp, fake, list, WARM, list.length);
    const stops = fake.posts.filter((p) => p.type === 'stop');
    expect(stops.length).toBeGreaterThan(0);
    expect(stops[0]).toMatchObject({ side: 'sell', duration: 'gtc' });
    expect(lp.result().trades.some((t) => t.exitReason === 'stop')).toBe(true);
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });
});

describe('Tradier one-cancels-other exits (class=oco)', () => {
  it('stop-loss with take-profit: one oco order with indexed legs once the entry filled; a leg fills, the other is cancelled; a restart sends nothing twice', async () => {
    const list = swing(70);
    list[27] = { ...list[27]!, l: 80 };
    const fake = await setup(list);
    const d = cross({ exits: { stopLoss: { percent: 8 }, takeProfit: { percent: 6 } } });
    const events: LiveEvent[] = [];
    const journal = new MemoryJournal();
    let lp = await open(fake, d, events, journal);
    await run(lp, fake, list, WARM, 40);
    // Restart from the journal halfway: open OCOs are looked up by tag, not placed again.
    lp = await open(fake, d, events, journal);
    await run(lp, fake, list, 40, list.length);
    const ocos = fake.posts.filter((p) => p.class === 'oco');
    expect(ocos.length).toBeGreaterThan(1);
    expect(ocos[0]).toMatchObject({ duration: 'gtc', 'side[0]': 'sell', 'type[0]': 'limit', 'side[1]': 'sell', 'type[1]': 'stop', 'symbol[0]': 'SPY', 'symbol[1]': 'SPY' });
    expect(Number(ocos[0]!['price[0]'])).toBeGreaterThan(Number(ocos[0]!['stop[1]']));
    expect(new Set(fake.posts.map((p) => p.tag)).size).toBe(fake.posts.length);
    const legs = fake.orders.filter((o) => o.legs).map((o) => o.legs!.map((l) => l.status).sort().join('+'));
    expect(legs).toContain('canceled+filled');
    expect(legs.every((x) => x === 'canceled+filled' || x === 'canceled+canceled' || x === 'open+open')).toBe(true);
    // The take-profit legs filled here (their stops cancelled), each booked as a target exit.
    expect(lp.result().trades.filter((t) => t.exitReason === 'target').length).toBe(legs.filter((x) => x === 'canceled+filled').length);
    expect(fake.position('SPY')).toBe(lp.kernel.portfolio.qty[0]);
    expect(problems(events)).toEqual([]);
  });
});

describe('Tradier through npm run live and the proxy', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  async function cliRun(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [], err: string[] = [];
    const code = await liveCli(argv, { env, out: (x) => out.push(x), err: (x) => err.push(x), sleep: async () => {} });
    return { code, out, err };
  }

  it('--broker tradier --paper through the proxy, relay and vault mode: the adapter\'s calls are all allow-listed; the token is never printed or stored', async () => {
    const list = swing(30);
    const fake = await setup(list);
    const dir = mkdtempSync(join(tmpdir(), 'tradier-cli-'));
    dirs.push(dir);
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify(cross()));
    const relay = await startProxy({ allowOrigins: [], routes: allRoutesTo(fake.url) });
    const vault = await startProxy({ allowOrigins: [], routes: allRoutesTo(fake.url) }, { PROXY_TOKEN: 'proxy-token-0123456789abcdef', TRADIER_SANDBOX_TOKEN: fake.token });
    try {
      const a = await cliRun(['--strategy', file, '--broker', 'tradier', '--paper', '--proxy', relay.node.url, '--state', join(dir, 'relay'), '--max-steps', '0'], { TRADIER_SANDBOX_TOKEN: fake.token, TRADIER_ACCOUNT_ID: fake.account });
      expect(a.err).toEqual([]);
      expect(a.code).toBe(0);
      // Vault mode: the client holds only the proxy's token; the proxy adds Tradier's.
      const b = await cliRun(['--strategy', file, '--broker', 'tradier', '--paper', '--proxy', vault.node.url, '--state', join(dir, 'vault'), '--max-steps', '0'], { PROXY_TOKEN: 'proxy-token-0123456789abcdef', TRADIER_ACCOUNT_ID: fake.account });
      expect(b.err).toEqual([]);
      expect(b.code).toBe(0);
      expect(readFileSync(join(dir, 'vault', 'journal.jsonl'), 'utf8')).toContain(fake.account);
      for (const text of [readFileSync(join(dir, 'relay', 'journal.jsonl'), 'utf8'), readFileSync(join(dir, 'vault', 'journal.jsonl'), 'utf8'), ...a.out, ...b.out]) expect(text).not.toContain(fake.token);
      expect(relay.logs.length + vault.logs.length).toBeGreaterThan(4);
      expect([...relay.logs, ...vault.logs].every((l) => l.status < 400)).toBe(true);
      // Hostile requests on the Tradier routes: what the adapter never needs is refused before it reaches Tradier.
      const seen = fake.requests.length;
      const hostile: [string, string][] = [
        ['PUT', '/tradier-sandbox/v1/accounts/VA0000001/orders/1001'], // modify an order
        ['GET', '/tradier-sandbox/v1/watchlists'],
        ['DELETE', '/tradier-sandbox/v1/accounts/VA0000001/orders'],
        ['POST', '/tradier-sandbox/v1/markets/events/session'],
        ['POST', '/tradier-sandbox/v1/accounts/VA0000001/orders/1001'],
        ['GET', '/tradier-sandbox/v1/accounts/VA0000001/history'],
      ];
      for (const [method, path] of hostile) {
        const r = await fetch(`${relay.node.url}${path}`, { method, headers: { authorization: `Bearer ${fake.token}` } });
        expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(await r.text()).not.toContain(fake.token);
      }
      expect(fake.requests.slice(seen).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    } finally {
      await relay.close();
      await vault.close();
    }
  });
});
