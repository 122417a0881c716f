import { Zone } from '../lib/zone.ts';
import { session } from './alpaca.ts';
import { BrokerError, type Broker, type BrokerAccount, type BrokerCapabilities, type BrokerClock, type BrokerOrder, type BrokerOrderStatus, type BrokerPosition, type LiveBar, type OrderRequest, type Session } from './broker.ts';
import { Fields, Http, type HttpOptions } from './http.ts';
import { RATE_LIMITS, type RateLimits } from '../lib/poll-floor.ts';

export const TRADIER_LIVE_URL = 'https://api.tradier.com';
export const TRADIER_SANDBOX_URL = 'https://sandbox.tradier.com';

export interface TradierOptions {
  name: 'tradier-sandbox' | 'tradier-live';
  /** Base URL without /v1 (sandbox, live, the proxy's route, or a test's fake). */
  url: string;
  token: string;
  accountId: string;
  /** Extra headers (the proxy's bearer token goes in Authorization; the Tradier token then comes from the vault). */
  headers?: Record<string, string>;
  http?: Omit<HttpOptions, 'headers'>;
}

const DAY = 86_400_000;
const NY = new Zone('America/New_York');
const STATUS: Record<string, BrokerOrderStatus> = {
  pending: 'pending', open: 'open', partially_filled: 'partial', filled: 'filled', expired: 'expired', canceled: 'cancelled', rejected: 'rejected', error: 'rejected',
  calculated: 'open', accepted_for_bidding: 'open', held: 'open', pending_cancel: 'open',
};
const INTERVAL: Record<string, string> = { '1m': '1min', '5m': '5min', '15m': '15min' };

/**
 * Tradier takes limit, stop and stop-limit orders (entries, and a lone stop or take-profit exit) and one-cancels-
 * other exits (class=oco: a take-profit limit leg and a stop leg).
 */
export const TRADIER_CAPABILITIES: BrokerCapabilities = {
  entries: new Set(['limit', 'stop', 'stopLimit']), barExpiry: false, relativeExits: false, exitOrders: new Set(['stop', 'limit', 'oco']),
};

/**
 * Tradier brokerage API v1 (sandbox and live), by REST polling: balances, clock, positions, orders (form-encoded,
 * whole shares), lookup by tag, cancel, daily history and intraday time-and-sales bars.
 * Idempotency: Tradier has no client order id; an order carries a `tag` (letters, digits, '-', ≤ 255), which
 * Tradier does not require to be unique. The adapter tags every order with its client id and looks it up by
 * listing the account's orders (`includeTags=true`) and matching the tag: the processor never re-sends after an
 * ambiguous failure until that list says the order is not there (docs/LIVE.md states what that list covers).
 * Sides: Tradier wants buy_to_cover / sell_short when a buy closes a short or a sell opens one, so the adapter
 * reads the position before each order; a position cannot go through zero in one order (allowsReversal false).
 */
export class TradierBroker implements Broker {
  readonly name: string;
  readonly allowsReversal = false;
  readonly capabilities = TRADIER_CAPABILITIES;
  /** The REST rate limits the shortest poll interval follows from (src/lib/poll-floor.ts). */
  get rateLimits(): RateLimits | undefined {
    return RATE_LIMITS[this.name];
  }
  private readonly http: Http;
  private readonly base: string;

  constructor(private readonly o: TradierOptions) {
    this.name = o.name;
    this.http = new Http({ ...o.http, headers: { authorization: `Bearer ${o.token}`, ...o.headers } });
    this.base = `${o.url.replace(/\/$/, '')}/v1`;
  }

  private account_(path: string): string {
    return `${this.base}/accounts/${encodeURIComponent(this.o.accountId)}${path}`;
  }

