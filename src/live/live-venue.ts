import { reject, type Kernel, type Order, type StepView, type Venue } from '../engine/index.ts';
import { exitHit, NO_HIT, STOP_HIT, trailLevel, type Hit, type IntrabarRule } from '../engine/triggers.ts';
import type { OrderRecord, OrderType } from '../schema/index.ts';
import { MARKET_ONLY, type BrokerCapabilities, type Execution, type OrderSpec, type RelativeExits } from './broker.ts';
import type { LiveEvent } from './events.ts';
import { guardRefusal, type RiskGuards } from './guards.ts';
import type { ExitLeg, Intent, OrderUpdate } from './journal.ts';
import { closeOrder, exitLevels, nativeExit, relativeExits, specOf, unsupported } from './order-spec.ts';

export type TrackedState = 'intent' | 'waiting' | 'sent' | 'unknown' | 'done';
export type ExitKind = ExitLeg['reason'];

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
  appliedFees: number;
  appliedCount: number;
  /** The open leg that waits for this close leg. */
  next: Tracked | null;
  /** This is the first leg of a two-leg order. */
  hasNext: boolean;
  /** Beyond market (null: a market order). */
  spec: OrderSpec | null;
  /** Exits to arm on the position once this fills (brokers without relative exits). */
  exits: RelativeExits | null;
  /**
   * An exit of a position: `reason` null for the broker's own exit order (the leg that fills says which),
   * else a market order the processor placed when a simulated exit triggered.
   */
  exit: { parent: string; reason: ExitKind | null; stopPrice: number | null; limitPrice: number | null } | null;
  /** Completed bars of its asset before the processor cancels it (a time in force the broker cannot count). */
  barsLeft: number;
  /** Cancel at the broker at the next send, with this reason recorded. */
  cancelWanted: boolean;
  cancelReason: string | null;
  /** Why it is cancelled when `barsLeft` runs out (the backtest's words). */
  expiry: string | null;
  /** A strategy order held until this deployment's exit order on the asset is cancelled (the broker holds the shares). */
  waitsFor: Tracked | null;
}

/** Exits armed on one asset's position. */
export interface Armed {
  parent: Tracked;
  side: 1 | -1;
  exits: RelativeExits;
  /** The broker keeps them (simulated broker): they come back as legs of the parent. */
  relative: boolean;
  /** The broker order holding them, when one can. */
  native: Tracked | null;
  /** Simulated by the processor on completed bars: levels, best price, bars since the entry bar. */
  stop: number;
  target: number;
  trail: number;
  best: number;
  bars: number;
  entryTime: number;
  entryPrice: number;
  /** The market order a triggered simulated exit placed. */
  closing: Tracked | null;
  /** The market-on-close order of a session-close exit, resting at the broker (it holds the shares). */
  moc: Tracked | null;
  /** The close of the session the position was entered in (NaN: unknown, or daily bars). */
  closeBy: number;
}

export interface LiveVenueOptions {
  /** Prefix of client order ids: unique per deployment, so ids never collide across deployments. */
  idPrefix: string;
  allowsReversal: boolean;
  capabilities?: BrokerCapabilities;
  broker?: string;
  guards: RiskGuards;
  dayKey: (t: number) => number;
  /** Bar length (a simulated time exit is sent one bar ahead so it fills at the bar's open, as in a backtest). */
  timeframeMs?: number;
  intrabar?: IntrabarRule;
  /**
   * The close (UTC ms) of the exchange session holding an intraday bar that starts at t (NaN: none known), from
   * the broker's calendar: a time exit at the session close is refused without it (unless the broker keeps
   * relative exits itself).
   */
  sessionCloseOf?: (t: number) => number;
  emit: (e: LiveEvent) => void;
}

const EXIT_TYPE: Record<ExitKind, OrderType> = { stop: 'stopLoss', target: 'takeProfit', trail: 'trailingStop', time: 'timeExit' };

