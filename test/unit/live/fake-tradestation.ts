/**
 * A TradeStation-compatible fake on 127.0.0.1 (port 0): API v3 as TradeStation speaks it — PascalCase JSON,
 * numbers as decimal strings, lists under `Orders` / `Positions` / `Balances` / `Bars` with an `Errors` list,
 * `NextToken` paging, order status codes (ACK, OPN, FPR, FLL, REJ, CAN, EXP…), TradeActions checked against the
 * position (SELLSHORT / BUYTOCOVER), whole shares only, no client order id — and its sign-in server's
 * `POST /oauth/token` (refresh-token grant, form-encoded, client id and secret checked; access tokens expire
 * on the fake's clock and a stale one gets 401). Orders fill when the test advances the market (`advance`),
 * at the prices fake-alpaca's `barPrice` gives; bars are stamped at their end, as TradeStation stamps them.
 * Stops by itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './fake-server.ts';
import { barPrice, send, type FakeBar } from './fake-alpaca.ts';

export interface TSOrder {
  OrderID: string; symbol: string; action: string; qty: number; type: string; duration: string;
  limit: number | null; stop: number | null; status: string; exec: number; avg: number;
  /** Commission charged so far (TradeStation's CommissionFee on the order). */
  fee: number;
  opened: string; closed: string | null; reject: string | null; triggered: boolean;
}

const OPEN = ['ACK', 'OPN', 'FPR'];
const TYPES: Record<string, string> = { Market: 'market', Limit: 'limit', StopMarket: 'stop', StopLimit: 'stop_limit' };

export class FakeTradeStation extends FakeServer {
  readonly clientId = 'ts-client-ID-1';
  readonly clientSecret = 'ts-client-SECRET-do-not-leak-9';
  refreshToken = 'ts-REFRESH-token-do-not-leak-3';
  readonly account = 'SIM1234567M';
  /** Access token lifetime, seconds (TradeStation: 1200). */
  tokenLifeSec = 1200;
  /** Answer each refresh with a new refresh token (an API key set to rotate them). */
  rotate = false;
  private tokens = new Map<string, number>();
  private issued = 0;
  tokenRequests: Record<string, string>[] = [];
  unauthorized = 0;
  cash: number;
  positions = new Map<string, { qty: number; avg: number }>();
  orders: TSOrder[] = [];
  posts: Record<string, unknown>[] = [];
  /** The fake's clock: the market's and the tokens'. */
  now = 0;
  bars = new Map<string, FakeBar[]>();
  /** Bar span of the series (ms): daily bars are stamped at 21:00 UTC of their date, others at their end. */
  barSpanMs = 86_400_000;
  maxBars = 57_600;
  pageSize = 600;
  partialRatio = 1;
  /** Commission per share executed, charged to cash and shown as the order's CommissionFee. */
  commissionPerShare = 0;
  rejectNext: string | null = null;
  /** Called with each order as it is placed (a test adds what else happens at that moment). */
  onPlace: ((o: TSOrder) => void) | null = null;
  private nextId = 700_000_001;

  constructor(cash: number) {
    super();
    this.cash = cash;
  }

  position(symbol: string): number {
    return this.positions.get(symbol)?.qty ?? 0;
  }

