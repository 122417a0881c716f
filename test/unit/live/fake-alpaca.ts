/**
 * An Alpaca-compatible fake on 127.0.0.1 (port 0): trading API v2 (account, clock, positions, orders, lookup
 * by client order id, cancel) and market data v2 stock bars with pagination, speaking Alpaca's JSON (numbers
 * as strings, ISO times, {code, message} errors). Market orders fill at the open of the symbol's next bar when
 * the test advances the market (`advance`), like the backtest's nextOpen. Faults are scripted per request.
 * Streams: `/stream` speaks trade_updates (auth, listen, one binary frame per order event, as paper does) and
 * `/v2/{iex|sip|test}` market data (greeting, auth, subscribe, a minute bar per symbol as `advance` completes it,
 * errors 401/402/406 as Alpaca sends them).
 * It stops by itself after `lifetimeMs`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Zone } from '../../../src/lib/zone.ts';
import { FakeServer } from './fake-server.ts';

/** A stream client of the fake: the trading stream (`/stream`) or market data (`/v2/{feed}`). */
interface StreamClient { ws: WebSocket; kind: 'trading' | 'data'; authed: boolean; listening: boolean; bars: Set<string>; sent: number; silent?: boolean }

/** A regular session (UTC ms) as the fakes' calendars serve it. */
export interface FakeSession { date: string; open: number; close: number }

const NY = new Zone('America/New_York');
/** New York "HH:MM" of UTC time t. */
export function nyClock(t: number): string {
  return new Date(NY.toLocal(t)).toISOString().slice(11, 16);
}
/** Market-on-close orders are refused from this long before the close (Alpaca: after 15:50 New York). */
const CLS_CUTOFF_MS = 10 * 60_000;

export interface FakeBar { t: number; o: number; h: number; l: number; c: number; v: number }

export type Fault =
  | { kind: 'hang' } // accept the request (orders are created) and never answer
  | { kind: 'status'; status: number; body?: string; retryAfter?: number }
  | { kind: 'garbage' } // 200 with a body that is not JSON
  | { kind: 'missing'; field: string }; // 200 with one field removed

interface FakeOrder {
  id: string; client_order_id: string; symbol: string; side: 'buy' | 'sell'; qty: number; filled_qty: number;
  filled_avg_price: number | null; status: string; created_at: string; filled_at: string | null;
  type: string; time_in_force: string; limit_price: number | null; stop_price: number | null;
  trail_percent: number | null; trail_price: number | null; hwm: number | null; order_class: string;
  /** stop_limit: its stop traded. */ triggered: boolean;
  legs: FakeOrder[] | null;
}

const OPEN = ['new', 'accepted', 'partially_filled'];

export class FakeAlpaca extends FakeServer {
  readonly key = 'PKTESTKEY123';
  readonly secret = 'sEcReT-do-not-leak-42';
  cash: number;
  positions = new Map<string, { qty: number; avg: number }>();
  orders: FakeOrder[] = [];
  /** Clock: the test moves it; `open` says whether the session is open. */
  now = 0;
  open = true;
  nextOpen = 0;
  /** Bars by symbol (served by the data API only up to `now`). */
  bars = new Map<string, FakeBar[]>();
  /**
   * `bars` are minute bars and the data API builds longer intraday bars from them as Alpaca does: a bar of
   * span S starts at a multiple of S since the epoch (UTC) and holds the minute bars in [start, start + S).
   * Off: `bars` are served as they are, whatever the timeframe asked.
   */
  aggregate = false;
  /** Every /v2/stocks/bars request's timeframe, start and end (ms). */
  barQueries: { timeframe: string; start: number; end: number }[] = [];
  /** Bars per page of /v2/stocks/bars, small so that pagination is exercised. */
  pageSize = 3;
  /** Faults for the next matching requests, consumed in order. */
  /** Fill only this fraction of an order at the next bar (then the rest at the following one). */
  partialRatio = 1;
  /** Fills are this much worse than the bar's open (slippage). */
  fillOffset = 0;
  /** Refuse the next order with this message (403, as Alpaca does for buying power). */
  refuseNext: string | null = null;
  /** Bodies of every POST /v2/orders, as sent. */
  posts: OrderBody[] = [];
  /** Stream clients, open or closed, in connection order. */
  streams: StreamClient[] = [];
  /** Answer the next stream auth as wrong keys. */
  streamAuthFails = false;
  /** Minute bars reach stream clients this long after `advance` completes them (as on a real feed, a moment late). */
  barDelayMs = 0;
  /** Refuse stream upgrades (an outage of the stream servers; REST still answers). */
  streamsDown = false;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** The exchange calendar GET /v2/calendar serves; market-on-close orders fill at the last bar of a session. */
  sessions: FakeSession[] = [];
  private nextId = 1;

