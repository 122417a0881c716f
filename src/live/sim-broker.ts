import { dayKeyOf, Portfolio, SimulatedFills, SimulatedVenue, type Order, type StepView } from '../engine/index.ts';
import type { ExitReason, OrderRecord, OrderType, Settings } from '../schema/index.ts';
import { BrokerError, type Broker, type BrokerAccount, type BrokerCapabilities, type BrokerClock, type BrokerOrder, type BrokerPosition, type Execution, type LiveBar, type OrderRequest } from './broker.ts';

/** A portfolio that remembers the legs it was filled with: each leg is one execution reported to the client. */
class LegPortfolio extends Portfolio {
  legs: Execution[] = [];
  override fill(asset: number, delta: number, price: number, fee: number, time: number, strategyId: string, exitReason: ExitReason | null = null): void {
    super.fill(asset, delta, price, fee, time, strategyId, exitReason);
    if (delta !== 0) this.legs.push({ qty: Math.abs(delta), price, fee, time });
  }
}

type MutableView = { -readonly [K in keyof StepView]: StepView[K] };

/**
 * The simulated broker: no account, no network. It is the backtest's own venue (SimulatedVenue: fill model,
 * resting limit/stop/stop-limit entries with their time in force, exits attached to the position and
 * triggered by the intrabar rule) on its own books, fed bars by whoever plays the market (`advance`). So
 * deploying to practice on the embedded data decides and fills exactly as the backtest does — the property the
 * live tests check. An order's exits come back as `legs` of the order, each with why it closed the trade.
 */
export class SimBroker implements Broker {
  readonly name = 'sim';
  readonly allowsReversal = true;
  readonly capabilities: BrokerCapabilities = { entries: new Set(['limit', 'stop', 'stopLimit']), barExpiry: true, relativeExits: true, exitOrders: new Set() };
  private readonly books: LegPortfolio;
  private readonly fills: SimulatedFills;
  private readonly venue: SimulatedVenue;
  private readonly view: MutableView;
  private readonly index: Map<string, number>;
  private readonly orders = new Map<string, BrokerOrder>();
  /** Every order the venue knows (the client's, and the exits it placed) by its record. */
  private readonly byRecord = new Map<OrderRecord, { bo: BrokerOrder; parent: BrokerOrder | null; asset: number }>();
  /** Client orders not yet done, in submission order. */
  private open: { record: OrderRecord; bo: BrokerOrder; asset: number }[] = [];
  private readonly history: LiveBar[] = [];
  private now = -Infinity;
  private nextId = 1;

  /**
   * `lastOfSession`: whether asset a's bar at t ends its exchange session — from the replayed data's bar times
   * (practice.ts), the backtest's own rule (session.ts), so a time exit at the session close fills alike.
   */
  constructor(readonly symbols: readonly string[], private readonly settings: Settings, cash = settings.initialCash, lastOfSession?: (a: number, t: number) => boolean) {
    const n = symbols.length;
    this.books = new LegPortfolio(symbols, cash);
    this.fills = new SimulatedFills(this.books, settings);
    // No finer bars in a live feed: finerData falls back to the pessimistic rule, as a backtest without finer data does.
    this.venue = new SimulatedVenue(settings.fillModel, n, { intrabar: settings.intrabar === 'optimistic' ? 'optimistic' : 'pessimistic', dayOf: dayKeyOf(settings), lastOfSession });
    this.index = new Map(symbols.map((s, i) => [s, i]));
    const col = () => new Float64Array(n).fill(NaN);
    this.view = {
      time: -Infinity, hasBar: new Uint8Array(n), open: col(), high: col(), low: col(), close: col(), qty: this.books.qty,
      execute: (o, price) => this.execute(o, price),
      exitOrder: (asset, type, reason, strategyId) => this.exitOrder(asset, type, reason, strategyId),
    };
  }

