/**
 * A Tradier-compatible fake on 127.0.0.1 (port 0): brokerage API v1 as Tradier speaks it — bearer token,
 * form-encoded POSTs, JSON answers whose lists come wrapped ({"orders": {"order": …}}, one element as an object,
 * none as "null"), numbers as numbers, epoch-second clock, orders carrying a `tag` that Tradier does not require
 * to be unique, sides buy / sell / buy_to_cover / sell_short checked against the position, whole shares only.
 * Orders fill when the test advances the market (`advance`), at the prices fake-alpaca's `barPrice` gives. A
 * rejection arrives after the POST was accepted (`rejectNext`), as Tradier reports it. Stops by itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './fake-server.ts';
import { barPrice, nyClock, send, type FakeBar, type FakeSession } from './fake-alpaca.ts';

interface TOrder {
  id: number; tag: string | null; symbol: string; side: string; quantity: number; type: string; duration: string;
  price: number | null; stop: number | null; status: string; exec_quantity: number; avg_fill_price: number;
  create_date: string; transaction_date: string; reason_description?: string; triggered: boolean;
  /** class=oco: the take-profit limit (leg 0) and the stop (leg 1); one filling cancels the other. */
  legs?: TOrder[];
}

const OPEN = ['pending', 'open', 'partially_filled'];

export class FakeTradier extends FakeServer {
  readonly token = 'TrAdIeR-tOkEn-do-not-leak-7';
  readonly account = 'VA0000001';
  cash: number;
  positions = new Map<string, { qty: number; cost: number }>();
  orders: TOrder[] = [];
  posts: Record<string, string>[] = [];
  now = 0;
  state: 'open' | 'closed' | 'premarket' | 'postmarket' = 'open';
  bars = new Map<string, FakeBar[]>();
  partialRatio = 1;
  rejectNext: string | null = null;
  /** New York's offset from UTC for the test's dates (winter: −5 h), for time-and-sales' local times. */
  nyOffsetMs = -5 * 3_600_000;
  /** Regular sessions GET /v1/markets/calendar reports as "open"; `closedDays` as "closed" (holidays). */
  sessions: FakeSession[] = [];
  closedDays: string[] = [];
  private nextId = 1001;

  constructor(cash: number) {
    super();
    this.cash = cash;
  }

  position(symbol: string): number {
    return this.positions.get(symbol)?.qty ?? 0;
  }

  /** The market reaches the bar at `time`: open orders execute where the bar lets them; the clock moves past it. */
  advance(time: number, spanMs: number): void {
    for (const o of this.orders) {
      if (!OPEN.includes(o.status)) continue;
      const bar = this.bars.get(o.symbol)?.find((b) => b.t === time);
      if (!bar) continue;
      if (o.legs) {
        // The stop leg is checked first (a bar through both fills the stop); the other leg is cancelled.
        const hit = [o.legs[1]!, o.legs[0]!].find((l) => !Number.isNaN(priceIn(l, bar)));
        if (!hit) continue;
        this.execute(hit, hit.quantity, priceIn(hit, bar), time);
        for (const l of o.legs) if (l !== hit) l.status = 'canceled';
        o.status = 'filled';
        continue;
      }
      const buy = o.side === 'buy' || o.side === 'buy_to_cover';
      const px = priceIn(o, bar);
      if (o.type === 'stop_limit' && (buy ? bar.h >= o.stop! : bar.l <= o.stop!)) o.triggered = true;
      if (Number.isNaN(px)) {
        if (o.duration === 'day') o.status = 'expired';
        continue;
      }
      const left = o.quantity - o.exec_quantity;
      this.execute(o, o.exec_quantity === 0 && this.partialRatio < 1 ? Math.floor(left * this.partialRatio) || left : left, px, time);
    }
    this.now = time + spanMs;
  }