  constructor(cash: number) {
    super();
    this.cash = cash;
  }

  /** The market reaches the bar at `time` (its open fills waiting orders) and the clock moves past it by `spanMs`. */
  advance(time: number, spanMs: number): void {
    for (const o of this.orders) {
      if (!OPEN.includes(o.status)) continue;
      const bar = this.bars.get(o.symbol)?.find((b) => b.t === time);
      if (!bar) continue;
      if (o.order_class === 'oco') { this.oco(o, o.legs![0]!, bar, time); continue; }
      if (o.time_in_force === 'cls') {
        // The closing auction: the close of the session's last bar (the bar that reaches the calendar's close).
        const s = this.sessionAt(time);
        if (s && time + spanMs >= s.close) this.fill(o, o.qty - o.filled_qty, bar.c, time);
        continue;
      }
      const px = barPrice(o, bar);
      if (Number.isNaN(px)) {
        // A day order that saw its session without filling expires with it.
        if (o.time_in_force === 'day') { o.status = 'expired'; this.tradeUpdate(o, 'expired'); }
        continue;
      }
      const left = o.qty - o.filled_qty;
      const q = o.filled_qty === 0 && this.partialRatio < 1 ? Math.floor(left * this.partialRatio) || left : left;
      this.fill(o, q, px + (o.side === 'buy' ? 1 : -1) * this.fillOffset, time);
    }
    this.now = time + spanMs;
    const pushBars = () => {
      for (const c of this.openStreams('data')) {
        for (const s of c.bars) {
          const b = this.bars.get(s)?.find((x) => x.t === time);
          if (b) this.push(c, [{ T: 'b', S: s, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, t: new Date(b.t).toISOString(), n: 1, vw: b.c }]);
        }
      }
    };
    if (this.barDelayMs > 0) setTimeout(pushBars, this.barDelayMs).unref();
    else pushBars();
  }

  /** Stream clients whose socket is open, of one kind. */
  openStreams(kind: StreamClient['kind']): StreamClient[] {
    return this.streams.filter((c) => c.kind === kind && c.ws.readyState === 1);
  }

  /**
   * The stream connections open now go silent without closing (a half-open socket: a dead route, a stalled
   * proxy): nothing is sent on them and nothing they send is answered. New connections work.
   */
  silenceStreams(): void {
    for (const c of this.streams) c.silent = true;
  }

  /** Drops every stream connection (as a network cut would), without a close handshake. */
  dropStreams(): void {
    for (const c of this.streams) c.ws.terminate();
  }

  private push(c: StreamClient, msg: unknown, binary = false): void {
    if (c.silent) return;
    c.sent++;
    c.ws.send(binary ? Buffer.from(JSON.stringify(msg)) : JSON.stringify(msg), { binary });
  }

  /** One trade_updates event to every listening client: the whole order, as Alpaca sends it (binary frames). */
  private tradeUpdate(o: FakeOrder, event: string, fill?: { qty: number; price: number }): void {
    for (const c of this.openStreams('trading')) {
      if (!c.listening) continue;
      const data: Record<string, unknown> = { event, timestamp: new Date(this.now).toISOString(), order: wire(o, true) };
      if (fill) Object.assign(data, { price: String(fill.price), qty: String(fill.qty), position_qty: String(this.position(o.symbol)) });
      this.push(c, { stream: 'trade_updates', data }, true);
    }
  }

