/**
 * Alpaca with its streams in front of REST. Orders are still sent, cancelled and (after any doubt) looked up
 * by REST exactly as without streams, so the never-send-twice path is unchanged; the streams only answer the
 * two questions the processor asks every tick:
 * - "what became of order X?": from `trade_updates` when the stream has been live since X was last confirmed
 *   (same session) and within `verifyMs` (a silent half-open socket cannot hide a fill for longer); else REST,
 *   whose answer is then kept. After a reconnect every order is read by REST once: that is the reconciliation.
 * - "which bars completed?": intraday timeframes from the minute-bar stream, aggregated as Alpaca's REST bars
 *   are (bar-aggregate.ts), once every symbol's bar for the last bar's last minute came in (waiting up to
 *   `barWaitMs`); minutes the stream missed (before it went live, or while it was down) come from REST as
 *   minute bars. Daily and longer bars always poll (Alpaca's daily bar is not a sum of its minute bars).
 * Account, clock and positions stay REST: the broker's books are read after every tick, as before.
 */
import { timeframeMs } from '../data/index.ts';
import type { AlpacaBroker } from './alpaca.ts';
import { aggregateBars, barStart, MINUTE, streamable } from './bar-aggregate.ts';
import { BarStream, TradeUpdatesStream, type SocketFactory, type StreamNotice } from './alpaca-stream.ts';
import type { Broker, BrokerAccount, BrokerCapabilities, BrokerClock, BrokerNotice, BrokerOrder, BrokerPosition, LiveBar, OrderRequest } from './broker.ts';
import type { RateLimits } from '../lib/poll-floor.ts';

export interface StreamingOptions {
  socket: SocketFactory;
  /** wss://…/stream of the trading API (or the proxy's). */
  tradingStreamUrl: string;
  /** wss://…/v2/iex or /v2/sip of market data (or the proxy's). */
  dataStreamUrl: string;
  keyId: string;
  secretKey: string;
  verifyMs?: number;
  barWaitMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** See StreamOptions.heartbeatMs. */
  heartbeatMs?: number;
  now?: () => number;
}

export class StreamingAlpaca implements Broker {
  readonly name: string;
  readonly allowsReversal: boolean;
  readonly capabilities: BrokerCapabilities;
  /** Streams can drop at any moment: the poll floor is REST's (src/lib/poll-floor.ts). */
  get rateLimits(): RateLimits | undefined {
    return this.rest.rateLimits;
  }
  readonly trading: TradeUpdatesStream;
  barStream: BarStream | null = null;
  /**
   * Reads answered by a stream rather than REST (the audit of how much streaming did). `gaps`: bar reads the
   * stream answered in part, the minutes it missed read by REST.
   */
  readonly served = { orders: 0, bars: 0, gaps: 0 };
  private readonly notices: BrokerNotice[] = [];
  private readonly barListeners = new Set<() => void>();
  /** The intraday span last read (what a completed bar means for onBar), and the start of the last bar announced. */
  private span = NaN;
  private announced = -Infinity;

  constructor(private readonly rest: AlpacaBroker, private readonly o: StreamingOptions) {
    this.name = rest.name;
    this.allowsReversal = rest.allowsReversal;
    this.capabilities = rest.capabilities;
    this.trading = new TradeUpdatesStream(this.streamOptions(o.tradingStreamUrl), o.now);
    this.trading.start();
  }

  private streamOptions(url: string) {
    return {
      url, keyId: this.o.keyId, secretKey: this.o.secretKey, socket: this.o.socket,
      notice: (n: StreamNotice) => this.notices.push({ where: `${n.stream} stream`, message: n.message, error: n.state === 'failed' }),
      ...(this.o.backoffMs !== undefined ? { backoffMs: this.o.backoffMs } : {}),
      ...(this.o.maxBackoffMs !== undefined ? { maxBackoffMs: this.o.maxBackoffMs } : {}),
      ...(this.o.heartbeatMs !== undefined ? { heartbeatMs: this.o.heartbeatMs } : {}),
    };
  }

