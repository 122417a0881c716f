import { reject, type Kernel, type Order, type StepView, type Venue } from '../engine/index.ts';
import type { OrderRecord } from '../schema/index.ts';
import type { Execution } from './broker.ts';
import type { LiveEvent } from './events.ts';
import { guardRefusal, type RiskGuards } from './guards.ts';
import type { Intent, OrderUpdate } from './journal.ts';

export type TrackedState = 'intent' | 'waiting' | 'sent' | 'unknown' | 'done';

/** One order at the broker (a reversal a broker cannot take in one order is two: close, then open). */
export interface Tracked {
  clientOrderId: string;
  asset: number;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  record: OrderRecord;
  state: TrackedState;
  brokerId: string | null;
  /** The broker may already hold it (restored intent, ambiguous send): look up before sending. */
  mayExist: boolean;
  appliedQty: number;
  appliedNotional: number;
  appliedCount: number;
  /** The open leg that waits for this close leg. */
  next: Tracked | null;
  /** This is the first leg of a two-leg order. */
  hasNext: boolean;
}

export interface LiveVenueOptions {
  /** Prefix of client order ids: unique per deployment, so ids never collide across deployments. */
  idPrefix: string;
  allowsReversal: boolean;
  guards: RiskGuards;
  dayKey: (t: number) => number;
  emit: (e: LiveEvent) => void;
}

/**
 * The live processor's venue (DESIGN.md event loop steps 1 and 5). Orders arrive sized at the signal
 * (Kernel option sizing: 'signal'); the venue applies the guards, gives each a deterministic client id and
 * puts it in the outbox, which the processor persists and then sends. Broker executions queued by the
 * processor are applied at the start of the next step, exactly where a backtest fills.
 */
export class LiveVenue implements Venue {
  readonly tracked = new Map<string, Tracked>();
  outbox: Tracked[] = [];
  private queued: OrderUpdate[] = [];
  private kernel: Kernel | null = null;
  paused = false;
  /** Whether orders may be sent now (market open, or the timeframe fills at the next session's open). */
  canTrade: () => string | null = () => null;
  private day = NaN;
  private dayStartEquity = NaN;
  private ordersToday = 0;

  constructor(private readonly o: LiveVenueOptions) {}

  bind(kernel: Kernel): void {
    this.kernel = kernel;
  }

  queue(updates: readonly OrderUpdate[]): void {
    this.queued.push(...updates);
  }

  fillDue(view: StepView): void {
    const day = this.o.dayKey(view.time);
    if (day !== this.day) {
      this.day = day;
      this.ordersToday = 0;
      this.dayStartEquity = this.kernel!.portfolio.equity();
    }
    this.applyQueued(view.time);
  }

  /** Applies queued updates now (between bars, while settling). */
  applyQueued(time: number): void {
    const updates = this.queued;
    this.queued = [];
    for (const u of updates) this.apply(u, time);
  }

  submit(order: Order, view: StepView): void {
    const r = order.record;
    const k = this.kernel!;
    const pos = k.portfolio.qty[order.asset]!;
    const signed = order.side * order.value;
    const reducing = pos !== 0 && Math.sign(signed) === -Math.sign(pos) && Math.abs(signed) <= Math.abs(pos);
    const refusal = this.paused ? 'paused: the deployment was paused or killed'
      : order.entry !== null || order.exits !== null ? `${order.entry?.type ?? 'attached exit'} orders are not sent to brokers yet: live trading places market orders only`
      : this.canTrade()
      ?? guardRefusal(this.o.guards, {
        notional: order.value * view.close[order.asset]!,
        ordersToday: this.ordersToday,
        dayStartEquity: this.dayStartEquity,
        equity: k.portfolio.equity(),
        reducing,
      });
    if (refusal !== null) {
      reject(r, refusal);
      this.o.emit({ type: 'guard', time: view.time, symbol: r.symbol, reason: refusal });
      return;
    }
    this.ordersToday++;
    const side = order.side === 1 ? 'buy' : 'sell';
    const base = `${this.o.idPrefix}-${r.id}`;
    const crosses = pos !== 0 && Math.sign(signed) === -Math.sign(pos) && Math.abs(signed) > Math.abs(pos);
    if (crosses && !this.o.allowsReversal) {
      const close = this.track(`${base}-c`, order.asset, side, Math.abs(pos), r, 'intent');
      close.next = this.track(`${base}-o`, order.asset, side, order.value - Math.abs(pos), r, 'waiting');
      close.hasNext = true;
    } else {
      this.track(base, order.asset, side, order.value, r, 'intent');
    }
  }

