/**
 * Alpaca's minute-bar stream serving a 5-minute strategy: minute bars aggregated as Alpaca's REST aggregates
 * them (epoch-aligned 5-minute bars, minutes without trades simply absent), against the fake speaking REST and
 * streams on 127.0.0.1. A streamed run equals the polled run and the backtest on the REST bars; minutes the
 * stream missed (before it went live, while it was cut) come from REST as minute bars, and only those.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runBacktest } from '../../../src/engine/index.ts';
import { aggregateBars } from '../../../src/live/bar-aggregate.ts';
import type { WebSocketLike } from '../../../src/live/alpaca-stream.ts';
import type { StreamingAlpaca } from '../../../src/live/alpaca-streaming.ts';
import type { Broker } from '../../../src/live/broker.ts';
import { alpacaBroker } from '../../../src/live/connect.ts';
import type { LiveEvent } from '../../../src/live/events.ts';
import { MemoryJournal } from '../../../src/live/journal.ts';
import { LiveProcessor } from '../../../src/live/processor.ts';
import { runLoop } from '../../../src/live/runner.ts';
import { parseDocument, type BarColumns, type StrategyDocument } from '../../../src/schema/index.ts';
import { FakeAlpaca, type FakeBar } from './fake-alpaca.ts';
import { swingBars } from './fake-server.ts';

const MIN = 60_000;
const SPAN = 5 * MIN;
// 14:32 UTC: the data starts inside a 5-minute bar ([14:30, 14:35) holds three minutes), as a feed can.
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const WARM = 10;
const N = 44;

function cross5m(): StrategyDocument {
  const fast = { kind: 'sma', window: { bars: 3 } }, slow = { kind: 'sma', window: { bars: 8 } };
  const r = parseDocument({
    version: 1, name: 'sma cross 5m',
    settings: { universe: ['SPY'], timeframe: '5m', initialCash: 10_000, units: 'whole', range: { from: new Date(T0 + WARM * SPAN).toISOString().slice(0, 16) + 'Z' } },
    strategies: [
      { id: 'long', name: 'long', condition: { lhs: fast, op: 'crossesAbove', rhs: slow }, action: { type: 'setWeight', weight: 1 } },
      { id: 'exit', name: 'exit', condition: { lhs: fast, op: 'crossesBelow', rhs: slow }, action: { type: 'setWeight', weight: 0 } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/**
 * Minute bars whose 5-minute bars swing: each 5-minute bar's open, high, low and close are reached by its
 * minutes; every seventh 5-minute bar lacks its middle minute (no trades), the first one its first two.
 */
function minuteBars(): FakeBar[] {
  const out: FakeBar[] = [];
  // 5-minute bars that swing every dozen bars (swingBars' every 25 would trade too rarely in a short test).
  swingBars(N, T0, SPAN, { period: 2, amplitude: 8, drift: 0.05 }).forEach((b, k) => {
    const path = [b.o, (b.o + b.h) / 2, b.h, b.l, b.c];
    for (let j = 0; j < 5; j++) {
      if ((k === 0 && j < 2) || (k % 7 === 3 && j === 2)) continue;
      const o = j === 0 ? b.o : path[j - 1]!, c = path[j]!;
      out.push({ t: b.t + j * MIN, o, h: j === 2 ? b.h : Math.max(o, c), l: j === 3 ? b.l : Math.min(o, c), c, v: 100 + j });
    }
  });
  return out;
}

const fakes: FakeAlpaca[] = [];
const brokers: Broker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) b.close?.();
  for (const f of fakes.splice(0)) await f.stop();
});

async function market(): Promise<{ fake: FakeAlpaca; minutes: FakeBar[] }> {
  const fake = new FakeAlpaca(10_000);
  fakes.push(fake);
  await fake.start(120_000);
  fake.aggregate = true;
  const minutes = minuteBars();
  fake.bars.set('SPY', minutes);
  fake.now = T0 + WARM * SPAN;
  return { fake, minutes };
}

const socket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