  onBar(listener: () => void): () => void {
    this.barListeners.add(listener);
    return () => this.barListeners.delete(listener);
  }

  /** A minute bar came in: when every symbol now has the last minute of a bar not announced yet, wake the listeners. */
  private minuteIn(s: BarStream): void {
    if (!streamable(this.span)) return;
    let newest = Infinity;
    for (const x of s.symbols) newest = Math.min(newest, s.latestOf(x));
    const complete = barStart(newest + MINUTE, this.span) - this.span;
    if (!(complete > this.announced)) return;
    this.announced = complete;
    for (const f of [...this.barListeners]) f();
  }

  drainNotices(): BrokerNotice[] {
    return this.notices.splice(0);
  }

  close(): void {
    this.trading.stop();
    this.barStream?.stop();
  }

  account(): Promise<BrokerAccount> { return this.rest.account(); }
  clock(): Promise<BrokerClock> { return this.rest.clock(); }
  positions(): Promise<BrokerPosition[]> { return this.rest.positions(); }
  openOrders(): Promise<BrokerOrder[]> { return this.rest.openOrders(); }
  cancelOrder(id: string): Promise<void> { return this.rest.cancelOrder(id); }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    const bo = await this.rest.submitOrder(req);
    this.trading.remember(bo);
    return bo;
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const s = this.trading.lookup(clientOrderId, this.o.verifyMs ?? 60_000);
    if (s !== null) {
      this.served.orders++;
      return s;
    }
    const bo = await this.rest.orderByClientId(clientOrderId);
    if (bo !== null) this.trading.remember(bo);
    return bo;
  }

  /**
   * Bars from the minute stream when it can give them, aggregated to `timeframe` as Alpaca's REST does
   * (bar-aggregate.ts); else REST. The last bar asked for must be complete in the stream: every symbol's
   * minute bar for its last minute (or a later one) came in this session, waiting up to `barWaitMs`. Minutes
   * before the session's coverage (the stream started or came back late) are read from REST as minute bars and
   * aggregated with the streamed ones: REST for exactly what the stream missed.
   */
  async bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    const span = timeframeMs(timeframe);
    if (!streamable(span) || !(to >= from)) return this.rest.bars(symbols, timeframe, from, to);
    if (!this.barStream) {
      // Opened by the first intraday bar read, for the deployment's symbols: a daily strategy never opens it.
      const bs = new BarStream(this.streamOptions(this.o.dataStreamUrl), [...symbols]);
      bs.onBar = () => this.minuteIn(bs);
      this.barStream = bs;
      bs.start();
    }
    const s = this.barStream;
    this.span = span;
    // Bars up to `to` are the caller's now: only a later one is news.
    this.announced = Math.max(this.announced, barStart(to, span));
    // Bars start on multiples of the span: none in [from, to] means none to read (a tick inside a bar).
    const first = barStart(from + span - 1, span);
    if (first > to) return [];
    const lastMinute = barStart(to, span) + span - MINUTE;
    if (!symbols.every((x) => s.symbols.includes(x)) || !s.live || !(await s.waitFor(symbols, lastMinute, this.o.barWaitMs ?? 3000))) {
      return this.rest.bars(symbols, timeframe, from, to);
    }
    const covered = s.coveredFrom;
    const streamed = s.range(symbols, Math.max(first, covered), lastMinute);
    let missed: LiveBar[] = [];
    if (covered > first) {
      missed = await this.rest.bars(symbols, '1m', first, Math.min(covered - 1, lastMinute));
      this.served.gaps++;
    } else this.served.bars++;
    const out = span === MINUTE ? [...missed, ...streamed].sort((a, b) => a.time - b.time) : aggregateBars([...missed, ...streamed], span);
    return out.filter((b) => b.time >= from && b.time <= to);
  }
}