  async account(): Promise<BrokerAccount> {
    const b = new Fields(new Fields((await this.http.json('GET', this.account_('/balances'))).body, 'balances').raw('balances'), 'balances');
    const cash = b.num('total_cash');
    const margin = b.raw('margin') as Record<string, unknown> | undefined, cashAcct = b.raw('cash') as Record<string, unknown> | undefined;
    const bp = margin && margin.stock_buying_power !== undefined ? new Fields(margin, 'balances.margin').num('stock_buying_power')
      : cashAcct && cashAcct.cash_available !== undefined ? new Fields(cashAcct, 'balances.cash').num('cash_available') : cash;
    return { id: String(b.raw('account_number') ?? this.o.accountId), cash, equity: b.num('total_equity'), buyingPower: bp };
  }

  async clock(): Promise<BrokerClock> {
    const c = new Fields(new Fields((await this.http.json('GET', `${this.base}/markets/clock`)).body, 'clock').raw('clock'), 'clock');
    const time = c.num('timestamp') * 1000;
    const state = c.str('state');
    const isOpen = state === 'open';
    // Tradier's clock says the session's state, not the next open: after the regular close (16:00 New York) the
    // next open is on a later date; before it, today (what the daily feed rule needs, feed.ts).
    const local = time + NY.offsetAt(time);
    const afterClose = local - Math.floor(local / DAY) * DAY >= 16 * 3_600_000;
    return { time, isOpen, nextOpen: isOpen ? time : afterClose ? Math.floor(local / DAY) * DAY + DAY : time, nextClose: time };
  }