  /** The market moves to `time` with these bars (all of one timestamp): due orders and exits fill, positions are marked. */
  advance(time: number, bars: readonly LiveBar[]): void {
    const v = this.view;
    this.now = time;
    v.time = time;
    v.hasBar.fill(0);
    for (const b of bars) {
      const a = this.index.get(b.symbol);
      if (a === undefined) continue;
      v.hasBar[a] = 1;
      v.open[a] = b.open;
      v.high[a] = b.high;
      v.low[a] = b.low;
      v.close[a] = b.close;
      this.books.mark[a] = b.open;
      this.history.push(b);
    }
    this.venue.fillDue(v);
    this.sync();
    for (const b of bars) {
      const a = this.index.get(b.symbol);
      if (a !== undefined) this.books.mark[a] = b.close;
    }
  }

  async account(): Promise<BrokerAccount> {
    const equity = this.books.equity();
    return { id: 'SIM', cash: this.books.cash, equity: Number.isNaN(equity) ? this.books.cash : equity, buyingPower: this.books.buyingPower() };
  }

  async clock(): Promise<BrokerClock> {
    return { time: this.now, isOpen: true, nextOpen: this.now, nextClose: Infinity };
  }

  async positions(): Promise<BrokerPosition[]> {
    const out: BrokerPosition[] = [];
    this.symbols.forEach((symbol, a) => {
      if (this.books.qty[a] !== 0) out.push({ symbol, qty: this.books.qty[a]!, avgPrice: this.books.avgPrice[a]! });
    });
    return out;
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return this.open.map((p) => clone(p.bo));
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    const asset = this.index.get(req.symbol);
    if (asset === undefined) throw new BrokerError('refused', `unknown symbol ${req.symbol}`, 422);
    if (this.orders.has(req.clientOrderId)) throw new BrokerError('refused', 'client_order_id must be unique', 422);
    if (!(req.qty > 0)) throw new BrokerError('refused', 'qty must be positive', 422);
    const s = req.spec;
    if (s && (s.type === 'trailingStop' || s.ocoStopPrice !== null || s.timeInForce === 'close')) {
      throw new BrokerError('refused', `the simulated broker takes exits attached to an entry, not ${s.type === 'trailingStop' ? 'trailing stop' : s.timeInForce === 'close' ? 'market-on-close' : 'OCO'} orders`, 422);
    }
    const bo: BrokerOrder = {
      id: `sim-${this.nextId}`, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, qty: req.qty,
      filledQty: 0, avgFillPrice: null, filledAt: null, status: 'open', executions: [], reason: null, legs: [],
    };
    // The record's strategy id names the client order, so the exits the venue places find their parent.
    const record = simRecord(this.nextId++, req.clientOrderId, req.symbol, req.side, this.now);
    const entry: Order['entry'] = s && s.type !== 'market' && s.type !== 'trailingStop'
      ? { type: s.type, stop: s.stopPrice ?? NaN, limit: s.limitPrice ?? NaN, timeInForce: s.timeInForce === 'close' ? 'day' : s.timeInForce, expireAfterBars: s.expireAfterBars, triggered: false, bars: 0, day: NaN }
      : null;
    const order: Order = { asset, kind: 'delta', side: req.side === 'buy' ? 1 : -1, unit: 'quantity', value: req.qty, weight: 0, record, entry, exits: s?.exits ?? null, exitReason: null };
    this.orders.set(req.clientOrderId, bo);
    this.byRecord.set(record, { bo, parent: null, asset });
    this.open.push({ record, bo, asset });
    this.view.time = this.now;
    this.venue.submit(order, this.view);
    this.sync();
    return clone(bo);
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const o = this.orders.get(clientOrderId);
    return o ? clone(o) : null;
  }

  /** Cancels an open order; for a filled order, the exits armed by it (they are its legs: an OCO cancelled). */
  async cancelOrder(id: string): Promise<void> {
    for (const [record, x] of this.byRecord) {
      if (x.bo.id !== id) continue;
      if (x.bo.status === 'open') {
        x.bo.status = 'cancelled';
        x.bo.reason = 'cancelled by the client';
        record.status = 'cancelled';
        this.open = this.open.filter((p) => p.bo !== x.bo);
      } else if (x.bo.status === 'filled' && x.parent === null) this.venue.cancelExits(x.asset, record.id);
      return;
    }
  }

