import { wallClock } from '../lib/clock.ts';
import { Zone } from '../lib/zone.ts';
import { nyseSession } from '../lib/nyse-calendar.ts';
import {
  BrokerError, type Broker, type BrokerAccount, type BrokerCapabilities, type BrokerClock, type BrokerOrder, type BrokerOrderStatus,
  type BrokerPosition, type LiveBar, type OrderLookup, type OrderRequest, type Session,
} from './broker.ts';
import { arrayOf, Fields, Http, type HttpOptions } from './http.ts';
import type { TradeStationTokens } from './tradestation-auth.ts';
import { RATE_LIMITS, type RateLimits } from '../lib/poll-floor.ts';

export const TRADESTATION_LIVE_URL = 'https://api.tradestation.com';
export const TRADESTATION_SIM_URL = 'https://sim-api.tradestation.com';

export interface TradeStationOptions {
  name: 'tradestation-sim' | 'tradestation-live';
  /** Base URL (api / sim-api.tradestation.com, the proxy's route, or a test's fake). */
  url: string;
  accountId: string;
  /** Access tokens (null: a vault-mode proxy holds the refresh token and adds them). */
  tokens: TradeStationTokens | null;
  /** Extra headers (a vault-mode proxy's bearer token). */
  headers?: Record<string, string>;
  /** The time the market clock reads (TradeStation has no clock endpoint); injected in tests. */
  now?: () => number;
  /** An order that is not listed yet this soon after its send is reported as unknown, not as absent (ms). */
  settleMs?: number;
  /** Most bars one barcharts request may span (TradeStation: 57,600). */
  maxBarsPerRequest?: number;
  http?: Omit<HttpOptions, 'headers'>;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const NY = new Zone('America/New_York');
const MAX_PAGES = 200;

/**
 * TradeStation's status codes by outcome. FLP ("partial fill, UROut") is a partial fill whose rest is out: it
 * reads as cancelled with its fills. Anything else TradeStation lists as open stays open.
 */
const STATUS: Record<string, BrokerOrderStatus> = {
  ACK: 'pending', DON: 'pending', PLA: 'pending', REC: 'pending',
  OPN: 'open', ASS: 'open', BRC: 'open', BRF: 'open', CHG: 'open', CND: 'open', COR: 'open', CSN: 'open', DIS: 'open', ECN: 'open',
  EXE: 'open', LAT: 'open', OSO: 'open', OTHER: 'open', RJC: 'open', RPD: 'open', RSN: 'open', STP: 'open', STT: 'open', SUS: 'open', UCN: 'open',
  FPR: 'partial', FLL: 'filled', FLP: 'cancelled',
  CAN: 'cancelled', OUT: 'cancelled', RJR: 'cancelled', SCN: 'cancelled', TSC: 'cancelled', UCH: 'cancelled',
  EXP: 'expired', REJ: 'rejected', DOA: 'rejected', BRO: 'rejected',
};
const ORDER_TYPE = { market: 'Market', limit: 'Limit', stop: 'StopMarket', stopLimit: 'StopLimit', trailingStop: 'StopMarket' } as const;
/** Bar units and intervals by the engine's timeframes. */
const BARS: Record<string, { unit: 'Minute' | 'Daily' | 'Weekly' | 'Monthly'; interval: number }> = {
  '1m': { unit: 'Minute', interval: 1 }, '5m': { unit: 'Minute', interval: 5 }, '15m': { unit: 'Minute', interval: 15 },
  '30m': { unit: 'Minute', interval: 30 }, '1h': { unit: 'Minute', interval: 60 }, '4h': { unit: 'Minute', interval: 240 },
  '1d': { unit: 'Daily', interval: 1 }, '1w': { unit: 'Weekly', interval: 1 }, '1mo': { unit: 'Monthly', interval: 1 },
};

/** TradeStation takes limit, stop and stop-limit entries, and stop, limit and trailing-stop exits for a held position. */
export const TRADESTATION_CAPABILITIES: BrokerCapabilities = {
  entries: new Set(['limit', 'stop', 'stopLimit']), barExpiry: false, relativeExits: false, exitOrders: new Set(['stop', 'limit', 'trailingStop']),
};

/**
 * TradeStation API v3 (simulator and live), by REST polling: balances, positions, orders (place, list, look up,
 * cancel) and barcharts, with OAuth 2 access tokens refreshed before they expire and again on a 401.
 *
 * Idempotency: TradeStation keeps no client order id and echoes no free-form tag, so an order whose send had an
 * unknown outcome is found by what it is: same symbol, side, quantity, order type and prices, opened no earlier
 * than the bar that signalled it, and not an order this deployment already holds. One match is the order; none
 * (once `settleMs` has passed since this process's send) means it never arrived; several make the lookup fail,
 * so the processor keeps asking and never sends again. docs/LIVE.md states what this cannot tell apart.
 * Sides: TradeStation wants SELLSHORT / BUYTOCOVER when a sell opens a short or a buy closes one, so the adapter
 * reads the position before each order; a position never goes through zero in one order (allowsReversal false).
 */
export class TradeStationBroker implements Broker {
  readonly name: string;
  readonly allowsReversal = false;
  readonly capabilities = TRADESTATION_CAPABILITIES;
  /** The REST rate limits the shortest poll interval follows from (src/lib/poll-floor.ts). */
  get rateLimits(): RateLimits | undefined {
    return RATE_LIMITS[this.name];
  }
  private readonly http: Http;
  private readonly base: string;
  private readonly now: () => number;
  /** When this process sent each client id (the settle window of a lookup that finds nothing). */
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly o: TradeStationOptions) {
    this.name = o.name;
    this.http = new Http({ ...o.http, headers: { ...o.headers } });
    this.base = o.url.replace(/\/$/, '');
    this.now = o.now ?? (() => wallClock.now());
  }

