/**
 * The poll interval floor per broker (src/lib/poll-floor.ts): the figures each broker's published rate limit
 * gives, the calls a tick really makes against each fake (the model must bound them, or the floor is a guess),
 * and `npm run live` raising a --poll-ms below the floor, with the reason printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveCli } from '../../../src/cli/live.ts';
import { clampPoll, HEADROOM, pollFloor, RATE_LIMITS, type RateLimits } from '../../../src/lib/poll-floor.ts';
import { AlpacaBroker } from '../../../src/live/alpaca.ts';
import type { Broker } from '../../../src/live/broker.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { TradeStationBroker } from '../../../src/live/tradestation.ts';
import { TradeStationTokens } from '../../../src/live/tradestation-auth.ts';
import { TradierBroker } from '../../../src/live/tradier.ts';
import { FakeAlpaca, type FakeBar } from './fake-alpaca.ts';
import { crossDoc, swingBars, type FakeServer } from './fake-server.ts';
import { FakeTradeStation } from './fake-tradestation.ts';
import { FakeTradier } from './fake-tradier.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const WARM = 10;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('poll interval floor', () => {
  it('figures from each broker\'s published limit: Alpaca 2 s for one symbol (not the 1 s the page allowed: 240 calls a minute), more with more symbols; the simulated broker none', () => {
    expect(pollFloor(RATE_LIMITS['alpaca-paper'], 1).ms).toBe(2000); // 4 trading calls × 60 s / (200 × 0.8) = 1.5 s
    expect(pollFloor(RATE_LIMITS['alpaca-live'], 3).ms).toBe(3000); // 6 calls → 2.25 s
    expect(pollFloor(RATE_LIMITS['tradier-live'], 1).ms).toBe(2000); // 3 standard calls at 120/min → 1.875 s
    expect(pollFloor(RATE_LIMITS['tradier-sandbox'], 1).ms).toBe(4000); // 3 at 60/min → 3.75 s
    expect(pollFloor(RATE_LIMITS['tradestation-sim'], 1).ms).toBe(2000); // 1 balances call at 250 per 5 min → 1.5 s
    expect(pollFloor(RATE_LIMITS['tradestation-live'], 4).ms).toBe(6000); // 4 order lookups at 250 per 5 min → 6 s
    expect(pollFloor(undefined, 5).ms).toBe(0);
    const f = pollFloor(RATE_LIMITS['alpaca-paper'], 1);
    expect(f.reason).toMatch(/^Alpaca allows 200 trading API requests a minute; a tick with 1 symbol makes up to 4 \(clock, account, positions, one order lookup per symbol\), so polling every 2 s or slower keeps within 80 % of it/);
    expect(pollFloor(RATE_LIMITS['tradestation-sim'], 2).reason).toMatch(/250 order details requests per 5 minutes; a tick with 2 symbols makes up to 2/);
    // At the floor no limit is exceeded, for any number of symbols.
    for (const l of Object.values(RATE_LIMITS)) {
      for (const n of [1, 2, 5, 20]) {
        const ms = pollFloor(l, n).ms;
        for (const b of l.buckets) expect(((b.fixed + b.perSymbol * n) * b.windowMs) / ms).toBeLessThanOrEqual(b.limit * HEADROOM);
      }
    }
    expect(clampPoll(1000, RATE_LIMITS['alpaca-paper'], 1)).toMatchObject({ ms: 2000, clamped: true });
    expect(clampPoll(60_000, RATE_LIMITS['alpaca-paper'], 1)).toMatchObject({ ms: 60_000, clamped: false });
    expect(clampPoll(0, undefined, 1)).toMatchObject({ ms: 0, clamped: false });
  });

  /** Which limit a request counts against (null: not a tick's poll: sign-in, the session calendar, an order sent or cancelled). */
  type Classify = (method: string, path: string) => string | null;

  const alpacaBucket: Classify = (m, p) => (m !== 'GET' || p.startsWith('/v2/calendar') ? null : p.startsWith('/v2/stocks') ? 'market data' : 'trading API');
  const tradierBucket: Classify = (m, p) => (m !== 'GET' || p.startsWith('/v1/markets/calendar') ? null : p.startsWith('/v1/markets') ? 'market-data endpoints' : 'standard (account) endpoints');
  const tsBucket: Classify = (m, p) => {
    if (m !== 'GET') return null;
    if (p.includes('/balances')) return 'balances';
    if (p.includes('/positions')) return 'positions';
    if (p.includes('/barcharts/')) return 'bar charts';
    return p.includes('orders') ? 'order details' : null;
  };

  /** Runs the cross strategy through `list` and checks every tick's calls per limit against the model. */
  async function countTicks(fake: FakeServer & { bars: Map<string, FakeBar[]>; now: number; advance(t: number, span: number): void }, broker: Broker, classify: Classify, limits: RateLimits): Promise<{ ticks: number; sending: number; max: Record<string, number> }> {
    const list = swingBars(60, T0, DAY);
    fake.bars.set('SPY', list);
    fake.now = list[WARM]!.t;
    const lp = await LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: crossDoc(), mode: 'paper', id: 'dp' } });
    const max: Record<string, number> = {};
    let sending = 0;
    for (let k = WARM; k < list.length; k++) {
      fake.advance(list[k]!.t, DAY);
      const before = fake.requests.length;
      await lp.tick();
      const made = fake.requests.slice(before);
      const sends = made.filter((r) => (r.method === 'POST' || r.method === 'DELETE') && !r.path.includes('/oauth/')).length;
      const by: Record<string, number> = {};
      for (const r of made) {
        const b = classify(r.method, r.path);
        if (b !== null) by[b] = (by[b] ?? 0) + 1;
      }
      for (const b of limits.buckets) {
        const n = by[b.name] ?? 0;
        // An order sent costs its POST and, at Tradier and TradeStation, a position read just before it: the headroom's share.
        expect(n, `tick ${k}: ${b.name}`).toBeLessThanOrEqual(b.fixed + b.perSymbol + 2 * sends);
        if (sends === 0) max[b.name] = Math.max(max[b.name] ?? 0, n);
      }
      expect(Object.keys(by).every((b) => limits.buckets.some((x) => x.name === b))).toBe(true);
      if (sends > 0) sending++;
    }
    expect(lp.result().orders.length).toBeGreaterThan(3);
    return { ticks: list.length - WARM, sending, max };
  }

  it('the calls a tick really makes stay within the model, at Alpaca, Tradier and TradeStation (one symbol, orders open across ticks)', async () => {
    const alpaca = new FakeAlpaca(10_000);
    await alpaca.start();
    cleanup.push(() => alpaca.stop());
    const a = await countTicks(alpaca, new AlpacaBroker({ name: 'alpaca-paper', tradingUrl: alpaca.url, dataUrl: alpaca.url, keyId: alpaca.key, secretKey: alpaca.secret }), alpacaBucket, RATE_LIMITS['alpaca-paper']!);
    expect(a.max).toEqual({ 'trading API': 4, 'market data': 1 }); // clock, one lookup, account, positions; bars

    const tradier = new FakeTradier(10_000);
    await tradier.start();
    cleanup.push(() => tradier.stop());
    const t = await countTicks(tradier, new TradierBroker({ name: 'tradier-sandbox', url: tradier.url, token: tradier.token, accountId: tradier.account }), tradierBucket, RATE_LIMITS['tradier-sandbox']!);
    expect(t.max['standard (account) endpoints']).toBe(3);
    expect(t.max['market-data endpoints']).toBe(2);

    const ts = new FakeTradeStation(10_000);
    await ts.start();
    cleanup.push(() => ts.stop());
    const tokens = new TradeStationTokens({ tokenUrl: `${ts.url}/oauth/token`, clientId: ts.clientId, clientSecret: ts.clientSecret, refreshToken: ts.refreshToken, now: () => ts.now });
    const s = await countTicks(ts, new TradeStationBroker({ name: 'tradestation-sim', url: ts.url, accountId: ts.account, tokens, now: () => ts.now, settleMs: 0 }), tsBucket, RATE_LIMITS['tradestation-sim']!);
    expect(s.max).toMatchObject({ balances: 1, positions: 1, 'bar charts': 1 });
    expect(s.sending).toBeGreaterThan(0);
  }, 60_000);

  it('npm run live raises a --poll-ms below the broker\'s floor and says why; the simulated broker keeps 0', async () => {
    const fake = new FakeAlpaca(10_000);
    await fake.start();
    cleanup.push(() => fake.stop());
    const list = swingBars(40, T0, DAY);
    fake.bars.set('SPY', list);
    fake.now = list[30]!.t;
    const dir = mkdtempSync(join(tmpdir(), 'poll-floor-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify(crossDoc()));
    const sleeps: number[] = [];
    const err: string[] = [];
    let k = 30;
    const code = await liveCli(['--strategy', file, '--broker', 'alpaca', '--paper', '--no-streams', '--trading-url', fake.url, '--data-url', fake.url, '--state', join(dir, 'st'), '--poll-ms', '1000', '--max-steps', '2'], {
      env: { APCA_API_KEY_ID: fake.key, APCA_API_SECRET_KEY: fake.secret }, out: () => {}, err: (s) => err.push(s),
      sleep: async (ms) => { sleeps.push(ms); fake.advance(list[k++]!.t, DAY); },
    });
    expect(code).toBe(0);
    expect(err).toEqual([expect.stringMatching(/^note: --poll-ms 1000 is below the minimum, polling every 2 s: Alpaca allows 200 trading API requests a minute/)]);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 2000)).toBe(true);
    // At or above the floor nothing is said and the interval is the one asked for.
    const sleeps2: number[] = [];
    const err2: string[] = [];
    const code2 = await liveCli(['--broker', 'alpaca', '--paper', '--no-streams', '--trading-url', fake.url, '--data-url', fake.url, '--state', join(dir, 'st'), '--poll-ms', '5000', '--max-steps', '1'], {
      env: { APCA_API_KEY_ID: fake.key, APCA_API_SECRET_KEY: fake.secret }, out: () => {}, err: (s) => err2.push(s),
      sleep: async (ms) => { sleeps2.push(ms); fake.advance(list[k++]!.t, DAY); },
    });
    expect(code2).toBe(0);
    expect(err2).toEqual([]);
    expect(sleeps2.every((ms) => ms === 5000)).toBe(true);
  }, 60_000);
});