  /** Every open order cancelled and every armed exit disarmed (the kill switch, rebuilt on resume). */
  cancelAll(): void {
    for (const p of this.open) {
      p.bo.status = 'cancelled';
      p.bo.reason = 'cancelled by the client';
      p.record.status = 'cancelled';
    }
    this.open = [];
    for (const [record, x] of this.byRecord) if (x.parent === null && x.bo.status === 'filled') this.venue.cancelExits(x.asset, record.id);
  }

  completedUntil(): number {
    return this.now;
  }

  /** The feed ended: orders still waiting for a bar are cancelled, as the backtest cancels them at the end of its data. */
  endOfData(): void {
    this.venue.finish();
    this.sync();
  }

  async bars(symbols: readonly string[], _timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    return this.history.filter((b) => symbols.includes(b.symbol) && b.time >= from && b.time <= to);
  }

  /** The venue fills an order (a client's, or an exit it placed): its executions go to the broker order. */
  private execute(order: Order, price: number): void {
    const x = this.byRecord.get(order.record);
    if (!x || x.bo.status !== 'open') {
      // Cancelled by the client before its bar: it does nothing (and arms no exits).
      order.record.status = 'cancelled';
      return;
    }
    this.books.legs = [];
    this.fills.execute(order, price, this.now);
    const bo = x.bo, r = order.record;
    bo.executions.push(...this.books.legs);
    bo.filledQty = r.filledQuantity;
    bo.filledAt = r.filledQuantity > 0 ? this.now : null;
    bo.avgFillPrice = bo.executions.length === 0 ? null : bo.executions.reduce((s, e) => s + e.qty * e.price, 0) / bo.filledQty;
    bo.status = r.status === 'filled' ? 'filled' : 'rejected';
    bo.reason = r.reason;
    if (r.stopPrice !== undefined) bo.stopPrice = r.stopPrice;
    if (r.limitPrice !== undefined) bo.limitPrice = r.limitPrice;
  }

  /** The venue places an exit of the position order `parentCid` opened: a leg of that order. */
  private exitOrder(asset: number, _type: OrderType, reason: ExitReason, parentCid: string): Order {
    const parent = this.orders.get(parentCid)!;
    const side = this.books.qty[asset]! > 0 ? 'sell' : 'buy';
    const record = simRecord(0, parentCid, parent.symbol, side, this.now);
    const n = parent.legs!.length + 1;
    const bo: BrokerOrder = {
      id: `${parent.id}-x${n}`, clientOrderId: `${parentCid}-x${n}`, symbol: parent.symbol, side,
      qty: Math.abs(this.books.qty[asset]!), filledQty: 0, avgFillPrice: null, filledAt: null, status: 'open', executions: [], reason: null,
      // 'end' (settings.closeAtEnd) is a backtest's end of data; a live run never places it.
      exitReason: reason === 'signal' || reason === 'end' ? undefined : reason,
    };
    parent.legs!.push(bo);
    this.byRecord.set(record, { bo, parent, asset });
    return { asset, kind: 'target', side: side === 'buy' ? 1 : -1, unit: 'all', value: 0, weight: 0, record, entry: null, exits: null, exitReason: reason };
  }

  /** Client orders the venue finished (filled, rejected, expired, cancelled at the end of the data) leave the open list. */
  private sync(): void {
    this.open = this.open.filter((p) => {
      if (p.bo.status === 'open' && p.record.status === 'cancelled') {
        p.bo.status = 'cancelled';
        p.bo.reason = p.record.reason;
      }
      return p.bo.status === 'open';
    });
  }
}

function simRecord(id: number, strategyId: string, symbol: string, side: 'buy' | 'sell', time: number): OrderRecord {
  return { id, strategyId, symbol, side, quantity: 0, createdTime: time, status: 'open', fillTime: null, fillPrice: null, filledQuantity: 0, fees: 0, reason: null };
}

function clone(o: BrokerOrder): BrokerOrder {
  return { ...o, executions: o.executions.map((e) => ({ ...e })), legs: o.legs?.map(clone) };
}