  protected override upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const kind = path === '/stream' ? 'trading' : /^\/v2\/(iex|sip|test)$/.test(path) ? 'data' : null;
    if (kind === null || this.streamsDown) return void socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c: StreamClient = { ws, kind, authed: false, listening: false, bars: new Set(), sent: 0 };
      this.streams.push(c);
      if (kind === 'data') this.push(c, [{ T: 'success', msg: 'connected' }]);
      ws.on('message', (d: Buffer) => this.onStreamMessage(c, d.toString('utf8')));
    });
  }

  private onStreamMessage(c: StreamClient, text: string): void {
    if (c.silent) return;
    let m: { action?: string; key?: string; secret?: string; data?: { key_id?: string; secret_key?: string; streams?: string[] }; bars?: string[] };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return c.kind === 'data' ? this.push(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]) : undefined;
    }
    if (m.action === 'auth' || m.action === 'authenticate') {
      const [key, secret] = m.action === 'auth' ? [m.key, m.secret] : [m.data?.key_id, m.data?.secret_key];
      const ok = key === this.key && secret === this.secret && !this.streamAuthFails;
      if (c.kind === 'trading') {
        this.push(c, { stream: 'authorization', data: { action: 'authenticate', status: ok ? 'authorized' : 'unauthorized' } }, true);
        if (!ok) return void c.ws.close();
      } else {
        if (!ok) { this.push(c, [{ T: 'error', code: 402, msg: 'auth failed' }]); return void c.ws.close(); }
        // One market-data connection per account: a second one is refused.
        if (this.openStreams('data').some((x) => x !== c && x.authed)) { this.push(c, [{ T: 'error', code: 406, msg: 'connection limit exceeded' }]); return void c.ws.close(); }
        this.push(c, [{ T: 'success', msg: 'authenticated' }]);
      }
      c.authed = true;
    } else if (!c.authed) {
      if (c.kind === 'data') this.push(c, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
      else this.push(c, { stream: 'authorization', data: { action: m.action ?? '', status: 'unauthorized' } }, true);
    } else if (c.kind === 'trading' && m.action === 'listen') {
      c.listening = (m.data?.streams ?? []).includes('trade_updates');
      this.push(c, { stream: 'listening', data: { streams: c.listening ? ['trade_updates'] : [] } }, true);
    } else if (c.kind === 'data' && m.action === 'subscribe') {
      for (const s of m.bars ?? []) c.bars.add(s);
      this.push(c, [{ T: 'subscription', trades: [], quotes: [], bars: [...c.bars] }]);
    }
  }

  /** An OCO exit: the take-profit limit `tp` and its stop-loss leg; the stop is checked first, the other leg is cancelled. */
  private oco(tp: FakeOrder, sl: FakeOrder, bar: FakeBar, time: number): void {
    const s = barPrice(sl, bar);
    const hit = Number.isNaN(s) ? tp : sl;
    const px = Number.isNaN(s) ? barPrice(tp, bar) : s;
    if (Number.isNaN(px)) return;
    this.fill(hit, hit.qty, px, time);
    (hit === sl ? tp : sl).status = 'canceled';
  }

  private sessionAt(t: number): FakeSession | undefined {
    return this.sessions.find((s) => s.open <= t && t < s.close);
  }

  /** Shares of a long (or short) not already held by this account's open orders on the other side. */
  private available(symbol: string, side: 'buy' | 'sell'): number {
    const pos = this.position(symbol);
    let held = 0;
    for (const o of this.orders) {
      if (o.symbol !== symbol || o.side !== side || !OPEN.includes(o.status)) continue;
      held += o.qty - o.filled_qty;
    }
    return Math.abs(pos) - held;
  }

  position(symbol: string): number {
    return this.positions.get(symbol)?.qty ?? 0;
  }

  private fill(o: FakeOrder, q: number, price: number, time: number): void {
    this.fillBooks(o, q, price, time);
    this.tradeUpdate(o, o.status === 'filled' ? 'fill' : 'partial_fill', { qty: q, price });
  }

  private fillBooks(o: FakeOrder, q: number, price: number, time: number): void {
    o.filled_at = new Date(time).toISOString();
    const sign = o.side === 'buy' ? 1 : -1;
    // A first fill's average is its price (price × q / q can differ in the last bit, which Alpaca's decimals never show).
    o.filled_avg_price = o.filled_qty === 0 ? price : ((o.filled_avg_price ?? 0) * o.filled_qty + price * q) / (o.filled_qty + q);
    o.filled_qty += q;
    o.status = o.filled_qty >= o.qty ? 'filled' : 'partially_filled';
    this.cash -= sign * q * price;
    const p = this.positions.get(o.symbol) ?? { qty: 0, avg: 0 };
    const qty = p.qty + sign * q;
    this.positions.set(o.symbol, { qty, avg: qty === 0 ? 0 : price });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, headers: req.headers });
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.headers['apca-api-key-id'] !== this.key || req.headers['apca-api-secret-key'] !== this.secret) {
      return send(res, 401, { code: 40110000, message: 'request is not authorized' });
    }
    const i = this.faults.findIndex((f) => f.method === method && url.pathname.startsWith(f.path));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : null;
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(fault.body ?? JSON.stringify({ code: fault.status * 100000, message: `fake ${fault.status}` }));
      return;
    }
    let status = 200;
    let out: unknown;
    try {
      [status, out] = this.route(method, url, body);
    } catch (e) {
      [status, out] = [422, { code: 42210000, message: (e as Error).message }];
    }
    if (fault?.kind === 'hang') return; // the request took effect; the answer never comes
    if (fault?.kind === 'garbage') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('<html>Bad Gateway</html>'); return; }
    if (fault?.kind === 'missing' && out && typeof out === 'object') delete (out as Record<string, unknown>)[fault.field];
    send(res, status, out);
  }

  private route(method: string, url: URL, body: string): [number, unknown] {
    const p = url.pathname;
    if (method === 'GET' && p === '/v2/account') {
      let equity = this.cash;
      for (const [s, pos] of this.positions) equity += pos.qty * this.lastClose(s);
      return [200, { account_number: 'PA3FAKE0001', status: 'ACTIVE', currency: 'USD', cash: String(this.cash), equity: String(equity), buying_power: String(this.cash), portfolio_value: String(equity) }];
    }
    if (method === 'GET' && p === '/v2/clock') {
      return [200, { timestamp: new Date(this.now).toISOString(), is_open: this.open, next_open: new Date(this.nextOpen || this.now).toISOString(), next_close: new Date(this.now + 3_600_000).toISOString() }];
    }
    if (method === 'GET' && p === '/v2/calendar') {
      const start = url.searchParams.get('start') ?? '', end = url.searchParams.get('end') ?? '';
      return [200, this.sessions.filter((s) => s.date >= start && s.date <= end).map((s) => ({
        date: s.date, open: nyClock(s.open), close: nyClock(s.close), session_open: '0400', session_close: '2000', settlement_date: s.date,
      }))];
    }
    if (method === 'GET' && p === '/v2/positions') {
      return [200, [...this.positions].filter(([, x]) => x.qty !== 0).map(([symbol, x]) => ({ symbol, qty: String(x.qty), avg_entry_price: String(x.avg), side: x.qty > 0 ? 'long' : 'short', market_value: String(x.qty * this.lastClose(symbol)) }))];
    }
    if (method === 'GET' && p === '/v2/orders') return [200, this.orders.filter((o) => OPEN.includes(o.status)).map((o) => wire(o))];
    if (method === 'GET' && p === '/v2/orders:by_client_order_id') {
      const o = this.orders.find((x) => x.client_order_id === url.searchParams.get('client_order_id'));
      return o ? [200, wire(o, url.searchParams.get('nested') === 'true')] : [404, { code: 40410000, message: 'order not found' }];
    }
    if (method === 'POST' && p === '/v2/orders') {
      const b = JSON.parse(body) as OrderBody;
      this.posts.push(b);
      if (this.orders.some((o) => o.client_order_id === b.client_order_id)) return [422, { code: 40010001, message: 'client_order_id must be unique' }];
      if (this.refuseNext) { const m = this.refuseNext; this.refuseNext = null; return [403, { code: 40310000, message: m }]; }
      const bad = invalid(b);
      if (bad) return [422, { code: 42210000, message: bad }];
      const qty = Number(b.qty);
      if (b.time_in_force === 'cls') {
        const s = this.sessions.find((x) => x.close - CLS_CUTOFF_MS <= this.now && this.now < x.close + 3 * 3_600_000);
        if (s) return [422, { code: 42210000, message: 'cls orders cannot be submitted after 15:50 ET' }];
      }
      const pos = this.position(b.symbol);
      const closing = (b.side === 'sell' && pos > 0) || (b.side === 'buy' && pos < 0);
      if (closing && qty > this.available(b.symbol, b.side)) {
        return [403, { code: 40310000, message: `insufficient qty available for order (requested: ${qty}, available: ${this.available(b.symbol, b.side)})` }];
      }
      const o = this.newOrder(b, qty);
      if (b.order_class === 'oco') {
        o.type = 'limit';
        o.limit_price = Number(b.take_profit!.limit_price);
        const leg = this.newOrder({ ...b, type: 'stop', client_order_id: `${b.client_order_id}-leg` }, qty);
        leg.stop_price = Number(b.stop_loss!.stop_price);
        leg.order_class = 'oco';
        o.legs = [leg];
      }
      this.orders.push(o);
      this.tradeUpdate(o, 'new');
      return [200, wire(o, true)];
    }
    const del = /^\/v2\/orders\/(.+)$/.exec(p);
    if (method === 'DELETE' && del) {
      const o = this.orders.find((x) => x.id === decodeURIComponent(del[1]!));
      if (!o) return [404, { code: 40410000, message: 'order not found' }];
      if (!OPEN.includes(o.status)) return [422, { code: 42210000, message: 'order is not cancelable' }];
      o.status = 'canceled';
      for (const l of o.legs ?? []) if (OPEN.includes(l.status)) l.status = 'canceled';
      this.tradeUpdate(o, 'canceled');
      return [204, null];
    }
    if (method === 'GET' && p === '/v2/stocks/bars') return [200, this.barsPage(url)];
    return [404, { code: 40410000, message: `no route ${method} ${p}` }];
  }

  private barsPage(url: URL): unknown {
    const symbols = (url.searchParams.get('symbols') ?? '').split(',');
    const start = Date.parse(url.searchParams.get('start')!), end = Date.parse(url.searchParams.get('end')!);
    const timeframe = url.searchParams.get('timeframe') ?? '';
    if (!url.searchParams.has('page_token')) this.barQueries.push({ timeframe, start, end });
    const rows: { s: string; b: FakeBar }[] = [];
    for (const s of symbols) {
      const list = this.aggregate ? this.barsOf(s, timeframe) : this.bars.get(s) ?? [];
      for (const b of list) if (b.t >= start && b.t <= end && b.t < this.now) rows.push({ s, b });
    }
    const from = Number(url.searchParams.get('page_token') ?? 0);
    const page = rows.slice(from, from + this.pageSize);
    const bars: Record<string, unknown[]> = {};
    for (const { s, b } of page) (bars[s] ??= []).push({ t: new Date(b.t).toISOString(), o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: 1, vw: b.c });
    return { bars, next_page_token: from + this.pageSize < rows.length ? String(from + this.pageSize) : null };
  }

  /**
   * A symbol's bars of an intraday timeframe ("5Min", "1Hour"), built from the minute bars that have
   * completed (start before `now`); a bar is served once its first minute has, as Alpaca serves the running bar.
   */
  barsOf(symbol: string, timeframe: string): FakeBar[] {
    const m = /^(\d+)(Min|Hour)$/.exec(timeframe);
    if (!m) throw new Error(`the fake aggregates only Min and Hour bars, not ${timeframe}`);
    const span = Number(m[1]) * (m[2] === 'Min' ? 60_000 : 3_600_000);
    const out: FakeBar[] = [];
    for (const b of this.bars.get(symbol) ?? []) {
      if (b.t >= this.now) break;
      const t = Math.floor(b.t / span) * span;
      const last = out[out.length - 1];
      if (last?.t === t) Object.assign(last, { h: Math.max(last.h, b.h), l: Math.min(last.l, b.l), c: b.c, v: last.v + b.v });
      else out.push({ t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v });
    }
    return out;
  }

  private newOrder(b: OrderBody, qty: number): FakeOrder {
    const num = (x: string | undefined) => (x === undefined ? null : Number(x));
    return {
      id: `fake-${this.nextId++}`, client_order_id: b.client_order_id, symbol: b.symbol, side: b.side, qty, filled_qty: 0, filled_avg_price: null,
      status: 'accepted', created_at: new Date(this.now).toISOString(), filled_at: null, type: b.type, time_in_force: b.time_in_force,
      limit_price: num(b.limit_price), stop_price: num(b.stop_price), trail_percent: num(b.trail_percent), trail_price: num(b.trail_price),
      hwm: b.type === 'trailing_stop' ? this.lastClose(b.symbol) : null, order_class: b.order_class ?? 'simple', triggered: false, legs: null,
    };
  }

  private lastClose(symbol: string): number {
    const list = (this.bars.get(symbol) ?? []).filter((b) => b.t < this.now);
    return list.length ? list[list.length - 1]!.c : 0;
  }
}