  /** A call with the current access token; a 401 drops the token and tries once more with a fresh one. */
  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = this.o.tokens ? await this.o.tokens.token() : null;
      try {
        return (await this.http.json(method, `${this.base}${path}`, body, false, token ? { authorization: `Bearer ${token}` } : undefined)).body;
      } catch (e) {
        // A 401 is answered before anything is done, so even a POST may go again (through a vault-mode proxy,
        // which dropped the token it injected, as well).
        if (!(e instanceof BrokerError && e.status === 401 && attempt === 0)) throw e;
        if (token !== null) this.o.tokens!.invalidate(token);
      }
    }
  }

  private get acct(): string {
    return encodeURIComponent(this.o.accountId);
  }

  async account(): Promise<BrokerAccount> {
    const list = listed(await this.call('GET', `/v3/brokerage/accounts/${this.acct}/balances`), 'Balances');
    const b = list[0];
    if (b === undefined) throw new BrokerError('refused', `balances: TradeStation lists no account ${this.o.accountId}`);
    const f = new Fields(b, 'balances[0]');
    return { id: f.str('AccountID'), cash: f.num('CashBalance'), equity: f.num('Equity'), buyingPower: f.num('BuyingPower') };
  }

  /**
   * TradeStation has no market clock: the NYSE's regular session by rule (src/lib/nyse-calendar.ts: 09:30–16:00
   * New York, holidays closed, 13:00 on early-close days) by the local clock.
   */
  async clock(): Promise<BrokerClock> {
    return sessionClock(this.now());
  }

  /** TradeStation publishes no calendar: the NYSE's sessions by rule, so time exits at the session close work here. */
  async sessions(from: number, to: number): Promise<Session[]> {
    return nyseSessions(from, to);
  }

  async positions(): Promise<BrokerPosition[]> {
    return listed(await this.call('GET', `/v3/brokerage/accounts/${this.acct}/positions`), 'Positions').map((p, i) => {
      const f = new Fields(p, `positions[${i}]`);
      const qty = f.num('Quantity');
      // Quantity is negative for a short; LongShort says so too when a gateway sends it unsigned.
      const short = f.raw('LongShort') === 'Short';
      return { symbol: f.str('Symbol'), qty: short ? -Math.abs(qty) : qty, avgPrice: f.num('AveragePrice') };
    });
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return (await this.todaysOrders()).filter((o) => o.status === 'open' || o.status === 'partial' || o.status === 'pending');
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    if (!Number.isInteger(req.qty) || req.qty <= 0) throw new BrokerError('refused', `TradeStation takes whole shares only (${req.qty} ${req.symbol})`);
    const s = req.spec;
    if (s?.ocoStopPrice != null) throw new BrokerError('refused', 'TradeStation: OCO exit pairs are not sent by this adapter (the processor simulates them)');
    const pos = (await this.positions()).find((p) => p.symbol === req.symbol)?.qty ?? 0;
    const body: Record<string, unknown> = {
      AccountID: this.o.accountId, Symbol: req.symbol, Quantity: String(req.qty), OrderType: ORDER_TYPE[s?.type ?? 'market'],
      TradeAction: req.side === 'buy' ? (pos < 0 ? 'BUYTOCOVER' : 'BUY') : pos > 0 ? 'SELL' : 'SELLSHORT',
      TimeInForce: { Duration: s?.timeInForce === 'gtc' ? 'GTC' : 'DAY' }, Route: 'Intelligent',
    };
    if (s?.limitPrice != null) body.LimitPrice = cents(s.limitPrice);
    if (s?.stopPrice != null) body.StopPrice = cents(s.stopPrice);
    if (s?.type === 'trailingStop') {
      body.AdvancedOptions = { TrailingStop: s.trailPercent !== null ? { Percent: String(s.trailPercent) } : { Amount: cents(s.trailPrice!) } };
    }
    this.sentAt.set(req.clientOrderId, this.now());
    const r = new Fields(await this.call('POST', '/v3/orderexecution/orders', body), 'order');
    const placed = arrayOf(r.raw('Orders') ?? [], 'order.Orders');
    const id = placed[0] === undefined ? undefined : new Fields(placed[0], 'order.Orders[0]').raw('OrderID');
    if (typeof id !== 'string' || id === '') {
      // TradeStation answers some refusals with 200 and an Errors list: nothing was placed.
      const err = arrayOf(r.raw('Errors') ?? [], 'order.Errors')[0] as { Message?: unknown; Error?: unknown } | undefined;
      if (err) throw new BrokerError('refused', `POST /v3/orderexecution/orders: ${String(err.Message ?? err.Error ?? 'refused').slice(0, 200)}`);
      throw new BrokerError('malformed', 'order: field "OrderID" is missing');
    }
    return { id, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, qty: req.qty, filledQty: 0, avgFillPrice: null, filledAt: null, status: 'pending', executions: [], reason: null };
  }

  async orderByClientId(clientOrderId: string, lookup?: OrderLookup): Promise<BrokerOrder | null> {
    if (!lookup) throw new BrokerError('refused', `TradeStation keeps no client order id: order ${clientOrderId} can only be found from what the processor knows of it`);
    if (lookup.brokerId !== null) {
      const o = await this.byId(lookup.brokerId, lookup.notBefore);
      return o ? { ...o, clientOrderId } : null;
    }
    const candidates = (await this.since(lookup.notBefore)).filter((o) => matches(o, lookup));
    if (candidates.length > 1) {
      throw new BrokerError('malformed', `order ${clientOrderId}: ${candidates.length} TradeStation orders match it (${lookup.side} ${lookup.qty} ${lookup.symbol}); which one is this deployment's cannot be told — check the account`);
    }
    if (candidates.length === 1) return { ...candidates[0]!, clientOrderId };
    // TradeStation may list an accepted order a moment late: "absent" only once that moment has passed.
    // An order this process never sent (a restart after an unknown send) was sent before its first lookup
    // here, so the wait counts from that lookup: a restart inside the moment must not send it twice.
    let sent = this.sentAt.get(clientOrderId);
    if (sent === undefined) {
      sent = this.now();
      this.sentAt.set(clientOrderId, sent);
    }
    if (this.now() - sent < (this.o.settleMs ?? 30_000)) {
      throw new BrokerError('ambiguous', `order ${clientOrderId}: not listed by TradeStation yet; looking again before anything is sent`);
    }
    return null;
  }

  async cancelOrder(id: string): Promise<void> {
    try {
      await this.call('DELETE', `/v3/orderexecution/orders/${encodeURIComponent(id)}`);
    } catch (e) {
      // 400/404: no longer cancelable (filled, cancelled or expired meanwhile) — the next lookup says which.
      if (!(e instanceof BrokerError && (e.status === 400 || e.status === 404))) throw e;
    }
  }

  async bars(symbols: readonly string[], timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    const b = BARS[timeframe];
    if (!b) throw new BrokerError('refused', `TradeStation has no ${timeframe} bars`);
    if (!(to >= from)) return [];
    const out: LiveBar[] = [];
    const intraday = b.unit === 'Minute';
    const spanMs = b.interval * MINUTE;
    // One request may span at most maxBarsPerRequest bars: longer ranges go in windows of that many bar spans.
    const window = intraday ? (this.o.maxBarsPerRequest ?? 57_600) * spanMs : Infinity;
    for (const symbol of symbols) {
      // TradeStation stamps a bar at its end (a daily bar at the session's close): the engine stamps it at its start.
      for (let start = Math.max(0, from), k = 0; start <= to; start += window, k++) {
        if (k >= MAX_PAGES) throw new BrokerError('malformed', `barcharts ${symbol}: more than ${MAX_PAGES} windows`);
        const end = Math.min(to, start + window - 1);
        const q = new URLSearchParams({
          interval: String(b.interval), unit: b.unit,
          firstdate: iso(intraday ? start + spanMs : start), lastdate: iso(intraday ? end + spanMs : end + DAY - 1), sessiontemplate: 'Default',
        });
        const body = await this.call('GET', `/v3/marketdata/barcharts/${encodeURIComponent(symbol)}?${q}`);
        arrayOf(new Fields(body, 'barcharts').raw('Bars') ?? [], `barcharts ${symbol}`).forEach((x, i) => {
          const f = new Fields(x, `barcharts ${symbol}[${i}]`);
          const t = f.time('TimeStamp');
          out.push({
            symbol, time: intraday ? t - spanMs : Math.floor(t / DAY) * DAY,
            open: f.num('Open'), high: f.num('High'), low: f.num('Low'), close: f.num('Close'), volume: f.num('TotalVolume'),
          });
        });
        if (end >= to) break;
      }
    }
    const seen = new Set<string>();
    return out.filter((x) => {
      const key = `${x.symbol} ${x.time}`;
      if (x.time < from || x.time > to || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Today's and open orders, every page. */
  private async todaysOrders(): Promise<Wire[]> {
    return this.pages(`/v3/brokerage/accounts/${this.acct}/orders`, new URLSearchParams({ pageSize: '600' }));
  }

  /** Orders opened since `t`: today's and open ones, and the historical list when `t` is on an earlier day. */
  private async since(t: number): Promise<Wire[]> {
    const out = await this.todaysOrders();
    if (Math.floor(t / DAY) < Math.floor(this.now() / DAY)) {
      const seen = new Set(out.map((o) => o.id));
      const hist = await this.pages(`/v3/brokerage/accounts/${this.acct}/historicalorders`, new URLSearchParams({ since: day(t), pageSize: '600' }));
      for (const o of hist) if (!seen.has(o.id)) out.push(o);
    }
    return out.filter((o) => o.openedAt === null || o.openedAt >= t);
  }

  private async byId(id: string, notBefore: number): Promise<BrokerOrder | null> {
    const found = listed(await this.call('GET', `/v3/brokerage/accounts/${this.acct}/orders/${encodeURIComponent(id)}`), 'Orders', true);
    if (found.length > 0) return order(found[0], 'order');
    // An order closed on an earlier day is only in the historical list.
    const hist = listed(await this.call('GET', `/v3/brokerage/accounts/${this.acct}/historicalorders/${encodeURIComponent(id)}?since=${day(notBefore)}`), 'Orders', true);
    return hist.length > 0 ? order(hist[0], 'order') : null;
  }

  private async pages(path: string, q: URLSearchParams): Promise<Wire[]> {
    const out: Wire[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.call('GET', `${path}?${q}`);
      listed(body, 'Orders', true).forEach((x, i) => out.push(order(x, `orders[${i}]`)));
      const next = new Fields(body, 'orders').raw('NextToken');
      if (typeof next !== 'string' || next === '') return out;
      q.set('nextToken', next);
    }
    throw new BrokerError('malformed', `orders: more than ${MAX_PAGES} pages`);
  }
}

/** An order as TradeStation lists it: what the lookup matches on besides the broker's fields. */
type Wire = BrokerOrder & { openedAt: number | null; type: string; limit: number | null; stop: number | null };

const at = (dayUtc: number, minutes: number) => NY.toUtc(dayUtc + minutes * MINUTE);

/** The regular US equity session at `t`: open, and the next open and close after it (holidays skipped). */
export function sessionClock(t: number): BrokerClock {
  const local = t + NY.offsetAt(t);
  const today = Math.floor(local / DAY) * DAY;
  const minute = Math.floor((local - today) / MINUTE);
  const s = nyseSession(today);
  const isOpen = s !== null && minute >= s.open && minute < s.close;
  let d = today;
  if (s === null || minute >= s.open) d += DAY;
  while (nyseSession(d) === null) d += DAY;
  let c = today;
  if (s === null || minute >= s.close) c += DAY;
  while (nyseSession(c) === null) c += DAY;
  return { time: t, isOpen, nextOpen: at(d, nyseSession(d)!.open), nextClose: at(c, nyseSession(c)!.close) };
}

/** The NYSE's sessions whose New York date lies in [from, to] (UTC ms), in order. */
export function nyseSessions(from: number, to: number): Session[] {
  const out: Session[] = [];
  if (!(to >= from)) return out;
  const last = Math.floor((to + NY.offsetAt(to)) / DAY) * DAY;
  for (let d = Math.floor((from + NY.offsetAt(from)) / DAY) * DAY; d <= last; d += DAY) {
    const s = nyseSession(d);
    if (s !== null) out.push({ date: new Date(d).toISOString().slice(0, 10), open: at(d, s.open), close: at(d, s.close) });
  }
  return out;
}

/** An order the lookup describes: what it is, and not one this deployment holds. */
function matches(o: Wire, l: OrderLookup): boolean {
  if (l.owned.has(o.id) || o.symbol !== l.symbol || o.side !== l.side || o.qty !== l.qty) return false;
  const s = l.spec;
  if (o.type !== ORDER_TYPE[s?.type ?? 'market']) return false;
  const same = (a: number | null, b: number | null | undefined) => (b == null ? true : a !== null && cents(a) === cents(b));
  return same(o.limit, s?.limitPrice) && same(o.stop, s?.type === 'trailingStop' ? null : s?.stopPrice);
}

/** The list under `key` of a v3 answer; an Errors list with nothing listed is TradeStation's refusal. */
function listed(body: unknown, key: string, notFoundIsEmpty = false): unknown[] {
  const f = new Fields(body, key.toLowerCase());
  const list = arrayOf(f.raw(key) ?? [], key);
  const errors = arrayOf(f.raw('Errors') ?? [], `${key}.Errors`) as { Error?: unknown; Message?: unknown }[];
  if (list.length === 0 && errors.length > 0) {
    const e = errors[0]!;
    if (notFoundIsEmpty && /not ?found/i.test(`${String(e.Error)} ${String(e.Message)}`)) return [];
    throw new BrokerError('refused', `${key}: ${String(e.Message ?? e.Error ?? 'refused').slice(0, 200)}`);
  }
  return list;
}

function order(x: unknown, what: string): Wire {
  const f = new Fields(x, what);
  const raw = f.str('Status');
  const status = STATUS[raw];
  if (!status) throw new BrokerError('malformed', `${what}: unknown status ${JSON.stringify(raw.slice(0, 40))}`);
  const legs = arrayOf(f.raw('Legs'), `${what}.Legs`);
  if (legs.length !== 1) throw new BrokerError('malformed', `${what}: expected one leg, got ${legs.length}`);
  const leg = new Fields(legs[0], `${what}.Legs[0]`);
  const action = leg.str('BuyOrSell').toUpperCase();
  const qty = leg.num('QuantityOrdered');
  const filledQty = leg.numOrNull('ExecQuantity') ?? 0;
  const avg = filledQty > 0 ? f.num('FilledPrice') : null;
  // What the order has cost so far: the commission and, on a routed order, the route fee (both totals).
  const fees = (f.numOrNull('CommissionFee') ?? 0) + (f.numOrNull('UnbundledRouteFee') ?? 0);
  const closed = f.raw('ClosedDateTime'), opened = f.raw('OpenedDateTime');
  const time = (v: unknown) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);
  const said = (k: string) => (typeof f.raw(k) === 'string' && f.raw(k) !== '' ? (f.raw(k) as string).slice(0, 200) : null);
  const why = said('RejectReason') ?? said('StatusDescription');
  return {
    id: f.str('OrderID'), clientOrderId: '', symbol: leg.str('Symbol'), side: action === 'BUY' || action === 'BUYTOCOVER' ? 'buy' : 'sell', qty,
    filledQty, avgFillPrice: avg, filledAt: filledQty > 0 ? time(closed) : null, status, executions: [], fees,
    reason: status === 'rejected' ? `rejected by TradeStation${why ? `: ${why}` : ''}` : status === 'expired' ? 'expired at TradeStation'
      : status === 'cancelled' ? `cancelled at TradeStation${why ? ` (${why})` : ''}` : null,
    openedAt: time(opened), type: f.str('OrderType'), limit: f.numOrNull('LimitPrice'), stop: f.numOrNull('StopPrice'),
  };
}

function cents(p: number): string {
  return p >= 1 ? p.toFixed(2) : p.toFixed(4);
}

function iso(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

function day(t: number): string {
  return new Date(Math.max(0, t)).toISOString().slice(0, 10);
}
