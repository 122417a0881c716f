import { Zone } from '../lib/zone.ts';
import { BrokerError, type Broker, type BrokerAccount, type BrokerCapabilities, type BrokerClock, type BrokerOrder, type BrokerOrderStatus, type BrokerPosition, type LiveBar, type OrderRequest, type OrderSpec, type Session } from './broker.ts';
import { arrayOf, Fields, Http, type HttpOptions } from './http.ts';
import { RATE_LIMITS, type RateLimits } from '../lib/poll-floor.ts';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';

export interface AlpacaOptions {
  name: 'alpaca-paper' | 'alpaca-live';
  tradingUrl: string;
  dataUrl: string;
  keyId: string;
  secretKey: string;
  /** Extra headers (the proxy's bearer token). */
  headers?: Record<string, string>;
  /** Market data feed: iex (free) or sip. */
  feed?: 'iex' | 'sip';
  http?: Omit<HttpOptions, 'headers'>;
}

const DAY = 86_400_000;
const NY = new Zone('America/New_York');
const TIMEFRAME: Record<string, string> = {
  '1m': '1Min', '5m': '5Min', '15m': '15Min', '30m': '30Min', '1h': '1Hour', '4h': '4Hour', '1d': '1Day', '1w': '1Week', '1mo': '1Month',
};
const STATUS: Record<string, BrokerOrderStatus> = {
  new: 'open', accepted: 'open', pending_new: 'pending', accepted_for_bidding: 'open', calculated: 'open', held: 'open',
  partially_filled: 'partial', filled: 'filled', done_for_day: 'open', pending_cancel: 'open', pending_replace: 'open',
  stopped: 'open', suspended: 'open', canceled: 'cancelled', replaced: 'cancelled', expired: 'expired', rejected: 'rejected',
};
const MAX_PAGES = 1000;
const TYPE: Record<OrderSpec['type'], string> = { market: 'market', limit: 'limit', stop: 'stop', stopLimit: 'stop_limit', trailingStop: 'trailing_stop' };

/**
 * Alpaca takes limit, stop and stop-limit entries, and stop, limit, OCO, trailing-stop and market-on-close
 * (time in force `cls`) exits for a held position.
 */
export const ALPACA_CAPABILITIES: BrokerCapabilities = {
  entries: new Set(['limit', 'stop', 'stopLimit']), barExpiry: false, relativeExits: false, exitOrders: new Set(['stop', 'limit', 'oco', 'trailingStop', 'close']),
  // "cls" orders submitted after 15:50 New York are rejected.
  closeCutoffMs: 10 * 60_000,
};

/**
 * Alpaca: trading API v2 (account, clock, positions, orders, lookup by client order id, cancel) and market
 * data v2 (stock bars, every page), by REST polling. Market orders, time in force `day`: after the close
 * they wait for the next session's open, which is what a daily strategy's nextOpen fill means. Alpaca refuses
 * an order that would take a position through zero, so reversals go as two orders (allowsReversal false),
 * and it refuses a reused client order id, so a send after a lookup can never double an order.
 */
export class AlpacaBroker implements Broker {
  readonly name: string;
  readonly allowsReversal = false;
  readonly capabilities = ALPACA_CAPABILITIES;
  /** The REST rate limits the shortest poll interval follows from (src/lib/poll-floor.ts). */
  get rateLimits(): RateLimits | undefined {
    return RATE_LIMITS[this.name];
  }
  private readonly http: Http;

  constructor(private readonly o: AlpacaOptions) {
    this.name = o.name;
    this.http = new Http({ ...o.http, headers: { 'APCA-API-KEY-ID': o.keyId, 'APCA-API-SECRET-KEY': o.secretKey, ...o.headers } });
  }

  async account(): Promise<BrokerAccount> {
    const f = new Fields((await this.http.json('GET', `${this.o.tradingUrl}/v2/account`)).body, 'account');
    return { id: f.str('account_number'), cash: f.num('cash'), equity: f.num('equity'), buyingPower: f.num('buying_power') };
  }

  async clock(): Promise<BrokerClock> {
    const f = new Fields((await this.http.json('GET', `${this.o.tradingUrl}/v2/clock`)).body, 'clock');
    return { time: f.time('timestamp'), isOpen: f.bool('is_open'), nextOpen: f.time('next_open'), nextClose: f.time('next_close') };
  }