  /**
   * GET /v1/markets/calendar?month&year, one request per month: days with status "open" and their regular
   * `open.start` / `open.end` (New York "HH:MM"; a half day ends early). Tradier has no market-on-close order
   * here, so a session close is simulated: see LiveVenue.sessionEndsNext.
   */
  async sessions(from: number, to: number): Promise<Session[]> {
    if (!(to >= from)) return [];
    const out: Session[] = [];
    const start = new Date(Math.max(0, from)), end = new Date(to);
    for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); y < end.getUTCFullYear() || (y === end.getUTCFullYear() && m <= end.getUTCMonth()); m === 11 ? (y++, m = 0) : m++) {
      const q = new URLSearchParams({ month: String(m + 1).padStart(2, '0'), year: String(y) });
      const cal = new Fields(new Fields((await this.http.json('GET', `${this.base}/markets/calendar?${q}`)).body, 'calendar').raw('calendar'), 'calendar');
      listOf({ days: cal.raw('days') }, 'days', 'day').forEach((d, i) => {
        const f = new Fields(d, `calendar.days.day[${i}]`);
        if (f.str('status') !== 'open') return;
        const hours = new Fields(f.raw('open'), `calendar.days.day[${i}].open`);
        const s = session(f.str('date'), hours.str('start'), hours.str('end'), `calendar.days.day[${i}]`);
        if (s.close >= from - DAY && s.open <= to + DAY) out.push(s);
      });
    }
    return out;
  }

  async positions(): Promise<BrokerPosition[]> {
    return listOf((await this.http.json('GET', this.account_('/positions'))).body, 'positions', 'position').map((p, i) => {
      const f = new Fields(p, `positions[${i}]`);
      const qty = f.num('quantity');
      return { symbol: f.str('symbol'), qty, avgPrice: qty === 0 ? 0 : Math.abs(f.num('cost_basis') / qty) };
    });
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return (await this.orders()).filter((o) => o.status === 'open' || o.status === 'partial' || o.status === 'pending');
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    const pos = (await this.positions()).find((p) => p.symbol === req.symbol)?.qty ?? 0;
    const side = req.side === 'buy' ? (pos < 0 ? 'buy_to_cover' : 'buy') : pos > 0 ? 'sell' : 'sell_short';
    if (!Number.isInteger(req.qty)) throw new BrokerError('refused', `Tradier takes whole shares only (${req.qty} ${req.symbol})`);
    const s = req.spec;
    if (s && (s.type === 'trailingStop' || s.timeInForce === 'close')) throw new BrokerError('refused', `Tradier: ${s.type === 'trailingStop' ? 'trailing stop' : 'market-on-close'} orders are not sent by this adapter`);
    const form: Record<string, string> = s?.ocoStopPrice != null ? ocoForm(req, side, s.limitPrice!, s.ocoStopPrice) : {
      class: 'equity', symbol: req.symbol, side, quantity: String(req.qty), type: s ? { market: 'market', limit: 'limit', stop: 'stop', stopLimit: 'stop_limit' }[s.type as 'market'] : 'market',
      duration: s?.timeInForce === 'gtc' ? 'gtc' : 'day', tag: tagOf(req.clientOrderId),
    };
    if (s?.limitPrice != null && form.class === 'equity') form.price = cents(s.limitPrice);
    if (s?.stopPrice != null) form.stop = cents(s.stopPrice);
    const r = new Fields((await this.http.json('POST', this.account_('/orders'), form, true)).body, 'order');
    const ok = new Fields(r.raw('order'), 'order');
    const id = ok.raw('id');
    if (typeof id !== 'number' && typeof id !== 'string') throw new BrokerError('malformed', 'order: field "id" is missing');
    return { id: String(id), clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, qty: req.qty, filledQty: 0, avgFillPrice: null, filledAt: null, status: 'pending', executions: [], reason: null };
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const tag = tagOf(clientOrderId);
    const found = (await this.orders()).filter((o) => o.clientOrderId === tag);
    // Tradier does not refuse a reused tag: two orders with ours would mean something sent one outside this deployment.
    if (found.length > 1) throw new BrokerError('malformed', `order tag ${tag}: ${found.length} orders at Tradier carry it`);
    return found[0] ? { ...found[0], clientOrderId } : null;
  }

  async cancelOrder(id: string): Promise<void> {
    try {
      await this.http.json('DELETE', this.account_(`/orders/${encodeURIComponent(id)}`));
    } catch (e) {
      // 400: no longer cancelable (filled, cancelled or expired meanwhile) — the next lookup says which.
      if (!(e instanceof BrokerError && e.status === 400)) throw e;
    }
  }

  async bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    if (!(to >= from)) return [];
    const out: LiveBar[] = [];
    const interval = INTERVAL[timeframe];
    if (timeframe !== '1d' && !interval) throw new BrokerError('refused', `Tradier has no ${timeframe} bars (1m, 5m, 15m, 1d)`);
    for (const symbol of symbols) {
      if (timeframe === '1d') {
        const q = new URLSearchParams({ symbol, interval: 'daily', start: day(Math.max(0, from)), end: day(to) });
        listOf((await this.http.json('GET', `${this.base}/markets/history?${q}`)).body, 'history', 'day').forEach((b, i) => {
          const f = new Fields(b, `history.day[${i}]`);
          const t = Date.parse(`${f.str('date')}T00:00:00Z`);
          out.push({ symbol, time: t, open: f.num('open'), high: f.num('high'), low: f.num('low'), close: f.num('close'), volume: f.num('volume') });
        });
      } else {
        const local = (t: number) => new Date(t + NY.offsetAt(t)).toISOString().slice(0, 16).replace('T', ' ');
        const q = new URLSearchParams({ symbol, interval: interval!, start: local(Math.max(0, from)), end: local(to), session_filter: 'open' });
        listOf((await this.http.json('GET', `${this.base}/markets/timesales?${q}`)).body, 'series', 'data').forEach((b, i) => {
          const f = new Fields(b, `series.data[${i}]`);
          out.push({ symbol, time: f.num('timestamp') * 1000, open: f.num('open'), high: f.num('high'), low: f.num('low'), close: f.num('close'), volume: f.num('volume') });
        });
      }
    }
    return out.filter((b) => b.time >= from && b.time <= to);
  }

  private async orders(): Promise<BrokerOrder[]> {
    return listOf((await this.http.json('GET', this.account_('/orders?includeTags=true'))).body, 'orders', 'order').map((x, i) => order(x, `orders[${i}]`));
  }
}

/** Tradier tags allow letters, digits and '-': anything else in a client id (a symbol's '.') becomes '-'. */
export function tagOf(clientOrderId: string): string {
  return clientOrderId.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 255);
}

/**
 * A one-cancels-other exit: class=oco with indexed legs, [0] the take-profit limit, [1] the stop-loss, both
 * closing the same position (`gtc`), tagged with the client id like any other order.
 */
