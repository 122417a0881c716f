/**
 * One interface for every broker (DESIGN.md §3, live processor): the simulated broker, Alpaca, and the
 * adapters that follow. Numbers are numbers (the adapters parse the wire's strings); times are UTC epoch ms.
 */

import type { RateLimits } from '../lib/poll-floor.ts';

export interface BrokerAccount {
  /** The account number a live deployment names in its confirmation. */
  id: string;
  cash: number;
  equity: number;
  buyingPower: number;
}

export interface BrokerClock {
  time: number;
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/** One regular trading session of the exchange (UTC epoch ms): a half day closes early, a holiday has none. */
export interface Session {
  /** Exchange-local date, YYYY-MM-DD. */
  date: string;
  open: number;
  close: number;
}

export interface BrokerPosition {
  symbol: string;
  /** Signed: negative is short. */
  qty: number;
  avgPrice: number;
}

/** One execution of an order: a broker that reports only cumulative fills gets them as differences. */
export interface Execution {
  qty: number;
  price: number;
  fee: number;
  time: number;
}

export type BrokerOrderStatus = 'pending' | 'open' | 'partial' | 'filled' | 'cancelled' | 'expired' | 'rejected';

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  filledQty: number;
  /** Average price of what filled so far (null before any fill). */
  avgFillPrice: number | null;
  /** When it last filled, as the broker says (null: unknown, the processor's clock stands in). */
  filledAt: number | null;
  status: BrokerOrderStatus;
  /** Executions so far, in order (their quantities sum to filledQty). */
  executions: Execution[];
  /**
   * Commissions and fees charged for this order so far, for a broker that reports only totals (no executions):
   * each new execution made from the totals carries what was added since the last one.
   */
  fees?: number;
  /** Why the broker rejected, cancelled or clipped it, when it says. */
  reason: string | null;
  /**
   * Exit orders the broker placed for this order's position (relative exits of the simulated broker; the legs
   * of an OCO). Each carries why it closes the trade and the level that triggered it.
   */
  legs?: BrokerOrder[];
  exitReason?: 'stop' | 'target' | 'trail' | 'time';
  stopPrice?: number;
  limitPrice?: number;
}

export interface OrderRequest {
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  extendedHours: boolean;
  /** Beyond a market order (absent: market, time in force day). */
  spec?: OrderSpec;
}

/** Exit levels relative to the entry's fill price (engine OrderExits, JSON-safe). */
export interface RelativeExits {
  stopLoss: { mode: 'percent' | 'distance' | 'price'; value: number } | null;
  takeProfit: { mode: 'percent' | 'distance' | 'price'; value: number } | null;
  trail: { mode: 'percent' | 'distance'; value: number; byClose: boolean } | null;
  timeBars: number;
  timeMs: number;
  /** Time exit at the session close (needs the broker's session calendar, or a broker that keeps relative exits). */
  sessionClose: boolean;
}

/**
 * An order beyond market, prices absolute (null: none). `trailPercent`/`trailPrice`: a trailing stop's
 * distance. `ocoStopPrice`: the order is a one-cancels-other exit, a take-profit limit at `limitPrice` and a
 * stop-loss at this price. `exits`: exits the broker attaches to the position once this fills, relative to the
 * fill price (only where `capabilities.relativeExits`). Times in force "bar" and `expireAfterBars` are only sent
 * where `capabilities.barExpiry`; elsewhere the processor cancels the order itself. Time in force "close": a
 * market-on-close order (the session's closing auction), only where `exitOrders` has 'close'.
 */
export interface OrderSpec {
  type: 'market' | 'limit' | 'stop' | 'stopLimit' | 'trailingStop';
  limitPrice: number | null;
  stopPrice: number | null;
  trailPercent: number | null;
  trailPrice: number | null;
  ocoStopPrice: number | null;
  timeInForce: 'bar' | 'day' | 'gtc' | 'close';
  expireAfterBars: number;
  exits: RelativeExits | null;
}