  /** GET /v2/calendar: each trading day's regular open and close, New York local "HH:MM" (half days close early). */
  async sessions(from: number, to: number): Promise<Session[]> {
    if (!(to >= from)) return [];
    const q = new URLSearchParams({ start: nyDate(Math.max(0, from)), end: nyDate(to) });
    const list = arrayOf((await this.http.json('GET', `${this.o.tradingUrl}/v2/calendar?${q}`)).body, 'calendar');
    return list.map((d, i) => {
      const f = new Fields(d, `calendar[${i}]`);
      return session(f.str('date'), f.str('open'), f.str('close'), `calendar[${i}]`);
    });
  }

  async positions(): Promise<BrokerPosition[]> {
    const list = arrayOf((await this.http.json('GET', `${this.o.tradingUrl}/v2/positions`)).body, 'positions');
    return list.map((p, i) => {
      const f = new Fields(p, `positions[${i}]`);
      const qty = f.num('qty');
      // Short positions: Alpaca sends a negative qty with side "short"; a positive one with "short" is still short.
      const short = (p as { side?: unknown }).side === 'short';
      return { symbol: f.str('symbol'), qty: short ? -Math.abs(qty) : qty, avgPrice: f.num('avg_entry_price') };
    });
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const list = arrayOf((await this.http.json('GET', `${this.o.tradingUrl}/v2/orders?status=open&limit=500`)).body, 'orders');
    return list.map((x, i) => order(x, `orders[${i}]`));
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    return order((await this.http.json('POST', `${this.o.tradingUrl}/v2/orders`, orderBody(req))).body, 'order');
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    try {
      const r = await this.http.json('GET', `${this.o.tradingUrl}/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}&nested=true`);
      return order(r.body, 'order');
    } catch (e) {
      if (e instanceof BrokerError && e.status === 404) return null;
      throw e;
    }
  }

  async cancelOrder(id: string): Promise<void> {
    try {
      await this.http.json('DELETE', `${this.o.tradingUrl}/v2/orders/${encodeURIComponent(id)}`);
    } catch (e) {
      // 422: no longer cancelable (it filled or was cancelled meanwhile) — the next lookup tells which.
      if (!(e instanceof BrokerError && e.status === 422)) throw e;
    }
  }

  async bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    const tf = TIMEFRAME[timeframe];
    if (!tf) throw new BrokerError('refused', `Alpaca has no ${timeframe} bars`);
    if (!(to >= from)) return [];
    const daily = timeframe === '1d' || timeframe === '1w' || timeframe === '1mo';
    const out: LiveBar[] = [];
    let token: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = new URLSearchParams({
        symbols: symbols.join(','), timeframe: tf, start: iso(Math.max(0, from)), end: iso(to), limit: '10000', adjustment: 'raw', feed: this.o.feed ?? 'iex',
      });
      if (token) q.set('page_token', token);
      const f = new Fields((await this.http.json('GET', `${this.o.dataUrl}/v2/stocks/bars?${q}`)).body, 'bars');
      const bySymbol = f.raw('bars') ?? {};
      if (typeof bySymbol !== 'object' || bySymbol === null) throw new BrokerError('malformed', 'bars: field "bars" is not an object');
      for (const [symbol, list] of Object.entries(bySymbol)) {
        arrayOf(list, `bars.${symbol}`).forEach((b, i) => {
          const g = new Fields(b, `bars.${symbol}[${i}]`);
          const t = g.time('t');
          // Daily bars are stamped at midnight New York time; the engine stamps a session at UTC midnight of its date.
          out.push({ symbol, time: daily ? Math.floor(t / DAY) * DAY : t, open: g.num('o'), high: g.num('h'), low: g.num('l'), close: g.num('c'), volume: g.num('v') });
        });
      }
      const next = f.raw('next_page_token');
      if (typeof next !== 'string' || next === '') return out.filter((b) => b.time >= from && b.time <= to);
      token = next;
    }
    throw new BrokerError('malformed', `bars: more than ${MAX_PAGES} pages`);
  }
}

/**
 * The POST body. Times in force: day or gtc ("bar" and expiry after N bars are the processor's cancels). An
 * exit pair is an OCO order: the take-profit limit is the order, the stop-loss its leg. Prices go to the cent
 * (to 1/100 cent under $1), as Alpaca refuses sub-penny prices.
 */
