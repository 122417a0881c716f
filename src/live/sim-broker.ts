import { Portfolio, SimulatedFills, type Order } from '../engine/index.ts';
import type { ExitReason, OrderRecord, Settings } from '../schema/index.ts';
import { BrokerError, type Broker, type BrokerAccount, type BrokerClock, type BrokerOrder, type BrokerPosition, type Execution, type LiveBar, type OrderRequest } from './broker.ts';

/** A portfolio that remembers the legs it was filled with: each leg is one execution reported to the client. */
class LegPortfolio extends Portfolio {
  legs: Execution[] = [];
  override fill(asset: number, delta: number, price: number, fee: number, time: number, strategyId: string, exitReason: ExitReason | null = null): void {
    super.fill(asset, delta, price, fee, time, strategyId, exitReason);
    if (delta !== 0) this.legs.push({ qty: Math.abs(delta), price, fee, time });
  }
}

interface Pending { req: OrderRequest; order: BrokerOrder; asset: number }

/**
 * The simulated broker: no account, no network. It fills with the backtest's fill and cost model (the same
 * SimulatedFills on its own books) and is fed bars by whoever plays the market (`advance`): nextOpen orders
 * fill at the open of their asset's next bar, `close` orders at the close of the bar that is current when
 * they arrive (or the asset's next bar). So deploying to practice on the embedded data decides and fills
 * exactly as the backtest does — the property the live tests check.
 */
export class SimBroker implements Broker {
  readonly name = 'sim';
  readonly allowsReversal = true;
  private readonly books: LegPortfolio;
  private readonly fills: SimulatedFills;
  private readonly index: Map<string, number>;
  private readonly orders = new Map<string, BrokerOrder>();
  private pending: Pending[] = [];
  private readonly history: LiveBar[] = [];
  private now = -Infinity;
  private readonly barNow: Uint8Array;
  private readonly closeNow: Float64Array;
  private nextId = 1;

  constructor(readonly symbols: readonly string[], private readonly settings: Settings, cash = settings.initialCash) {
    this.books = new LegPortfolio(symbols, cash);
    this.fills = new SimulatedFills(this.books, settings);
    this.index = new Map(symbols.map((s, i) => [s, i]));
    this.barNow = new Uint8Array(symbols.length);
    this.closeNow = new Float64Array(symbols.length).fill(NaN);
  }

  /** The market moves to `time` with these bars (all of one timestamp): due orders fill, positions are marked. */
  advance(time: number, bars: readonly LiveBar[]): void {
    this.now = time;
    this.barNow.fill(0);
    for (const b of bars) {
      const a = this.index.get(b.symbol);
      if (a === undefined) continue;
      this.barNow[a] = 1;
      this.books.mark[a] = b.open;
      this.history.push(b);
    }
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (this.barNow[p.asset]) {
        const bar = bars.find((b) => b.symbol === p.req.symbol)!;
        this.execute(p, this.settings.fillModel === 'nextOpen' ? bar.open : bar.close);
      } else keep.push(p);
    }
    this.pending = keep;
    for (const b of bars) {
      const a = this.index.get(b.symbol);
      if (a === undefined) continue;
      this.books.mark[a] = b.close;
      this.closeNow[a] = b.close;
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
    return this.pending.map((p) => clone(p.order));
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    const asset = this.index.get(req.symbol);
    if (asset === undefined) throw new BrokerError('refused', `unknown symbol ${req.symbol}`, 422);
    if (this.orders.has(req.clientOrderId)) throw new BrokerError('refused', 'client_order_id must be unique', 422);
    if (!(req.qty > 0)) throw new BrokerError('refused', 'qty must be positive', 422);
    const order: BrokerOrder = {
      id: `sim-${this.nextId++}`, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, qty: req.qty,
      filledQty: 0, avgFillPrice: null, filledAt: null, status: 'open', executions: [], reason: null,
    };
    this.orders.set(req.clientOrderId, order);
    const p = { req, order, asset };
    if (this.settings.fillModel === 'close' && this.barNow[asset]) this.execute(p, this.closeNow[asset]!);
    else this.pending.push(p);
    return clone(order);
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const o = this.orders.get(clientOrderId);
    return o ? clone(o) : null;
  }

  async cancelOrder(id: string): Promise<void> {
    const i = this.pending.findIndex((p) => p.order.id === id);
    if (i < 0) return;
    this.pending[i]!.order.status = 'cancelled';
    this.pending[i]!.order.reason = 'cancelled by the client';
    this.pending.splice(i, 1);
  }

  completedUntil(): number {
    return this.now;
  }

  /** The feed ended: orders still waiting for a bar are cancelled, as the backtest cancels them at the end of its data. */
  endOfData(): void {
    for (const p of this.pending) {
      p.order.status = 'cancelled';
      p.order.reason = 'no bar for its asset before the end of the data';
    }
    this.pending = [];
  }

  async bars(symbols: readonly string[], _timeframe: string, from: number, to: number): Promise<LiveBar[]> {
    return this.history.filter((b) => symbols.includes(b.symbol) && b.time >= from && b.time <= to);
  }

  private execute(p: Pending, price: number): void {
    const record: OrderRecord = {
      id: 0, strategyId: '', symbol: p.req.symbol, side: p.req.side, quantity: 0, createdTime: this.now,
      status: 'open', fillTime: null, fillPrice: null, filledQuantity: 0, fees: 0, reason: null,
    };
    const order: Order = { asset: p.asset, kind: 'delta', side: p.req.side === 'buy' ? 1 : -1, unit: 'quantity', value: p.req.qty, weight: 0, record, entry: null, exits: null, exitReason: null };
    this.books.legs = [];
    this.fills.execute(order, price, this.now);
    const o = p.order;
    o.executions.push(...this.books.legs);
    o.filledQty = record.filledQuantity;
    o.filledAt = record.filledQuantity > 0 ? this.now : null;
    o.avgFillPrice = o.executions.length === 0 ? null : o.executions.reduce((s, e) => s + e.qty * e.price, 0) / o.filledQty;
    o.status = record.status === 'filled' ? 'filled' : 'rejected';
    o.reason = record.reason;
  }
}

function clone(o: BrokerOrder): BrokerOrder {
  return { ...o, executions: o.executions.map((e) => ({ ...e })) };
}