/** What a broker places natively; the processor simulates the rest on completed bars (docs/LIVE.md). */
export interface BrokerCapabilities {
  /** Entry order types beyond market. */
  entries: ReadonlySet<'limit' | 'stop' | 'stopLimit'>;
  /** Times in force "bar" and expiry after N bars of the asset (only the simulated broker counts bars). */
  barExpiry: boolean;
  /** Keeps an entry's exits itself, armed at the fill price (the simulated broker: the backtest's own rules). */
  relativeExits: boolean;
  /** Exit orders for a held position: a stop, a limit, a one-cancels-other pair, a trailing stop, a market-on-close. */
  exitOrders: ReadonlySet<'stop' | 'limit' | 'oco' | 'trailingStop' | 'close'>;
  /** How long before a session's close the broker stops taking market-on-close orders. */
  closeCutoffMs?: number;
}

export const MARKET_ONLY: BrokerCapabilities = { entries: new Set(), barExpiry: false, relativeExits: false, exitOrders: new Set() };

/** What the processor knows of an order it looks up (brokers without a client order id match on it). */
export interface OrderLookup {
  /** The broker's id once the order was acknowledged (null: its send may or may not have arrived). */
  brokerId: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  spec: OrderSpec | null;
  /** The order was made at this time or later (the start of the bar that signalled it), epoch ms. */
  notBefore: number;
  /** Broker ids this deployment already holds for other orders: never this one. */
  owned: ReadonlySet<string>;
}

export interface LiveBar {
  symbol: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Something the broker's connection wants in the audit (a stream went down, came back, or failed for good). */
export interface BrokerNotice {
  where: string;
  message: string;
  /** An error (recorded as one) rather than a state change. */
  error: boolean;
}

export interface Broker {
  /** "sim", "alpaca-paper", "alpaca-live", … (shown in the audit; never a key). */
  readonly name: string;
  /** Whether one order may take a position through zero; otherwise a reversal is a close and an open order. */
  readonly allowsReversal: boolean;
  /** Order types placed at the broker (absent: market orders only). */
  readonly capabilities?: BrokerCapabilities;
  /** Its REST rate limits (src/lib/poll-floor.ts): the shortest poll interval follows from them. Absent: none (the simulated broker). */
  readonly rateLimits?: RateLimits;
  account(): Promise<BrokerAccount>;
  clock(): Promise<BrokerClock>;
  positions(): Promise<BrokerPosition[]>;
  openOrders(): Promise<BrokerOrder[]>;
  submitOrder(req: OrderRequest): Promise<BrokerOrder>;
  /**
   * null when the broker has no order with this client id (a definitive answer, not a failure). `lookup` is
   * what the processor knows of the order, for brokers that keep no client id (TradeStation matches on it).
   */
  orderByClientId(clientOrderId: string, lookup?: OrderLookup): Promise<BrokerOrder | null>;
  cancelOrder(id: string): Promise<void>;
  /** Start time of the last bar that is complete at `clock` (default: by timeframe and session, see feed.ts). */
  completedUntil?(clock: BrokerClock, timeframeMs: number): number;
  /**
   * The exchange's regular sessions whose date lies in [from, to] (UTC ms), in order: what a time exit at the
   * session close needs live (absent: such exits are refused, unless the broker keeps relative exits).
   */
  sessions?(from: number, to: number): Promise<Session[]>;
  /** Bars with start time in [from, to], every page. */
  bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]>;
  /**
   * Streaming brokers: calls `listener` when a stream brought what completes a bar of the timeframe last read,
   * for every symbol (the tick loop wakes for it rather than waiting for its next poll). Returns the unsubscribe.
   */
  onBar?(listener: () => void): () => void;
  /** Notices since the last call (streaming brokers), for the audit. */
  drainNotices?(): BrokerNotice[];
  /** Closes what the broker holds open (streams). */
  close?(): void;
}

/**
 * How a broker call failed. `ambiguous`: the request may have taken effect (timeout, 5xx, connection lost)
 * — an order is then looked up by its client id, never re-sent blindly. `refused`: the broker answered no
 * (4xx other than 429) — nothing happened. `rate-limited`: 429, try after `retryAfterMs`. `malformed`: the
 * broker answered something that is not what its protocol says.
 */
export type BrokerErrorKind = 'ambiguous' | 'refused' | 'rate-limited' | 'malformed';

export class BrokerError extends Error {
  override name = 'BrokerError';
  constructor(readonly kind: BrokerErrorKind, message: string, readonly status = 0, readonly retryAfterMs = 0) {
    super(message);
  }
}