export function orderBody(req: OrderRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: req.symbol, qty: String(req.qty), side: req.side, type: 'market', time_in_force: 'day', client_order_id: req.clientOrderId,
  };
  const s = req.spec;
  if (!s) return body;
  body.type = TYPE[s.type];
  body.time_in_force = s.timeInForce === 'gtc' ? 'gtc' : s.timeInForce === 'close' ? 'cls' : 'day';
  if (s.ocoStopPrice !== null) {
    body.order_class = 'oco';
    body.take_profit = { limit_price: tick(s.limitPrice!) };
    body.stop_loss = { stop_price: tick(s.ocoStopPrice) };
    return body;
  }
  if (s.limitPrice !== null) body.limit_price = tick(s.limitPrice);
  if (s.stopPrice !== null) body.stop_price = tick(s.stopPrice);
  if (s.trailPercent !== null) body.trail_percent = String(s.trailPercent);
  if (s.trailPrice !== null) body.trail_price = tick(s.trailPrice);
  return body;
}

function tick(p: number): string {
  return p >= 1 ? p.toFixed(2) : p.toFixed(4);
}

/**
 * An order from the wire. An OCO exit (the take-profit limit with the stop-loss as its leg) reads as one
 * order: filled by whichever leg filled, with that leg's fills and `exitReason`.
 */
export function order(x: unknown, what: string): BrokerOrder {
  const o = single(x, what);
  const legs = (x as { legs?: unknown }).legs;
  if ((x as { order_class?: unknown }).order_class !== 'oco' || !Array.isArray(legs) || legs.length === 0) return o;
  const stop = single(legs[0], `${what}.legs[0]`);
  const filled = stop.filledQty > 0 ? stop : o;
  const status: BrokerOrderStatus = stop.filledQty > 0 || o.filledQty > 0 ? filled.status
    : o.status === 'cancelled' && stop.status === 'cancelled' ? 'cancelled' : o.status === 'rejected' || stop.status === 'rejected' ? 'rejected' : 'open';
  return { ...o, filledQty: filled.filledQty, avgFillPrice: filled.avgFillPrice, filledAt: filled.filledAt, status, exitReason: stop.filledQty > 0 ? 'stop' : 'target', reason: status === o.status ? o.reason : stop.reason };
}

function single(x: unknown, what: string): BrokerOrder {
  const f = new Fields(x, what);
  const raw = f.str('status');
  const status = STATUS[raw];
  if (!status) throw new BrokerError('malformed', `${what}: unknown status ${JSON.stringify(raw.slice(0, 40))}`);
  const side = f.str('side');
  if (side !== 'buy' && side !== 'sell') throw new BrokerError('malformed', `${what}: side ${JSON.stringify(side.slice(0, 20))}`);
  const filledQty = f.num('filled_qty');
  const avg = f.numOrNull('filled_avg_price');
  if (filledQty > 0 && avg === null) throw new BrokerError('malformed', `${what}: filled ${filledQty} without a filled_avg_price`);
  return {
    id: f.str('id'), clientOrderId: f.str('client_order_id'), symbol: f.str('symbol'), side, qty: f.num('qty'),
    filledQty, avgFillPrice: avg, filledAt: filledAt(f), status, executions: [],
    reason: status === 'rejected' ? 'rejected by Alpaca' : status === 'expired' ? 'expired at Alpaca' : status === 'cancelled' ? `${raw} at Alpaca` : null,
  };
}

function filledAt(f: Fields): number | null {
  const v = f.raw('filled_at');
  return typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null;
}

/** The New York date of UTC time t. */
function nyDate(t: number): string {
  return new Date(NY.toLocal(t)).toISOString().slice(0, 10);
}

/** A session from an exchange-local date and "HH:MM" (or "HHMM") open and close, New York time. */
export function session(date: string, open: string, close: string, what: string): Session {
  const at = (hm: string) => {
    const m = /^(\d{2}):?(\d{2})$/.exec(hm);
    const day = Date.parse(`${date}T00:00:00Z`);
    if (!m || !Number.isFinite(day)) throw new BrokerError('malformed', `${what}: ${JSON.stringify(`${date} ${hm}`.slice(0, 40))} is not a date and time`);
    return NY.toUtc(day + (Number(m[1]) * 60 + Number(m[2])) * 60_000);
  };
  const s = { date, open: at(open), close: at(close) };
  if (!(s.close > s.open)) throw new BrokerError('malformed', `${what}: the session closes before it opens`);
  return s;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