  private execute(o: TOrder, q: number, px: number, time: number): void {
    const sign = o.side === 'buy' || o.side === 'buy_to_cover' ? 1 : -1;
    o.avg_fill_price = o.exec_quantity === 0 ? px : (o.avg_fill_price * o.exec_quantity + px * q) / (o.exec_quantity + q);
    o.exec_quantity += q;
    o.status = o.exec_quantity >= o.quantity ? 'filled' : 'partially_filled';
    o.transaction_date = new Date(time).toISOString();
    this.cash -= sign * q * px;
    const p = this.positions.get(o.symbol) ?? { qty: 0, cost: 0 };
    const qty = p.qty + sign * q;
    this.positions.set(o.symbol, { qty, cost: qty === 0 ? 0 : qty * px });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, headers: req.headers });
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.headers.authorization !== `Bearer ${this.token}`) { res.writeHead(401, { 'content-type': 'text/plain' }); res.end('Invalid Access Token'); return; }
    const i = this.faults.findIndex((f) => f.method === method && url.pathname.startsWith(f.path));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : null;
    if (fault?.kind === 'status') { res.writeHead(fault.status, { 'content-type': 'application/json' }); res.end(fault.body ?? '{"fault":{"faultstring":"fake"}}'); return; }
    let out: [number, unknown];
    try {
      out = this.route(method, url, body);
    } catch (e) {
      out = [400, { errors: { error: [(e as Error).message] } }];
    }
    if (fault?.kind === 'hang') return; // it took effect; the answer never comes
    if (fault?.kind === 'garbage') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('<html>502</html>'); return; }
    send(res, out[0], out[1]);
  }

  private route(method: string, url: URL, body: string): [number, unknown] {
    const p = url.pathname;
    const acct = `/v1/accounts/${this.account}`;
    if (method === 'GET' && p === '/v1/markets/clock') {
      return [200, { clock: { date: new Date(this.now).toISOString().slice(0, 10), description: `Market is ${this.state}`, state: this.state, timestamp: Math.floor(this.now / 1000), next_change: '16:00', next_state: 'postmarket' } }];
    }
    if (method === 'GET' && p === '/v1/markets/calendar') {
      const month = `${url.searchParams.get('year')}-${url.searchParams.get('month')}`;
      const days = [
        ...this.sessions.map((x) => ({ date: x.date, status: 'open', description: 'Market is open', premarket: { start: '07:00', end: '09:24' }, open: { start: nyClock(x.open), end: nyClock(x.close) }, postmarket: { start: nyClock(x.close), end: '19:55' } })),
        ...this.closedDays.map((date) => ({ date, status: 'closed', description: 'Market is closed' })),
      ].filter((d) => d.date.startsWith(month)).sort((a, b) => a.date.localeCompare(b.date));
      return [200, { calendar: { month: Number(url.searchParams.get('month')), year: Number(url.searchParams.get('year')), days: { day: days.length === 1 ? days[0] : days } } }];
    }
    if (method === 'GET' && p === '/v1/markets/history') {
      const start = Date.parse(`${url.searchParams.get('start')}T00:00:00Z`), end = Date.parse(`${url.searchParams.get('end')}T00:00:00Z`);
      const day = (this.bars.get(url.searchParams.get('symbol') ?? '') ?? []).filter((b) => b.t >= start && b.t <= end && b.t < this.now)
        .map((b) => ({ date: new Date(b.t).toISOString().slice(0, 10), open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v }));
      return [200, { history: day.length === 0 ? null : { day: day.length === 1 ? day[0] : day } }];
    }
    if (method === 'GET' && p === '/v1/markets/timesales') {
      const local = (x: string) => Date.parse(`${x.replace(' ', 'T')}:00Z`) - this.nyOffsetMs;
      const start = local(url.searchParams.get('start')!), end = local(url.searchParams.get('end')!);
      const data = (this.bars.get(url.searchParams.get('symbol') ?? '') ?? []).filter((b) => b.t >= start && b.t <= end && b.t < this.now)
        .map((b) => ({ time: new Date(b.t + this.nyOffsetMs).toISOString().slice(0, 19), timestamp: b.t / 1000, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v, vwap: b.c }));
      return [200, { series: data.length === 0 ? null : { data: data.length === 1 ? data[0] : data } }];
    }
    if (!p.startsWith(acct)) return [401, { fault: 'account not authorized for this token' }];
    const rest = p.slice(acct.length);
    if (method === 'GET' && rest === '/balances') {
      let equity = this.cash;
      for (const [s, x] of this.positions) equity += x.qty * this.lastClose(s);
      return [200, { balances: { account_number: this.account, account_type: 'margin', total_cash: this.cash, total_equity: equity, margin: { stock_buying_power: this.cash } } }];
    }
    if (method === 'GET' && rest === '/positions') {
      const list = [...this.positions].filter(([, x]) => x.qty !== 0).map(([symbol, x], k) => ({ cost_basis: x.cost, date_acquired: new Date(this.now).toISOString(), id: k + 1, quantity: x.qty, symbol }));
      return [200, { positions: list.length === 0 ? 'null' : { position: list.length === 1 ? list[0] : list } }];
    }
    if (method === 'GET' && rest === '/orders') {
      const tags = url.searchParams.get('includeTags') === 'true';
      const list = this.orders.map((o) => wire(o, tags));
      return [200, { orders: list.length === 0 ? 'null' : { order: list.length === 1 ? list[0] : list } }];
    }
    const one = /^\/orders\/(\d+)$/.exec(rest);
    if (method === 'GET' && one) {
      const o = this.orders.find((x) => x.id === Number(one[1]));
      return o ? [200, { order: wire(o, true) }] : [404, { errors: { error: ['order not found'] } }];
    }
    if (method === 'DELETE' && one) {
      const o = this.orders.find((x) => x.id === Number(one[1]));
      if (!o) return [404, { errors: { error: ['order not found'] } }];
      if (!OPEN.includes(o.status)) return [400, { errors: { error: [`order ${o.id} is ${o.status} and cannot be canceled`] } }];
      o.status = 'canceled';
      for (const l of o.legs ?? []) if (OPEN.includes(l.status)) l.status = 'canceled';
      return [200, { order: { id: o.id, status: 'ok' } }];
    }
    if (method === 'POST' && rest === '/orders') return this.place(Object.fromEntries(new URLSearchParams(body)));
    return [404, { errors: { error: [`no route ${method} ${p}`] } }];
  }

  private place(f: Record<string, string>): [number, unknown] {
    this.posts.push(f);
    const bad = (m: string): [number, unknown] => [400, { errors: { error: [m] } }];
    if (f.class === 'oco') return this.placeOco(f);
    if (f.class !== 'equity') return bad('class must be equity or oco');
    if (!['market', 'limit', 'stop', 'stop_limit'].includes(f.type ?? '')) return bad(`invalid type ${f.type}`);
    if (!['day', 'gtc', 'pre', 'post'].includes(f.duration ?? '')) return bad(`invalid duration ${f.duration}`);
    const qty = Number(f.quantity);
    if (!Number.isInteger(qty) || qty <= 0) return bad('quantity must be a whole positive number');
    if (f.tag !== undefined && !/^[A-Za-z0-9-]{1,255}$/.test(f.tag)) return bad('tag may hold letters, numbers and - only');
    if ((f.type === 'limit' || f.type === 'stop_limit') && f.price === undefined) return bad('price is required');
    if ((f.type === 'stop' || f.type === 'stop_limit') && f.stop === undefined) return bad('stop is required');
    const pos = this.position(f.symbol!);
    const side = f.side;
    if (side === 'sell' && !(pos > 0 && qty <= pos)) return bad('Sell order cannot be placed: it exceeds the long position (use sell_short to open a short)');
    if (side === 'buy_to_cover' && !(pos < 0 && qty <= -pos)) return bad('buy_to_cover exceeds the short position');
    if (side === 'sell_short' && pos > 0) return bad('sell_short is not allowed while long');
    if (side === 'buy' && pos < 0) return bad('buy while short: use buy_to_cover');
    if (!['buy', 'sell', 'buy_to_cover', 'sell_short'].includes(side ?? '')) return bad(`invalid side ${side}`);
    const o: TOrder = {
      id: this.nextId++, tag: f.tag ?? null, symbol: f.symbol!, side: side!, quantity: qty, type: f.type!, duration: f.duration!,
      price: f.price === undefined ? null : Number(f.price), stop: f.stop === undefined ? null : Number(f.stop),
      status: 'open', exec_quantity: 0, avg_fill_price: 0, create_date: new Date(this.now).toISOString(), transaction_date: new Date(this.now).toISOString(), triggered: false,
    };
    if (this.rejectNext) { o.status = 'rejected'; o.reason_description = this.rejectNext; this.rejectNext = null; }
    this.orders.push(o);
    return [200, { order: { id: o.id, status: 'ok', partner_id: 'fake' } }];
  }

  /** class=oco with indexed legs: [0] a limit, [1] a stop, both closing the same position (they share its shares). */
  private placeOco(f: Record<string, string>): [number, unknown] {
    const bad = (m: string): [number, unknown] => [400, { errors: { error: [m] } }];
    if (!['day', 'gtc'].includes(f.duration ?? '')) return bad(`invalid duration ${f.duration}`);
    const legs: TOrder[] = [];
    for (const i of [0, 1]) {
      const symbol = f[`symbol[${i}]`] ?? f.symbol, side = f[`side[${i}]`], type = f[`type[${i}]`], qty = Number(f[`quantity[${i}]`]);
      if (!symbol || !side || !type) return bad(`leg ${i}: symbol, side and type are required`);
      if (!Number.isInteger(qty) || qty <= 0) return bad(`leg ${i}: quantity must be a whole positive number`);
      if (type === 'limit' && f[`price[${i}]`] === undefined) return bad(`leg ${i}: price is required`);
      if (type === 'stop' && f[`stop[${i}]`] === undefined) return bad(`leg ${i}: stop is required`);
      const pos = this.position(symbol);
      if (side === 'sell' ? !(pos > 0 && qty <= pos) : side === 'buy_to_cover' ? !(pos < 0 && qty <= -pos) : true) return bad(`leg ${i}: an OCO leg must close the position (${side} ${qty}, position ${pos})`);
      legs.push({
        id: this.nextId++, tag: null, symbol, side, quantity: qty, type, duration: f.duration!, price: f[`price[${i}]`] === undefined ? null : Number(f[`price[${i}]`]),
        stop: f[`stop[${i}]`] === undefined ? null : Number(f[`stop[${i}]`]), status: 'open', exec_quantity: 0, avg_fill_price: 0,
        create_date: new Date(this.now).toISOString(), transaction_date: new Date(this.now).toISOString(), triggered: false,
      });
    }
    if (legs[0]!.symbol !== legs[1]!.symbol || legs[0]!.side !== legs[1]!.side) return bad('both legs of this OCO must close the same position');
    const o: TOrder = { ...legs[0]!, id: this.nextId++, tag: f.tag ?? null, type: 'oco', price: null, stop: null, legs };
    this.orders.push(o);
    return [200, { order: { id: o.id, status: 'ok', partner_id: 'fake' } }];
  }

  private lastClose(symbol: string): number {
    const list = (this.bars.get(symbol) ?? []).filter((b) => b.t < this.now);
    return list.length ? list[list.length - 1]!.c : 0;
  }
}