export interface OrderBody {
  symbol: string; qty: string; side: 'buy' | 'sell'; type: string; time_in_force: string; client_order_id: string;
  limit_price?: string; stop_price?: string; trail_percent?: string; trail_price?: string; order_class?: string;
  take_profit?: { limit_price: string }; stop_loss?: { stop_price: string };
}

/** Alpaca's checks of an order's fields (a 422 with its message). */
function invalid(b: OrderBody): string | null {
  if (!['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'].includes(b.type)) return `invalid order type ${b.type}`;
  if (!['day', 'gtc', 'cls'].includes(b.time_in_force)) return `invalid time_in_force ${b.time_in_force}`;
  if (b.time_in_force === 'cls' && b.type !== 'market' && b.type !== 'limit') return 'cls orders must be market or limit orders';
  const cents = (x: string | undefined) => x === undefined || /^\d+(\.\d{1,2})?$/.test(x) || /^0\.\d{1,4}$/.test(x);
  if (![b.limit_price, b.stop_price, b.trail_price, b.take_profit?.limit_price, b.stop_loss?.stop_price].every(cents)) return 'sub-penny increment does not fulfill minimum pricing criteria';
  if (b.order_class === 'oco') return b.take_profit && b.stop_loss && b.type === 'limit' ? null : 'oco orders must be limit orders with take_profit and stop_loss';
  if ((b.type === 'limit' || b.type === 'stop_limit') && b.limit_price === undefined) return 'limit_price is required';
  if ((b.type === 'stop' || b.type === 'stop_limit') && b.stop_price === undefined) return 'stop_price is required';
  if (b.type === 'trailing_stop' && (b.trail_percent === undefined) === (b.trail_price === undefined)) return 'exactly one of trail_percent or trail_price is required';
  return null;
}