/**
 * The live processor's venue (DESIGN.md event loop steps 1 and 5). Orders arrive sized at the signal
 * (Kernel option sizing: 'signal'); the venue applies the guards, gives each a deterministic client id and
 * puts it in the outbox, which the processor persists and then sends. Broker executions queued by the
 * processor are applied at the start of the next step, exactly where a backtest fills.
 * Orders beyond market (docs/LIVE.md): entries go to the broker as its own limit/stop/stop-limit orders;
 * exits go with the entry where the broker keeps them (simulated broker), else as one broker exit order after
 * the fill (stop, limit, OCO, trailing stop) where one can hold them all, else the processor watches the
 * levels on completed bars and sends a market order when one triggers.
 */
export class LiveVenue implements Venue {
  readonly tracked = new Map<string, Tracked>();
  readonly armed = new Map<number, Armed>();
  outbox: Tracked[] = [];
  private queued: OrderUpdate[] = [];
  private kernel: Kernel | null = null;
  paused = false;
  /** Whether orders may be sent now (market open, or the timeframe fills at the next session's open). */
  canTrade: () => string | null = () => null;
  private day = NaN;
  private dayStartEquity = NaN;
  private ordersToday = 0;
  private readonly caps: BrokerCapabilities;
  private readonly hit: Hit = { code: 0, price: NaN };