function wire(o: TOrder, tags: boolean): Record<string, unknown> {
  const w: Record<string, unknown> = {
    id: o.id, type: o.type, symbol: o.symbol, side: o.side, quantity: o.quantity, status: o.status, duration: o.duration,
    avg_fill_price: o.avg_fill_price, exec_quantity: o.exec_quantity, last_fill_price: o.avg_fill_price, last_fill_quantity: o.exec_quantity,
    remaining_quantity: o.quantity - o.exec_quantity, create_date: o.create_date, transaction_date: o.transaction_date, class: o.legs ? 'oco' : 'equity',
  };
  if (o.legs) {
    w.num_legs = o.legs.length;
    w.leg = o.legs.map((l) => wire(l, false));
  }
  if (o.price !== null) w.price = o.price;
  if (o.stop !== null) w.stop = o.stop;
  if (o.reason_description) w.reason_description = o.reason_description;
  if (tags && o.tag !== null) w.tag = o.tag;
  return w;
}

function priceIn(o: TOrder, bar: FakeBar): number {
  const buy = o.side === 'buy' || o.side === 'buy_to_cover';
  return barPrice({ side: buy ? 'buy' : 'sell', type: o.type, limit_price: o.price, stop_price: o.stop, trail_percent: null, trail_price: null, hwm: null, triggered: o.triggered }, bar);
}