function wire(o: FakeOrder, nested = false): Record<string, unknown> {
  const n = (x: number | null) => (x === null ? null : String(x));
  return {
    id: o.id, client_order_id: o.client_order_id, symbol: o.symbol, side: o.side, type: o.type, time_in_force: o.time_in_force, order_class: o.order_class === 'simple' ? '' : o.order_class,
    qty: String(o.qty), filled_qty: String(o.filled_qty), filled_avg_price: n(o.filled_avg_price),
    limit_price: n(o.limit_price), stop_price: n(o.stop_price), trail_percent: n(o.trail_percent), trail_price: n(o.trail_price), hwm: n(o.hwm),
    status: o.status, created_at: o.created_at, filled_at: o.filled_at, asset_class: 'us_equity',
    legs: nested && o.legs ? o.legs.map((l) => wire(l)) : null,
  };
}

/** The fields of an order that say where it executes (shared with the Tradier fake). */
export type PricedOrder = Pick<FakeOrder, 'side' | 'type' | 'limit_price' | 'stop_price' | 'trail_percent' | 'trail_price' | 'hwm' | 'triggered'>;

/**
 * Where an order executes in a bar (NaN: not in this bar), as an exchange would: a market order at the open;
 * a limit at the open when the open is already better, else at the limit once the range reaches it; a stop at
 * the open when the open is already through it, else at the stop; a stop-limit becomes a limit once its stop
 * trades; a trailing stop follows the best price (high-water mark) and triggers as a stop.
 */