  /** Every access token handed out so far is refused from now on (revoked, or the clock jumped past them). */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** The market reaches the bar at `time`: open orders execute where the bar lets them; the clock moves past it. */
  advance(time: number, spanMs: number): void {
    for (const o of this.orders) {
      if (!OPEN.includes(o.status)) continue;
      const bar = this.bars.get(o.symbol)?.find((b) => b.t === time);
      if (!bar) continue;
      const buy = o.action === 'BUY' || o.action === 'BUYTOCOVER';
      const type = TYPES[o.type]!;
      const px = barPrice({ side: buy ? 'buy' : 'sell', type, limit_price: o.limit, stop_price: o.stop, trail_percent: null, trail_price: null, hwm: null, triggered: o.triggered }, bar);
      if (type === 'stop_limit' && (buy ? bar.h >= o.stop! : bar.l <= o.stop!)) o.triggered = true;
      if (Number.isNaN(px)) {
        if (o.duration === 'DAY') { o.status = 'EXP'; o.closed = new Date(time + spanMs).toISOString(); }
        continue;
      }
      const left = o.qty - o.exec;
      const q = o.exec === 0 && this.partialRatio < 1 ? Math.floor(left * this.partialRatio) || left : left;
      o.avg = o.exec === 0 ? px : (o.avg * o.exec + px * q) / (o.exec + q);
      o.exec += q;
      o.status = o.exec >= o.qty ? 'FLL' : 'FPR';
      if (o.status === 'FLL') o.closed = new Date(time).toISOString();
      const sign = buy ? 1 : -1;
      const fee = q * this.commissionPerShare;
      o.fee += fee;
      this.cash -= sign * q * px + fee;
      const p = this.positions.get(o.symbol) ?? { qty: 0, avg: 0 };
      const qty = p.qty + sign * q;
      this.positions.set(o.symbol, { qty, avg: qty === 0 ? 0 : Math.sign(qty) === Math.sign(p.qty) ? (p.avg * p.qty + px * sign * q) / qty : px });
    }
    for (const o of this.orders) if (o.status === 'ACK') o.status = 'OPN';
    this.now = time + spanMs;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, method, body } = await this.receive(req);
    if (method === 'POST' && url.pathname === '/oauth/token') { send(res, ...this.token(body)); return; }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const until = auth === undefined ? undefined : this.tokens.get(auth);
    if (until === undefined || this.now >= until) {
      this.unauthorized++;
      send(res, 401, { Error: 'Unauthorized', Message: 'The access token is invalid or has expired.' });
      return;
    }
    const fault = this.takeFault(method, url.pathname);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}) });
      res.end(fault.body ?? '{"Error":"InternalServerError","Message":"fake"}');
      return;
    }
    let out: [number, unknown];
    try {
      out = this.route(method, url, body);
    } catch (e) {
      out = [400, { Error: 'BadRequest', Message: (e as Error).message }];
    }
    if (fault?.kind === 'hang') return; // it took effect; the answer never comes
    if (fault?.kind === 'garbage') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('<html>502 Bad Gateway</html>'); return; }
    send(res, out[0], out[1]);
  }

  /** The sign-in server's token endpoint: refresh-token grant only (the code exchange is the proxy's). */
  private token(body: string): [number, unknown] {
    const f = Object.fromEntries(new URLSearchParams(body));
    this.tokenRequests.push(f);
    if (f.client_id !== this.clientId || f.client_secret !== this.clientSecret) return [401, { error: 'access_denied', error_description: 'Unauthorized' }];
    if (f.grant_type !== 'refresh_token' || f.refresh_token !== this.refreshToken) return [403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }];
    const access = `ts-ACCESS-${++this.issued}-do-not-leak`;
    this.tokens.set(access, this.now + this.tokenLifeSec * 1000);
    const out: Record<string, unknown> = { access_token: access, expires_in: this.tokenLifeSec, scope: 'openid offline_access MarketData ReadAccount Trade', token_type: 'Bearer' };
    if (this.rotate) out.refresh_token = this.refreshToken = `ts-REFRESH-rotated-${this.issued}`;
    return [200, out];
  }

  private route(method: string, url: URL, body: string): [number, unknown] {
    const p = url.pathname;
    const bars = /^\/v3\/marketdata\/barcharts\/([A-Z.]+)$/.exec(p);
    if (method === 'GET' && bars) return this.barcharts(bars[1]!, url.searchParams);
    if (method === 'POST' && p === '/v3/orderexecution/orders') return this.place(JSON.parse(body) as Record<string, unknown>);
    const cancel = /^\/v3\/orderexecution\/orders\/(\d+)$/.exec(p);
    if (method === 'DELETE' && cancel) {
      const o = this.orders.find((x) => x.OrderID === cancel[1]);
      if (!o) return [404, { Error: 'NotFound', Message: 'Order not found.' }];
      if (!OPEN.includes(o.status)) return [400, { Error: 'BadRequest', Message: `Order ${o.OrderID} cannot be cancelled (status ${o.status}).` }];
      o.status = 'CAN';
      o.closed = new Date(this.now).toISOString();
      return [200, { OrderID: o.OrderID, Message: 'Cancel Request sent' }];
    }
    const acct = `/v3/brokerage/accounts/${this.account}`;
    if (!p.startsWith(`/v3/brokerage/accounts/`)) return [404, { Error: 'NotFound', Message: `no route ${method} ${p}` }];
    if (!p.startsWith(acct + '/')) return [200, { [p.endsWith('/balances') ? 'Balances' : p.endsWith('/positions') ? 'Positions' : 'Orders']: [], Errors: [{ AccountID: p.split('/')[4], Error: 'Forbidden', Message: 'Request not valid for the given account.' }] }];
    const rest = p.slice(acct.length);
    if (method === 'GET' && rest === '/balances') {
      let equity = this.cash;
      for (const [s, x] of this.positions) equity += x.qty * this.lastClose(s);
      return [200, { Balances: [{ AccountID: this.account, AccountType: 'Margin', CashBalance: num(this.cash), BuyingPower: num(this.cash), Equity: num(equity), MarketValue: num(equity - this.cash), TodaysProfitLoss: '0', UnclearedDeposit: '0', Commission: '0' }], Errors: [] }];
    }
    if (method === 'GET' && rest === '/positions') {
      const list = [...this.positions].filter(([, x]) => x.qty !== 0).map(([symbol, x], k) => ({
        AccountID: this.account, AssetType: 'STOCK', AveragePrice: num(x.avg), Last: num(this.lastClose(symbol)), LongShort: x.qty > 0 ? 'Long' : 'Short',
        PositionID: String(k + 1), Quantity: String(x.qty), Symbol: symbol, Timestamp: new Date(this.now).toISOString(), TotalCost: num(x.avg * x.qty),
      }));
      return [200, { Positions: list, Errors: [] }];
    }
    if (method === 'GET' && (rest === '/orders' || rest === '/historicalorders')) {
      const today = Math.floor(this.now / 86_400_000);
      const list = this.orders.filter((o) => (rest === '/orders'
        ? OPEN.includes(o.status) || Math.floor(Date.parse(o.closed ?? o.opened) / 86_400_000) >= today
        : !OPEN.includes(o.status) && Date.parse(o.opened) >= Date.parse(`${url.searchParams.get('since')}T00:00:00Z`)));
      const start = Number(url.searchParams.get('nextToken') ?? 0);
      const size = Math.min(this.pageSize, Number(url.searchParams.get('pageSize') ?? 600));
      const page = list.slice(start, start + size).map((o) => this.wire(o));
      return [200, { Orders: page, Errors: [], ...(start + size < list.length ? { NextToken: String(start + size) } : {}) }];
    }
    const one = /^\/(orders|historicalorders)\/(\d+)$/.exec(rest);
    if (method === 'GET' && one) {
      const o = this.orders.find((x) => x.OrderID === one[2]);
      return [200, o ? { Orders: [this.wire(o)], Errors: [] } : { Orders: [], Errors: [{ AccountID: this.account, OrderID: one[2], Error: 'NotFound', Message: 'Order not found.' }] }];
    }
    return [404, { Error: 'NotFound', Message: `no route ${method} ${p}` }];
  }

  private barcharts(symbol: string, q: URLSearchParams): [number, unknown] {
    const unit = q.get('unit'), interval = Number(q.get('interval'));
    const first = Date.parse(q.get('firstdate') ?? ''), last = Date.parse(q.get('lastdate') ?? '');
    if (!Number.isFinite(first) || !Number.isFinite(last)) return [400, { Error: 'BadRequest', Message: 'firstdate and lastdate are required by this fake' }];
    const daily = unit === 'Daily';
    if (daily !== (this.barSpanMs === 86_400_000) || (!daily && interval * 60_000 !== this.barSpanMs)) return [400, { Error: 'BadRequest', Message: `this fake serves ${this.barSpanMs} ms bars` }];
    if (!daily && (last - first) / this.barSpanMs > this.maxBars) return [400, { Error: 'BadRequest', Message: `The maximum number of intraday bars one may request is ${this.maxBars}.` }];
    const stamp = (b: FakeBar) => (daily ? b.t + 21 * 3_600_000 : b.t + this.barSpanMs);
    const list = (this.bars.get(symbol) ?? []).filter((b) => b.t < this.now && stamp(b) >= first && stamp(b) <= last).map((b) => ({
      High: num(b.h), Low: num(b.l), Open: num(b.o), Close: num(b.c), TimeStamp: new Date(stamp(b)).toISOString().replace('.000Z', 'Z'),
      TotalVolume: String(b.v), DownTicks: 1, DownVolume: 1, OpenInterest: '0', IsRealtime: false, IsEndOfHistory: false, TotalTicks: 2,
      UnchangedTicks: 0, UnchangedVolume: 0, UpTicks: 1, UpVolume: 1, Epoch: stamp(b), BarStatus: 'Closed',
    }));
    return [200, { Bars: list }];
  }

  private place(f: Record<string, unknown>): [number, unknown] {
    this.posts.push(f);
    const bad = (m: string): [number, unknown] => [400, { Error: 'BadRequest', Message: m }];
    if (f.AccountID !== this.account) return bad('Invalid AccountID');
    const type = String(f.OrderType);
    if (!TYPES[type]) return bad(`Invalid OrderType ${type}`);
    const duration = (f.TimeInForce as { Duration?: unknown } | undefined)?.Duration;
    if (duration !== 'DAY' && duration !== 'GTC') return bad('TimeInForce.Duration must be DAY or GTC here');
    if (typeof f.Quantity !== 'string') return bad('Quantity must be a string');
    const qty = Number(f.Quantity);
    if (!Number.isInteger(qty) || qty <= 0) return bad('Quantity must be a whole positive number');
    if ((type === 'Limit' || type === 'StopLimit') && typeof f.LimitPrice !== 'string') return bad('LimitPrice is required');
    if ((type === 'StopMarket' || type === 'StopLimit') && typeof f.StopPrice !== 'string') return bad('StopPrice is required');
    const symbol = String(f.Symbol), action = String(f.TradeAction), pos = this.position(symbol);
    if (!['BUY', 'SELL', 'SELLSHORT', 'BUYTOCOVER'].includes(action)) return bad(`Invalid TradeAction ${action}`);
    if (action === 'SELL' && !(pos > 0 && qty <= pos)) return [200, { Errors: [{ OrderID: '', Error: 'FAILED', Message: 'Order failed. Reason: the sell exceeds the long position (use SELLSHORT to open a short).' }] }];
    if (action === 'BUYTOCOVER' && !(pos < 0 && qty <= -pos)) return bad('BUYTOCOVER exceeds the short position');
    if (action === 'SELLSHORT' && pos > 0) return bad('SELLSHORT is not allowed while long');
    if (action === 'BUY' && pos < 0) return bad('BUY while short: use BUYTOCOVER');
    const o: TSOrder = {
      OrderID: String(this.nextId++), symbol, action, qty, type, duration, limit: typeof f.LimitPrice === 'string' ? Number(f.LimitPrice) : null,
      stop: typeof f.StopPrice === 'string' ? Number(f.StopPrice) : null, status: 'ACK', exec: 0, avg: 0, fee: 0, opened: new Date(this.now).toISOString(),
      closed: null, reject: null, triggered: false,
    };
    if (this.rejectNext) { o.status = 'REJ'; o.reject = this.rejectNext; o.closed = o.opened; this.rejectNext = null; }
    this.orders.push(o);
    this.onPlace?.(o);
    return [200, { Orders: [{ Message: `Sent order: ${action} ${qty} ${symbol} @ ${type}`, OrderID: o.OrderID }] }];
  }

  private wire(o: TSOrder): Record<string, unknown> {
    const w: Record<string, unknown> = {
      AccountID: this.account, CommissionFee: num(o.fee), Currency: 'USD', Duration: o.duration, GoodTillDate: '', OrderID: o.OrderID, OpenedDateTime: o.opened,
      OrderType: o.type, PriceUsedForBuyingPower: '0', Routing: 'Intelligent', Status: o.status, StatusDescription: DESCRIPTION[o.status] ?? o.status,
      Legs: [{ AssetType: 'STOCK', BuyOrSell: LEG[o.action], ExecQuantity: String(o.exec), OpenOrClose: o.action === 'SELL' || o.action === 'BUYTOCOVER' ? 'Close' : 'Open', QuantityOrdered: String(o.qty), QuantityRemaining: String(o.qty - o.exec), Symbol: o.symbol, ...(o.exec > 0 ? { ExecutionPrice: num(o.avg) } : {}) }],
    };
    if (o.exec > 0) w.FilledPrice = num(o.avg);
    if (o.closed) w.ClosedDateTime = o.closed;
    if (o.limit !== null) w.LimitPrice = num(o.limit);
    if (o.stop !== null) w.StopPrice = num(o.stop);
    if (o.reject) w.RejectReason = o.reject;
    return w;
  }

  private lastClose(symbol: string): number {
    const list = (this.bars.get(symbol) ?? []).filter((b) => b.t < this.now);
    return list.length ? list[list.length - 1]!.c : 0;
  }
}

const LEG: Record<string, string> = { BUY: 'Buy', SELL: 'Sell', SELLSHORT: 'SellShort', BUYTOCOVER: 'BuyToCover' };
const DESCRIPTION: Record<string, string> = { ACK: 'Received', OPN: 'Sent', FPR: 'Partial Fill (Alive)', FLL: 'Filled', REJ: 'Rejected', CAN: 'Canceled', EXP: 'Expired' };

function num(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}