function connect(fake: FakeAlpaca, streams: boolean, heartbeatMs?: number): Broker {
  const b = alpacaBroker({
    paper: true, keyId: fake.key, secretKey: fake.secret, tradingUrl: fake.url, dataUrl: fake.url,
    ...(streams ? { streams: { socket, backoffMs: 20, maxBackoffMs: 100, barWaitMs: 3000, ...(heartbeatMs ? { heartbeatMs } : {}) } } : {}),
  });
  brokers.push(b);
  return b;
}

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  for (let t = 0; t < ms && !cond(); t += 5) await new Promise((r) => setTimeout(r, 5));
}

/** Until the client read every frame the fake wrote on its newest trading socket (fills reach us before the bar that follows). */
async function settle(fake: FakeAlpaca, b: StreamingAlpaca): Promise<void> {
  await until(() => {
    const c = fake.openStreams('trading').at(-1);
    return !c || !b.trading.live || b.trading.socketFrames >= c.sent;
  }, 5000);
}

/** Each minute: `before` (a cut, a silence), the market moves, the fills reach us, the processor ticks; a last tick after. */
async function playMinutes(fake: FakeAlpaca, sb: StreamingAlpaca, lp: LiveProcessor, minutes: FakeBar[], before: (m: FakeBar) => Promise<void>): Promise<void> {
  for (const m of minutes) {
    await before(m);
    fake.advance(m.t, MIN);
    await settle(fake, sb);
    await lp.tick();
  }
  await lp.tick();
}

function deploy(broker: Broker, events: LiveEvent[]): Promise<LiveProcessor> {
  return LiveProcessor.open({ broker, journal: new MemoryJournal(), create: { doc: cross5m(), mode: 'paper', id: 'd5m' }, emit: (e) => events.push(e) });
}

function cols(bars: FakeBar[]): BarColumns[] {
  const col = (f: (b: FakeBar) => number) => Float64Array.from(bars, f);
  return [{ symbol: 'SPY', timeframe: '5m', length: bars.length, time: col((b) => b.t), open: col((b) => b.o), high: col((b) => b.h), low: col((b) => b.l), close: col((b) => b.c), volume: col((b) => b.v) }];
}

/** The backtest on Alpaca's (the fake's) REST 5-minute bars of the whole period. */
function backtest(fake: FakeAlpaca) {
  const now = fake.now;
  fake.now = Infinity;
  const bars = fake.barsOf('SPY', '5Min');
  fake.now = now;
  return runBacktest(cross5m(), { bars: cols(bars) }, { sizing: 'signal' });
}

const restBars = (fake: FakeAlpaca, timeframe: string, after = 0) => fake.barQueries.slice(after).filter((q) => q.timeframe === timeframe);