export function barPrice(o: PricedOrder, bar: FakeBar): number {
  const buy = o.side === 'buy';
  const better = (p: number, than: number) => (buy ? p <= than : p >= than);
  const reached = (lim: number) => (buy ? bar.l <= lim : bar.h >= lim);
  const through = (stop: number) => (buy ? bar.o >= stop : bar.o <= stop);
  const touched = (stop: number) => (buy ? bar.h >= stop : bar.l <= stop);
  switch (o.type) {
    case 'market': return bar.o;
    case 'limit': return better(bar.o, o.limit_price!) ? bar.o : reached(o.limit_price!) ? o.limit_price! : NaN;
    case 'stop': return through(o.stop_price!) ? bar.o : touched(o.stop_price!) ? o.stop_price! : NaN;
    case 'stop_limit': {
      if (!o.triggered && !through(o.stop_price!) && !touched(o.stop_price!)) return NaN;
      const atOpen = o.triggered || through(o.stop_price!);
      o.triggered = true;
      if (atOpen) return better(bar.o, o.limit_price!) ? bar.o : reached(o.limit_price!) ? o.limit_price! : NaN;
      return better(o.stop_price!, o.limit_price!) ? o.stop_price! : NaN;
    }
    case 'trailing_stop': {
      const dist = (hwm: number) => (o.trail_percent !== null ? hwm * (o.trail_percent / 100) : o.trail_price!);
      const stop = buy ? o.hwm! + dist(o.hwm!) : o.hwm! - dist(o.hwm!);
      o.stop_price = stop;
      if (through(stop)) return bar.o;
      if (touched(stop)) return stop;
      o.hwm = buy ? Math.min(o.hwm!, bar.l) : Math.max(o.hwm!, bar.h);
      return NaN;
    }
    default: return NaN;
  }
}


export function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) { res.writeHead(204); res.end(); return; }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