  hasOpenOrder(asset: number): boolean {
    for (const t of this.tracked.values()) if (t.asset === asset && t.state !== 'done') return true;
    return false;
  }

  /** Live orders outlive the data: nothing is cancelled here (the kill switch cancels at the broker). */
  finish(): void {}

  active(): Tracked[] {
    return [...this.tracked.values()].filter((t) => t.state !== 'done');
  }

  takeOutbox(): Intent[] {
    const out = this.outbox.map((t) => ({ clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty }));
    this.outbox = [];
    return out;
  }

  /** New executions of an order the broker reports with cumulative numbers only (filled qty, average price). */
  static fromCumulative(t: Tracked, filledQty: number, avgPrice: number, time: number): Execution[] {
    const qty = filledQty - t.appliedQty;
    if (!(qty > 1e-12)) return [];
    const price = (avgPrice * filledQty - t.appliedNotional) / qty;
    return [{ qty, price, fee: 0, time }];
  }

  /** An order made outside the kernel's strategies (the kill switch's flatten), already journaled. */
  trackIntent(i: Intent, asset: number, record: OrderRecord): void {
    this.track(i.clientOrderId, asset, i.side, i.qty, record, 'intent');
    this.outbox = this.outbox.filter((t) => t.clientOrderId !== i.clientOrderId);
  }

  private track(clientOrderId: string, asset: number, side: 'buy' | 'sell', qty: number, record: OrderRecord, state: TrackedState): Tracked {
    const t: Tracked = {
      clientOrderId, asset, symbol: record.symbol, side, qty, record, state, brokerId: null, mayExist: false,
      appliedQty: 0, appliedNotional: 0, appliedCount: 0, next: null, hasNext: false,
    };
    this.tracked.set(clientOrderId, t);
    if (state === 'intent') this.outbox.push(t);
    return t;
  }

  private apply(u: OrderUpdate, time: number): void {
    const t = this.tracked.get(u.clientOrderId);
    if (!t || t.state === 'done') return;
    const p = this.kernel!.portfolio;
    const r = t.record;
    const sign = t.side === 'buy' ? 1 : -1;
    for (const e of u.executions) {
      p.fill(t.asset, sign * e.qty, e.price, e.fee, e.time, r.strategyId);
      if (Number.isNaN(p.mark[t.asset]!)) p.mark[t.asset] = e.price;
      t.appliedQty += e.qty;
      t.appliedNotional += e.qty * e.price;
      t.appliedCount++;
      r.filledQuantity += e.qty;
      r.fees += e.fee;
      r.fillTime = e.time;
      r.fillPrice = e.price;
      r.side = t.side;
      this.o.emit({ type: 'fill', time, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: e.qty, price: e.price, fee: e.fee });
    }
    if (u.status === 'open' || u.status === 'partial' || u.status === 'pending') return;
    t.state = 'done';
    if (u.status === 'filled' && t.next) {
      // The close leg is done: the open leg may go now.
      t.next.state = 'intent';
      this.outbox.push(t.next);
      return;
    }
    if (t.next) t.next.state = 'done';
    if (r.filledQuantity > 0) {
      r.status = 'filled';
      r.reason = u.status === 'filled' ? u.reason ?? r.reason : `${u.status} after a partial fill of ${r.filledQuantity}${u.reason ? `: ${u.reason}` : ''}`;
    } else if (u.status === 'rejected') {
      reject(r, u.reason ?? 'rejected by the broker');
    } else {
      r.status = 'cancelled';
      r.reason = u.reason ?? (u.status === 'expired' ? 'expired at the broker' : 'cancelled at the broker');
    }
    this.o.emit({ type: 'order-done', time, clientOrderId: t.clientOrderId, record: { ...r } });
  }
}