  constructor(private readonly o: LiveVenueOptions) {
    this.caps = o.capabilities ?? MARKET_ONLY;
  }

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
    this.expireResting(view);
    for (const [a, x] of [...this.armed]) if (view.hasBar[a]) this.watch(a, x, view);
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
    const crosses = pos !== 0 && Math.sign(signed) === -Math.sign(pos) && Math.abs(signed) > Math.abs(pos);
    const refusal = this.paused ? 'paused: the deployment was paused or killed'
      : unsupported(order, this.caps, this.o.broker ?? 'this broker', crosses, this.o.allowsReversal, this.o.sessionCloseOf !== undefined)
      ?? this.canTrade()
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
    const { spec, barsLeft, expiry } = specOf(order, this.caps);
    // The broker holds the position's shares for its exit order: cancel that first, then send (as a backtest's
    // strategy order closes the position before the exits would).
    const held = this.armed.get(order.asset);
    const native = held?.native ?? held?.moc ?? null;
    const blocked = native !== null && native.state !== 'done' && (reducing || crosses);
    let t: Tracked;
    if (crosses && !this.o.allowsReversal) {
      t = this.track(`${base}-c`, order.asset, side, Math.abs(pos), r, blocked ? 'waiting' : 'intent');
      t.next = this.track(`${base}-o`, order.asset, side, order.value - Math.abs(pos), r, 'waiting');
      t.hasNext = true;
    } else {
      t = this.track(base, order.asset, side, order.value, r, blocked ? 'waiting' : 'intent', spec);
      t.barsLeft = barsLeft;
      t.expiry = expiry;
      if (!this.caps.relativeExits) t.exits = relativeExits(order);
    }
    if (blocked) {
      t.waitsFor = native;
      native.cancelWanted = true;
      native.cancelReason = 'cancelled: a strategy order closes the position';
    }
  }

  /** Attached exits are part of the position, but a market order a triggered exit sent is an open order. */
  hasOpenOrder(asset: number): boolean {
    for (const t of this.tracked.values()) if (t.asset === asset && t.state !== 'done' && !isResting(t)) return true;
    return false;
  }

  /** Live orders outlive the data: nothing is cancelled here (the kill switch cancels at the broker). */
  finish(): void {}

  /** Orders in flight (exit orders resting at the broker excluded: they wait for a price, not for the broker). */
  active(): Tracked[] {
    return [...this.tracked.values()].filter((t) => t.state !== 'done' && !isResting(t));
  }

  /** Exit orders resting at the broker. */
  resting(): Tracked[] {
    return [...this.tracked.values()].filter((t) => t.state !== 'done' && isResting(t));
  }

  takeOutbox(): Intent[] {
    const out = this.outbox.map((t): Intent => {
      const i: Intent = { clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: t.qty };
      if (t.spec !== null) i.spec = t.spec;
      return i;
    });
    this.outbox = [];
    return out;
  }

  /** New executions of an order the broker reports with cumulative numbers only (filled qty, average price). */
  static fromCumulative(t: Pick<Tracked, 'appliedQty' | 'appliedNotional' | 'appliedFees'>, filledQty: number, avgPrice: number, time: number, fees = 0): Execution[] {
    const qty = filledQty - t.appliedQty;
    if (!(qty > 1e-12)) return [];
    // The first fill is the average itself (avg × qty / qty can differ from it in the last bit).
    const price = t.appliedQty === 0 ? avgPrice : (avgPrice * filledQty - t.appliedNotional) / qty;
    // A fee the broker adds after the last execution it reports is not booked here; the broker's cash, the
    // truth after each tick, still carries it (a reconcile event says so).
    return [{ qty, price, fee: Math.max(0, fees - t.appliedFees), time }];
  }

  /** An order made outside the kernel's strategies (the kill switch's flatten), already journaled. */
  trackIntent(i: Intent, asset: number, record: OrderRecord): void {
    this.track(i.clientOrderId, asset, i.side, i.qty, record, 'intent');
    this.outbox = this.outbox.filter((t) => t.clientOrderId !== i.clientOrderId);
  }

  /** The broker refused an exit order: the position's exits are simulated from now on (or retried next bar). */
  exitRefused(t: Tracked): void {
    t.state = 'done';
    const x = this.armed.get(t.asset);
    if (x?.native === t) x.native = null;
    if (x?.closing === t) x.closing = null;
    if (x?.moc === t) x.moc = null; // e.g. past the broker's cut-off for closing orders: the session close is simulated
  }

  /** The kill switch forgets armed exits (their broker orders are cancelled by the processor). */
  disarmAll(): void {
    this.armed.clear();
  }

  private track(clientOrderId: string, asset: number, side: 'buy' | 'sell', qty: number, record: OrderRecord, state: TrackedState, spec: OrderSpec | null = null): Tracked {
    const t: Tracked = {
      clientOrderId, asset, symbol: record.symbol, side, qty, record, state, brokerId: null, mayExist: false,
      appliedQty: 0, appliedNotional: 0, appliedFees: 0, appliedCount: 0, next: null, hasNext: false, spec, exits: null, exit: null,
      barsLeft: Infinity, cancelWanted: false, cancelReason: null, expiry: null, waitsFor: null,
    };
    this.tracked.set(clientOrderId, t);
    if (state === 'intent') this.outbox.push(t);
    return t;
  }

  private apply(u: OrderUpdate, time: number): void {
    if (u.leg) return this.applyLeg(u, time);
    const t = this.tracked.get(u.clientOrderId);
    if (!t || t.state === 'done') return;
    if (t.exit !== null && u.executions.length > 0 && t.appliedCount === 0) this.exitRecord(t, u.exitReason ?? null);
    this.executeAll(t, u.executions, time);
    if (u.status === 'open' || u.status === 'partial' || u.status === 'pending') return;
    t.state = 'done';
    if (u.status === 'filled' && t.next) {
      // The close leg is done: the open leg may go now.
      t.next.state = 'intent';
      this.outbox.push(t.next);
      return;
    }
    if (t.next) t.next.state = 'done';
    const r = t.record;
    if (t.exit !== null) return this.exitDone(t, u, time);
    if (r.filledQuantity > 0) {
      r.status = 'filled';
      r.reason = u.status === 'filled' ? u.reason ?? r.reason : `${t.cancelReason ?? u.status} after a partial fill of ${r.filledQuantity}${u.reason && !t.cancelReason ? `: ${u.reason}` : ''}`;
    } else if (u.status === 'rejected') {
      reject(r, u.reason ?? 'rejected by the broker');
    } else {
      r.status = 'cancelled';
      // A time in force the broker counted itself ("bar" as day) reads as the backtest's expiry.
      r.reason = t.cancelReason ?? (u.status === 'expired' ? t.expiry : null) ?? u.reason ?? (u.status === 'expired' ? 'expired at the broker' : 'cancelled at the broker');
    }
    this.o.emit({ type: 'order-done', time, clientOrderId: t.clientOrderId, record: { ...r } });
    if (r.filledQuantity > 0 && t.spec?.exits) this.armRelative(t);
    else if (r.filledQuantity > 0 && t.exits !== null) this.arm(t, time);
  }

  private executeAll(t: Tracked, executions: readonly Execution[], time: number): void {
    const p = this.kernel!.portfolio;
    const r = t.record;
    const sign = t.side === 'buy' ? 1 : -1;
    const reason = t.exit?.reason ?? null;
    for (const e of executions) {
      p.fill(t.asset, sign * e.qty, e.price, e.fee, e.time, r.strategyId, reason);
      if (Number.isNaN(p.mark[t.asset]!)) p.mark[t.asset] = e.price;
      t.appliedQty += e.qty;
      t.appliedNotional += e.qty * e.price;
      t.appliedFees += e.fee;
      t.appliedCount++;
      r.filledQuantity += e.qty;
      r.fees += e.fee;
      r.fillTime = e.time;
      r.fillPrice = e.price;
      r.side = t.side;
      this.o.emit({ type: 'fill', time, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, qty: e.qty, price: e.price, fee: e.fee });
    }
  }

  /** The first fill of an exit order: it enters the run's order log as the exit that closed the trade. */
  private exitRecord(t: Tracked, leg: ExitKind | null): void {
    const x = t.exit!;
    const reason = x.reason ?? leg ?? (t.spec?.timeInForce === 'close' ? 'time' : t.spec?.type === 'trailingStop' ? 'trail' : t.spec?.type === 'stop' ? 'stop' : 'target');
    x.reason = reason;
    const parent = this.tracked.get(x.parent)!;
    const o = this.kernel!.exitOrder(t.asset, EXIT_TYPE[reason], reason, parent.record.strategyId, parent.record.id);
    const r = o.record;
    r.quantity = t.qty;
    if (reason === 'stop' || reason === 'trail') { if (x.stopPrice !== null) r.stopPrice = x.stopPrice; } else if (reason === 'target' && x.limitPrice !== null) r.limitPrice = x.limitPrice;
    t.record = r;
  }

  private exitDone(t: Tracked, u: OrderUpdate, time: number): void {
    const a = t.asset;
    const armed = this.armed.get(a);
    if (armed && (armed.native === t || armed.closing === t || armed.moc === t)) {
      if (u.status === 'filled' || this.kernel!.portfolio.qty[a] === 0) this.armed.delete(a);
      else if (armed.closing === t) armed.closing = null; // refused: the next completed bar tries again
      else if (armed.moc === t) armed.moc = null;
    }
    if (t.appliedCount > 0) {
      t.record.status = 'filled';
      if (u.status !== 'filled') t.record.reason = `${u.status} after a partial fill of ${t.record.filledQuantity}`;
      this.o.emit({ type: 'order-done', time, clientOrderId: t.clientOrderId, record: { ...t.record } });
    }
    // A strategy order waiting for this exit order to be cancelled: it goes now, unless the exit took the position first.
    for (const w of this.tracked.values()) {
      if (w.waitsFor !== t || w.state !== 'waiting') continue;
      w.waitsFor = null;
      if (t.appliedCount === 0) {
        w.state = 'intent';
        this.outbox.push(w);
      } else {
        w.state = 'done';
        if (w.next) w.next.state = 'done';
        // A simulated exit that waited for the closing order: nothing of its own to record (its record is the entry's).
        if (w.exit !== null) continue;
        w.record.status = 'cancelled';
        w.record.reason = `not sent: the position's ${t.exit!.reason} exit filled first`;
      }
    }
  }

  /** An exit the broker placed by itself (relative exits): booked as that exit's order, like the backtest's. */
  private applyLeg(u: OrderUpdate, time: number): void {
    const leg = u.leg!;
    let t = this.tracked.get(u.clientOrderId);
    if (!t) {
      const parent = this.tracked.get(leg.parent);
      if (!parent) return;
      const side = this.kernel!.portfolio.qty[parent.asset]! > 0 ? 'sell' : 'buy';
      t = this.track(u.clientOrderId, parent.asset, side, leg.qty, parent.record, 'sent');
      t.exit = { parent: leg.parent, reason: leg.reason, stopPrice: leg.stopPrice, limitPrice: leg.limitPrice };
    }
    if (t.state === 'done') return;
    if (u.executions.length > 0 && t.appliedCount === 0) this.exitRecord(t, leg.reason);
    this.executeAll(t, u.executions, time);
    if (u.status === 'open' || u.status === 'partial' || u.status === 'pending') return;
    t.state = 'done';
    const a = t.asset;
    if (this.armed.get(a)?.parent.clientOrderId === leg.parent) this.armed.delete(a);
    if (t.appliedCount > 0) {
      t.record.status = 'filled';
      this.o.emit({ type: 'order-done', time, clientOrderId: t.clientOrderId, record: { ...t.record } });
    }
  }

  /** The broker keeps the exits (relative): the processor watches the parent for legs while the position lasts. */
  private armRelative(t: Tracked): void {
    const q = this.kernel!.portfolio.qty[t.asset]!;
    if (q === 0 || Math.sign(q) !== (t.side === 'buy' ? 1 : -1)) return;
    this.armed.set(t.asset, { parent: t, side: q > 0 ? 1 : -1, exits: t.spec!.exits!, relative: true, native: null, stop: NaN, target: NaN, trail: NaN, best: NaN, bars: 0, entryTime: NaN, entryPrice: NaN, closing: null, moc: null, closeBy: NaN });
  }

  /** Arms exits at the average fill price: one broker exit order where one holds them all, else simulated. */
  private arm(t: Tracked, time: number): void {
    const a = t.asset;
    const q = this.kernel!.portfolio.qty[a]!;
    const side: 1 | -1 = t.side === 'buy' ? 1 : -1;
    if (q === 0 || Math.sign(q) !== side) return;
    const price = t.appliedNotional / t.appliedQty;
    const x = t.exits!;
    const lv = exitLevels(x, side, price);
    const closeBy = x.sessionClose && (this.o.timeframeMs ?? 0) < 86_400_000 ? this.o.sessionCloseOf?.(time) ?? NaN : NaN;
    const armed: Armed = { parent: t, side, exits: x, relative: false, native: null, ...lv, best: price, bars: 0, entryTime: time, entryPrice: price, closing: null, moc: null, closeBy };
    const spec = nativeExit(x, lv, this.caps);
    if (spec !== null) {
      const n = this.track(`${t.clientOrderId}-x`, a, side === 1 ? 'sell' : 'buy', Math.abs(q), t.record, 'intent', spec);
      n.exit = { parent: t.clientOrderId, reason: null, stopPrice: spec.ocoStopPrice ?? spec.stopPrice, limitPrice: spec.limitPrice };
      armed.native = n;
    }
    // A session close the broker takes as a market-on-close order: it fills at the closing price, where the
    // backtest closes (the close of the session's last bar); the other levels are watched on completed bars.
    // Not when the calendar says the broker's cut-off for closing orders has passed (the bar is complete now).
    const moc = time + (this.o.timeframeMs ?? 0) >= closeBy - (this.caps.closeCutoffMs ?? 0) ? null : closeOrder(x, this.caps);
    if (moc !== null) {
      const n = this.track(`${t.clientOrderId}-c`, a, side === 1 ? 'sell' : 'buy', Math.abs(q), t.record, 'intent', moc);
      n.exit = { parent: t.clientOrderId, reason: null, stopPrice: null, limitPrice: null };
      armed.moc = n;
    }
    this.armed.set(a, armed);
  }

  /** Exits at a completed bar of their asset: disarmed when the position went; simulated ones checked. */
  private watch(a: number, x: Armed, view: StepView): void {
    const q = view.qty[a]!;
    if (q === 0 || (q > 0 ? 1 : -1) !== x.side) {
      this.armed.delete(a);
      for (const n of [x.native, x.moc]) {
        if (n && n.state !== 'done') {
          n.cancelWanted = true;
          n.cancelReason = 'cancelled: the position was closed';
        }
      }
      return;
    }
    if (x.relative || x.native !== null || x.closing !== null) return;
    if (x.entryTime !== view.time) x.bars++;
    const e = x.exits;
    const stopTrail = Number.isNaN(x.trail) ? x.stop : Number.isNaN(x.stop) ? x.trail : x.side === 1 ? Math.max(x.stop, x.trail) : Math.min(x.stop, x.trail);
    // Filled inside the entry bar (not at its open): that bar's range came partly before the fill, so it is not watched.
    const skip = x.entryTime === view.time && x.entryPrice !== view.open[a];
    const h = skip ? null : exitHit(x.side, stopTrail, x.target, view.open[a]!, view.high[a]!, view.low[a]!, this.o.intrabar ?? 'pessimistic', this.hit);
    let reason: ExitKind | null = null;
    if (h !== null && h.code !== NO_HIT) reason = h.code === STOP_HIT ? (stopTrail === x.trail && !Number.isNaN(x.trail) ? 'trail' : 'stop') : 'target';
    else {
      // Sent now, a market order fills at the next bar's open: where the backtest takes a time exit.
      const next = view.time + (this.o.timeframeMs ?? 0);
      if ((e.timeBars > 0 && x.bars + 1 >= e.timeBars) || (e.timeMs > 0 && next - x.entryTime >= e.timeMs)) reason = 'time';
      else if (e.sessionClose && (x.moc === null || x.moc.state === 'done') && (this.sessionEndsNext(view.time) || view.time >= x.closeBy)) reason = 'time';
    }
    if (reason !== null) {
      // A market-on-close order holds the shares: the triggered exit waits until it is cancelled.
      const moc = x.moc !== null && x.moc.state !== 'done' ? x.moc : null;
      const c = this.track(`${x.parent.clientOrderId}-x${x.bars}`, a, x.side === 1 ? 'sell' : 'buy', Math.abs(q), x.parent.record, moc ? 'waiting' : 'intent');
      c.exit = { parent: x.parent.clientOrderId, reason, stopPrice: reason === 'stop' ? x.stop : reason === 'trail' ? x.trail : null, limitPrice: reason === 'target' ? x.target : null };
      x.closing = c;
      if (moc) {
        c.waitsFor = moc;
        moc.cancelWanted = true;
        moc.cancelReason = `cancelled: the position's ${reason} exit triggered`;
      }
      return;
    }
    if (e.trail !== null) {
      const px = e.trail.byClose ? view.close[a]! : x.side === 1 ? view.high[a]! : view.low[a]!;
      if ((px - x.best) * x.side > 0) {
        x.best = px;
        x.trail = trailLevel(x.side, px, e.trail.mode, e.trail.value);
      }
    }
  }

  /**
   * A session close without a market-on-close order: a market order sent once the bar before the session's
   * last completes fills at the last bar's open (the backtest fills at its close). Later (the entry filled on
   * the last bar, or the closing order was refused) it goes at once and fills at the next session's open.
   * Daily and longer bars are a session each: the completed bar was its session.
   */
  private sessionEndsNext(t: number): boolean {
    const tf = this.o.timeframeMs ?? 0;
    if (tf >= 86_400_000) return true;
    const close = this.o.sessionCloseOf?.(t) ?? NaN;
    return Number.isFinite(close) && t + 2 * tf >= close;
  }

  /** A time in force the broker cannot count: after its bars, the order is cancelled at the broker. */
  private expireResting(view: StepView): void {
    for (const t of this.tracked.values()) {
      if (t.state === 'done' || t.exit !== null || !Number.isFinite(t.barsLeft) || !view.hasBar[t.asset] || t.record.createdTime === view.time) continue;
      if (--t.barsLeft > 0) continue;
      t.barsLeft = Infinity;
      if (t.state === 'intent' || t.state === 'waiting') continue; // never sent: nothing rests at the broker
      t.cancelWanted = true;
      t.cancelReason = t.expiry;
    }
  }
}

function isResting(t: Tracked): boolean {
  return t.exit !== null && t.exit.reason === null && t.state !== 'done';
}