describe('Alpaca minute stream aggregated to 5-minute bars', () => {
  it('the aggregation is the fake REST API\'s: epoch-aligned bars, a partial first bar, minutes without trades', () => {
    const fake = new FakeAlpaca(0);
    fake.bars.set('SPY', minuteBars());
    fake.now = Infinity;
    const rest = fake.barsOf('SPY', '5Min');
    const mine = aggregateBars(minuteBars().map((b) => ({ symbol: 'SPY', time: b.t, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v })), SPAN);
    expect(mine.map((b) => ({ t: b.time, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume }))).toEqual(rest);
    expect(rest).toHaveLength(N);
    expect(rest[0]).toMatchObject({ t: T0, v: 102 + 103 + 104 });
    expect(new Date(rest[1]!.t).toISOString()).toBe('2024-01-02T14:35:00.000Z');
    const hours = aggregateBars(mine, 3_600_000);
    expect(hours.map((b) => new Date(b.time).toISOString())).toEqual(['2024-01-02T14:00:00.000Z', '2024-01-02T15:00:00.000Z', '2024-01-02T16:00:00.000Z', '2024-01-02T17:00:00.000Z', '2024-01-02T18:00:00.000Z']);
    expect(hours[0]!.volume).toBe(rest.slice(0, 6).reduce((s, b) => s + b.v, 0));
  });

  it('a streamed 5-minute run ticking every minute equals the polled run and the backtest; REST read only what the stream missed', async () => {
    const polled = await market();
    const pb = connect(polled.fake, false);
    const lpPolled = await deploy(pb, []);
    for (const m of polled.minutes.filter((b) => b.t >= polled.fake.now)) {
      polled.fake.advance(m.t, MIN);
      // Polling every 5 minutes, at each bar's end (a bar lacking its last minute is stepped at the next poll).
      if ((m.t + MIN) % SPAN === 0) await lpPolled.tick();
    }
    await lpPolled.tick();

    const streamed = await market();
    streamed.fake.barDelayMs = 30;
    const sb = connect(streamed.fake, true) as StreamingAlpaca;
    const events: LiveEvent[] = [];
    const lp = await deploy(sb, events);
    await until(() => sb.trading.live && !!sb.barStream?.live);
    expect(sb.barStream?.live).toBe(true);
    const afterWarmUp = streamed.fake.barQueries.length;
    for (const m of streamed.minutes.filter((b) => b.t >= streamed.fake.now)) {
      streamed.fake.advance(m.t, MIN);
      await settle(streamed.fake, sb);
      await lp.tick();
    }
    await lp.tick();

    const bt = backtest(streamed.fake);
    expect(bt.trades.length).toBeGreaterThanOrEqual(2);
    const live = lp.result(), p = lpPolled.result();
    expect(live.trades).toEqual(bt.trades);
    expect(live.orders).toEqual(p.orders);
    expect(live.trades).toEqual(p.trades);
    expect(live.curves).toEqual(p.curves);
    expect(lp.bars.map((b) => b.time)).toEqual(lpPolled.bars.map((b) => b.time));
    expect(lp.bars).toEqual(lpPolled.bars);
    expect(events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);
    // The stream went live after the warm-up: the minutes between the warm-up's last bar and its first streamed
    // bar came by REST as minute bars, once; after that a 5-minute REST read only when a wait timed out.
    const gapReads = restBars(streamed.fake, '1Min', afterWarmUp);
    expect(gapReads.length).toBe(sb.served.gaps);
    expect(gapReads.length).toBeGreaterThanOrEqual(1);
    expect([gapReads[0]!.start, gapReads[0]!.end]).toEqual([T0 + WARM * SPAN, T0 + WARM * SPAN]);
    expect(sb.served.bars).toBeGreaterThan(0);
    expect(restBars(streamed.fake, '5Min', afterWarmUp).length).toBeLessThanOrEqual(Math.floor((N - WARM) / 5));
  });

  it('the stream cut inside a 5-minute bar: the minutes it missed come by REST, the bar is whole and the run equals the backtest', async () => {
    const { fake, minutes } = await market();
    const sb = connect(fake, true) as StreamingAlpaca;
    const events: LiveEvent[] = [];
    const lp = await deploy(sb, events);
    await until(() => sb.trading.live && !!sb.barStream?.live);
    const live = minutes.filter((b) => b.t >= fake.now);
    const cutAt = T0 + 20 * SPAN + MIN, backAt = cutAt + 2 * MIN;
    let gapsBefore = 0, queriesBefore = 0;
    await playMinutes(fake, sb, lp, live, async (m) => {
      if (m.t === cutAt) {
        fake.streamsDown = true;
        fake.dropStreams();
        await until(() => !sb.barStream!.live && !sb.trading.live);
      }
      if (m.t === backAt) {
        fake.streamsDown = false;
        await until(() => sb.trading.live && !!sb.barStream?.live);
        gapsBefore = sb.served.gaps;
        queriesBefore = fake.barQueries.length;
      }
    });
    expect(lp.result().trades).toEqual(backtest(fake).trades);
    expect(events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);
    // Back at 14:33 + 100 min: the bar [15:10, 15:15) came from REST minutes 15:10–15:12 (what the stream
    // missed, and the first minute it served again, which the subscription may have cut) and streamed ones.
    expect(sb.served.gaps).toBe(gapsBefore + 1);
    const gap = restBars(fake, '1Min', queriesBefore);
    expect(gap.map((q) => [q.start, q.end])).toEqual([[T0 + 20 * SPAN, backAt]]);
    const said = events.filter((e) => e.type === 'stream').map((e) => (e as { message: string }).message);
    expect(said.some((m) => /bars stream live again/.test(m))).toBe(true);
  });

  it('a streamed bar wakes the tick loop: each 5-minute bar is stepped when its last minute arrives, no poll interval elapsing', async () => {
    const { fake, minutes } = await market();
    const sb = connect(fake, true) as StreamingAlpaca;
    const lp = await deploy(sb, []);
    await until(() => sb.trading.live && !!sb.barStream?.live);
    // The scheduler seam: a poll interval (an hour) ends only when the test releases it, which it never does here.
    const clock = { waits: 0, elapsed: 0, release: () => {} };
    const sleep = (_ms: number, signal?: AbortSignal) => new Promise<void>((r) => {
      clock.waits++;
      clock.release = () => { clock.elapsed++; r(); };
      signal?.addEventListener('abort', () => r());
    });
    let ticks = 0, stop = false;
    const loop = runLoop({
      tick: () => { ticks++; return lp.tick(); }, poll: () => lp.poll(), busy: () => lp.busy(), pollMs: 3_600_000, stopped: () => stop, sleep,
      wake: (f) => sb.onBar(f),
    });
    await until(() => clock.waits === 1);
    for (let k = WARM; k < WARM + 3; k++) {
      const start = T0 + k * SPAN;
      const before = ticks;
      for (const m of minutes.filter((x) => x.t >= start && x.t < start + SPAN)) {
        const frames = sb.barStream!.frames;
        fake.advance(m.t, MIN);
        await until(() => sb.barStream!.frames > frames);
        // A minute that does not complete the 5-minute bar wakes nothing.
        if (m.t < start + SPAN - MIN) expect(ticks).toBe(before);
      }
      await until(() => lp.lastTime === start);
      expect(lp.lastTime).toBe(start);
      expect(ticks).toBe(before + 1);
    }
    expect(clock.elapsed).toBe(0);
    expect(ticks).toBe(4);
    expect(lp.bars.at(-1)).toMatchObject({ time: T0 + (WARM + 2) * SPAN });
    // The loop waits again (its fourth wait), and ends when told to stop.
    await until(() => clock.waits === 4);
    stop = true;
    clock.release();
    await loop;
    expect(clock.elapsed).toBe(1);
  });

  it('the streams go silent (half-open sockets): probed, given up, reconnected with back-off; REST meanwhile; audited; the run equals the backtest', async () => {
    const { fake, minutes } = await market();
    const sb = connect(fake, true, 250) as StreamingAlpaca;
    const events: LiveEvent[] = [];
    const lp = await deploy(sb, events);
    await until(() => sb.trading.live && !!sb.barStream?.live);
    const silentAt = T0 + 15 * SPAN;
    let silentFrom = 0, queries = 0;
    await playMinutes(fake, sb, lp, minutes.filter((b) => b.t >= fake.now), async (m) => {
      if (m.t === silentAt) {
        fake.silenceStreams();
        silentFrom = sb.served.bars + sb.served.gaps;
        queries = fake.barQueries.length;
        // Nothing arrives and nothing closes: the probe goes unanswered and the sockets are given up.
        await until(() => sb.trading.silences > 0 && sb.barStream!.silences > 0);
        await until(() => sb.trading.live && sb.barStream!.live);
      }
    });
    expect(lp.result().trades).toEqual(backtest(fake).trades);
    expect(events.filter((e) => e.type === 'error' || e.type === 'reconcile')).toEqual([]);
    expect(sb.trading.silences).toBeGreaterThanOrEqual(1);
    expect(sb.barStream!.silences).toBeGreaterThanOrEqual(1);
    expect(sb.trading.probes).toBeGreaterThanOrEqual(1);
    // Back live: the minutes the silent socket hid came by REST, then the stream served again.
    expect(queries).toBeGreaterThan(0);
    expect(sb.served.bars + sb.served.gaps).toBeGreaterThan(silentFrom);
    const said = events.filter((e) => e.type === 'stream').map((e) => (e as { where: string; message: string }).where + ': ' + (e as { message: string }).message);
    expect(said.some((x) => /^bars stream: bars stream silent for 500 ms \(no answer to a probe: the connection is taken for half-open\); reconnecting in \d+ ms, REST polling meanwhile$/.test(x))).toBe(true);
    expect(said.some((x) => /^trade_updates stream: trade_updates stream silent for 500 ms/.test(x))).toBe(true);
    expect(said.some((x) => /^bars stream: bars stream live again/.test(x))).toBe(true);
  });
});