function ocoForm(req: OrderRequest, side: string, limit: number, stop: number): Record<string, string> {
  const leg = (i: number) => ({ [`symbol[${i}]`]: req.symbol, [`side[${i}]`]: side, [`quantity[${i}]`]: String(req.qty) });
  return {
    class: 'oco', duration: 'gtc', tag: tagOf(req.clientOrderId),
    ...leg(0), 'type[0]': 'limit', 'price[0]': cents(limit),
    ...leg(1), 'type[1]': 'stop', 'stop[1]': cents(stop),
  };
}

/** An OCO from the wire reads as one order: filled by whichever leg filled, with that leg's fill and exit reason. */
function order(x: unknown, what: string): BrokerOrder {
  const raw = x as { class?: unknown; leg?: unknown };
  if (raw.class === 'oco' && raw.leg !== undefined) {
    // One leg comes as an object, not a one-element list (Tradier's list wrapping, as listOf reads it).
    const rawLegs = (Array.isArray(raw.leg) ? raw.leg : [raw.leg]) as { side?: unknown; type?: unknown }[];
    const legs = rawLegs.map((l, i) => ({ o: single(l, `${what}.leg[${i}]`), stop: l.type === 'stop' }));
    const parent = single({ ...(x as object), symbol: legs[0]?.o.symbol, side: rawLegs[0]?.side ?? 'sell', quantity: legs[0]?.o.qty }, what);
    const hit = legs.find((l) => l.o.filledQty > 0);
    const status: BrokerOrderStatus = hit ? hit.o.status : legs.every((l) => l.o.status === 'cancelled') ? 'cancelled' : legs.some((l) => l.o.status === 'rejected') ? 'rejected' : 'open';
    return { ...parent, status, filledQty: hit?.o.filledQty ?? 0, avgFillPrice: hit?.o.avgFillPrice ?? null, filledAt: hit?.o.filledAt ?? null, reason: hit?.o.reason ?? parent.reason, ...(hit ? { exitReason: hit.stop ? 'stop' as const : 'target' as const } : {}) };
  }
  return single(x, what);
}

function single(x: unknown, what: string): BrokerOrder {
  const f = new Fields(x, what);
  const raw = f.str('status');
  const status = STATUS[raw];
  if (!status) throw new BrokerError('malformed', `${what}: unknown status ${JSON.stringify(raw.slice(0, 40))}`);
  const side = f.str('side');
  const filledQty = f.numOrNull('exec_quantity') ?? 0;
  const avg = filledQty > 0 ? f.num('avg_fill_price') : null;
  const tx = f.raw('transaction_date');
  const id = f.raw('id');
  return {
    id: String(id), clientOrderId: typeof f.raw('tag') === 'string' ? (f.raw('tag') as string) : '', symbol: f.str('symbol'),
    side: side === 'buy' || side === 'buy_to_cover' ? 'buy' : 'sell', qty: f.num('quantity'), filledQty, avgFillPrice: avg,
    filledAt: filledQty > 0 && typeof tx === 'string' && Number.isFinite(Date.parse(tx)) ? Date.parse(tx) : null, status, executions: [],
    reason: status === 'rejected' ? `${raw} at Tradier${typeof f.raw('reason_description') === 'string' ? `: ${(f.raw('reason_description') as string).slice(0, 200)}` : ''}` : status === 'expired' ? 'expired at Tradier' : status === 'cancelled' ? 'canceled at Tradier' : null,
  };
}

/**
 * Tradier wraps lists: {"orders": {"order": [...]}} — one element comes as an object, none as "null" (a string)
 * or null. Returns the elements.
 */
function listOf(body: unknown, outer: string, inner: string): unknown[] {
  const o = new Fields(body, outer).raw(outer);
  if (o === null || o === 'null' || o === undefined) return [];
  const v = new Fields(o, outer).raw(inner);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function cents(p: number): string {
  return p >= 1 ? p.toFixed(2) : p.toFixed(4);
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
