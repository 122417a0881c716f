/**
 * Alpaca with its streams in front of REST. Orders are still sent, cancelled and (after any doubt) looked up
 * by REST exactly as without streams, so the never-send-twice path is unchanged; the streams only answer the
 * two questions the processor asks every tick:
 * - "what became of order X?": from `trade_updates` when the stream has been live since X was last confirmed
 *   (same session) and within `verifyMs` (a silent half-open socket cannot hide a fill for longer); else REST,
 *   whose answer is then kept. After a reconnect every order is read by REST once: that is the reconciliation.
 * - "which minute bars completed?": from the bar stream when it has covered every minute since the last step
 *   and every symbol's bar for the last minute came in (waiting up to `barWaitMs`); else REST. Other
 *   timeframes always poll (Alpaca streams only minute bars and running daily bars).
 * Account, clock and positions stay REST: the broker's books are read after every tick, as before.
 */
import type { AlpacaBroker } from './alpaca.ts';
import { BarStream, TradeUpdatesStream, type SocketFactory, type StreamNotice } from './alpaca-stream.ts';
import type { Broker, BrokerAccount, BrokerCapabilities, BrokerClock, BrokerNotice, BrokerOrder, BrokerPosition, LiveBar, OrderRequest } from './broker.ts';

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
  now?: () => number;
}

export class StreamingAlpaca implements Broker {
  readonly name: string;
  readonly allowsReversal: boolean;
  readonly capabilities: BrokerCapabilities;
  readonly trading: TradeUpdatesStream;
  barStream: BarStream | null = null;
  /** Reads answered by a stream rather than REST (the audit of how much streaming did). */
  readonly served = { orders: 0, bars: 0 };
  private readonly notices: BrokerNotice[] = [];

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
    };
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

  async bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    if (timeframe !== '1m') return this.rest.bars(symbols, timeframe, from, to);
    if (!this.barStream) {
      // Opened by the first minute-bar read, for the deployment's symbols: a daily strategy never opens it.
      this.barStream = new BarStream(this.streamOptions(this.o.dataStreamUrl), [...symbols]);
      this.barStream.start();
    }
    const s = this.barStream;
    if (to >= from && symbols.every((x) => s.symbols.includes(x)) && s.covers(from) && await s.waitFor(symbols, to, this.o.barWaitMs ?? 3000) && s.covers(from)) {
      this.served.bars++;
      return s.range(symbols, from, to);
    }
    return this.rest.bars(symbols, timeframe, from, to);
  }
}
