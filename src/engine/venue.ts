import type { BarColumns, ExitReason, OrderType } from '../schema/index.ts';
import type { Order, OrderExits, ResolvedLevel, RestingEntry } from './orders.ts';
import { exitHit, levelPrice, limitFill, NO_HIT, STOP_HIT, stopFill, stopLimitFill, trailLevel, type Hit, type IntrabarRule } from './triggers.ts';

/**
 * What the kernel exposes to a venue: the current step's bars, positions and the fill path.
 * Added for issue #12 (orders beyond market): high/low (triggers test a bar's range), qty (exits belong to
 * a position) and exitOrder (the venue places the exits attached to a position and the kernel records them).
 */
export interface StepView {
  readonly time: number;
  /** 1 where the asset has a bar at this step. */
  readonly hasBar: Uint8Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Signed position per asset. */
  readonly qty: Float64Array;
  execute(order: Order, price: number): void;
  /** A new order closing the asset's whole position, recorded in the run's order log. */
  exitOrder(asset: number, type: OrderType, reason: ExitReason, strategyId: string, parentId: number): Order;
}

/**
 * Where orders go (DESIGN.md event loop steps 1 and 5). The backtest and replay processors use the
 * simulated venue; the live processor hands orders to a broker and answers with fills later. An order may
 * carry a resting entry (limit, stop, stop-limit) and exits to attach to the position it opens; a venue that
 * cannot place a type natively can simulate it with the pure rules of triggers.ts.
 */
export interface Venue {
  /** Step 1: fill what is due at this bar (next-open fills, resting orders, attached exits). */
  fillDue(view: StepView): void;
  /** Step 5: take a new order from a strategy. */
  submit(order: Order, view: StepView): void;
  /** True while an order for the asset is open (no new order for an asset while one is open). Attached exits are part of the position, not open orders. */
  hasOpenOrder(asset: number): boolean;
  /** End of data: orders still open are cancelled with a reason. */
  finish(): void;
  /**
   * True while the venue may act at the asset's next bar: an open order, or exits attached to its position
   * (they count its bars, trail and may fill). The fast walk visits those bars; a venue without it is taken
   * to hold exits never (hasOpenOrder alone).
   */
  watches?(asset: number): boolean;
  /**
   * A split of `ratio` new shares per old of asset a, before this bar's fills (raw prices): open orders'
   * quantities × ratio and their prices ÷ ratio, armed exits' levels ÷ ratio. Returns how many it adjusted.
   * A live venue leaves this to the broker, which adjusts its own orders (absent: nothing to adjust here).
   */
  split?(asset: number, ratio: number): number;
}

export interface SimulatedVenueOptions {
  /** Which level a range holding both a stop and a target hits first (default pessimistic). */
  intrabar?: 'pessimistic' | 'optimistic' | 'finerData';
  /** finerData: per asset, finer bars of the same symbol (null where none), and the span of a bar at a time. */
  finer?: readonly (BarColumns | null)[];
  span?: (t: number) => { from: number; to: number };
  /** Exchange day of a time (timeInForce "day"). */
  dayOf?: (t: number) => number;
  /**
   * Whether asset a's bar at t is the last of its exchange session (timeExit sessionClose). Backtest and
   * replay answer from the stored bar times (session.ts); a live venue would ask the exchange calendar.
   */
  lastOfSession?: (a: number, t: number) => boolean;
}

const EXIT_TYPE = { stop: 'stopLoss', target: 'takeProfit', trail: 'trailingStop', time: 'timeExit' } as const;

/**
 * nextOpen: an order from bar t fills at the open of its asset's next bar.
 * close: an order fills at this bar's close when its asset has a bar now; otherwise at the asset's next
 * bar's close (never at a stale price).
 * Resting entries and attached exits are tested against each later bar's range (triggers.ts); with
 * `finerData` the range is walked finer bar by finer bar.
 */
export class SimulatedVenue implements Venue {
  private pending: Order[] = [];
  private readonly openCount: Int32Array;
  private readonly rule: IntrabarRule;
  private readonly magnify: boolean;
  private readonly finer: readonly (BarColumns | null)[];
  private readonly finerCursor: Int32Array;
  private readonly span: ((t: number) => { from: number; to: number }) | null;
  private readonly dayOf: (t: number) => number;
  private readonly lastOfSession: (a: number, t: number) => boolean;
  /** Per asset: the exits armed on its position (side 0 = none). */
  private readonly side: Int8Array;
  private readonly brackets: (Bracket | null)[];
  private readonly hit: Hit = { code: 0, price: NaN };
  /** Bars where finerData had no finer bars and the pessimistic rule decided. */
  magnifierMisses = 0;

  constructor(private readonly model: 'nextOpen' | 'close', assets: number, o: SimulatedVenueOptions = {}) {
    this.openCount = new Int32Array(assets);
    this.rule = o.intrabar === 'optimistic' ? 'optimistic' : 'pessimistic';
    this.magnify = o.intrabar === 'finerData' && !!o.finer && !!o.span;
    this.finer = o.finer ?? [];
    this.finerCursor = new Int32Array(assets);
    this.span = o.span ?? null;
    this.dayOf = o.dayOf ?? ((t) => Math.floor(t / 86_400_000));
    this.lastOfSession = o.lastOfSession ?? (() => false);
    this.side = new Int8Array(assets);
    this.brackets = new Array<Bracket | null>(assets).fill(null);
  }

  fillDue(view: StepView): void {
    if (this.pending.length > 0) {
      let keep = 0;
      for (let i = 0; i < this.pending.length; i++) {
        const o = this.pending[i]!;
        if (view.hasBar[o.asset] && this.fillPending(o, view)) this.openCount[o.asset]!--;
        else this.pending[keep++] = o;
      }
      this.pending.length = keep;
    }
    const side = this.side;
    for (let a = 0; a < side.length; a++) if (side[a] !== 0 && view.hasBar[a]) this.walkExits(a, view);
  }

  submit(order: Order, view: StepView): void {
    if (order.entry === null && this.model === 'close' && view.hasBar[order.asset]) {
      this.fill(order, view.close[order.asset]!, view, false);
      return;
    }
    this.pending.push(order);
    this.openCount[order.asset]!++;
  }

  hasOpenOrder(asset: number): boolean {
    return this.openCount[asset]! > 0;
  }

  watches(asset: number): boolean {
    // An armed bracket stays until walkExits disarms it at the asset's next bar, even after a strategy closed the position.
    return this.openCount[asset]! > 0 || this.brackets[asset] !== null;
  }

  finish(): void {
    for (const o of this.pending) {
      o.record.status = 'cancelled';
      o.record.reason = 'no bar for its asset before the end of the data';
    }
    this.pending = [];
  }

  split(asset: number, ratio: number): number {
    let n = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const o = this.pending[i]!;
      if (o.asset !== asset) continue;
      this.pending[i] = splitOrder(o, ratio);
      n++;
    }
    const b = this.brackets[asset];
    if (this.side[asset] !== 0 && b) {
      this.brackets[asset] = {
        ...b, exits: splitExits(b.exits, ratio)!, stop: b.stop / ratio, target: b.target / ratio, best: b.best / ratio, trail: b.trail / ratio,
      };
      n++;
    }
    return n;
  }

  /** A pending order at a bar of its asset: true when it is done (filled, rejected, expired). */
  private fillPending(o: Order, view: StepView): boolean {
    const a = o.asset;
    const e = o.entry;
    if (e === null) {
      const atOpen = this.model === 'nextOpen';
      this.fill(o, atOpen ? view.open[a]! : view.close[a]!, view, atOpen);
      return true;
    }
    if (Number.isNaN(e.day)) e.day = this.dayOf(view.time);
    else if (e.timeInForce === 'day' && this.dayOf(view.time) !== e.day) return this.expire(o, 'expired at the end of its day (time in force: day)');
    e.bars++;
    const done = this.magnify ? this.restFiner(o, e, view) : this.restRange(o, e, view, view.open[a]!, view.high[a]!, view.low[a]!, true);
    if (done) return true;
    if (e.timeInForce === 'bar') return this.expire(o, 'expired unfilled after one bar (time in force: bar)');
    if (e.expireAfterBars > 0 && e.bars >= e.expireAfterBars) return this.expire(o, `expired unfilled after ${e.expireAfterBars} bars`);
    return false;
  }

  private expire(o: Order, reason: string): boolean {
    o.record.status = 'cancelled';
    o.record.reason = reason;
    return true;
  }

  /** A resting entry against one range; true when it filled. `first`: the range starts at the bar's open. */
  private restRange(o: Order, e: RestingEntry, view: StepView, op: number, hi: number, lo: number, first: boolean): boolean {
    const px = e.type === 'limit' ? limitFill(o.side, e.limit, op, hi, lo)
      : e.type === 'stop' ? stopFill(o.side, e.stop, op, hi, lo)
      : stopLimitFill(o.side, e.stop, e.limit, e, op, hi, lo, this.rule);
    if (Number.isNaN(px)) return false;
    // Exits watch the same range only when the entry filled at its open (the rest of the range came after).
    this.fill(o, px, view, first && px === op);
    return true;
  }

  private restFiner(o: Order, e: RestingEntry, view: StepView): boolean {
    const a = o.asset;
    const op = view.open[a]!;
    if (this.restRange(o, e, view, op, op, op, true)) return true;
    const f = this.finerRange(a, view.time);
    if (f === null) return this.restRange(o, e, view, op, view.high[a]!, view.low[a]!, true);
    for (let i = f.from; i < f.to; i++) {
      if (this.restRange(o, e, view, f.cols.open[i]!, f.cols.high[i]!, f.cols.low[i]!, false)) {
        // Filled inside finer bar i: its exits watch the finer bars after it within this bar.
        if (this.side[a] !== 0 && this.brackets[a]!.entryTime === view.time) this.walkFiner(a, view, f.cols, i + 1, f.to);
        return true;
      }
    }
    return false;
  }

  /**
   * Fills an order; arms its exits when it left a position on its side. `watchThisBar`: it filled at the
   * bar's open, so the exits watch the rest of this bar; otherwise they start with the next range.
   */
  private fill(o: Order, price: number, view: StepView, watchThisBar: boolean): void {
    view.execute(o, price);
    const a = o.asset;
    const q = view.qty[a]!;
    if (o.exits !== null && o.record.status === 'filled' && q !== 0 && Math.sign(q) === this.openingSide(o)) {
      this.arm(a, o, q > 0 ? 1 : -1, price, view.time, watchThisBar);
    }
  }

  private openingSide(o: Order): number {
    return o.kind === 'target' ? Math.sign(o.weight) : o.side;
  }

  private arm(a: number, o: Order, side: 1 | -1, price: number, time: number, watchThisBar: boolean): void {
    const x = o.exits!;
    const stop = x.stopLoss ? levelPrice(x.stopLoss.mode, x.stopLoss.value, price, side === 1 ? -1 : 1) : NaN;
    const target = x.takeProfit ? levelPrice(x.takeProfit.mode, x.takeProfit.value, price, side) : NaN;
    this.side[a] = side;
    this.brackets[a] = {
      exits: x, stop, target, best: price, trail: x.trail ? trailLevel(side, price, x.trail.mode, x.trail.value) : NaN,
      entryTime: time, bars: 0, strategyId: o.record.strategyId, parentId: o.record.id, skipRangeAt: watchThisBar ? NaN : time,
    };
  }

  /** Exits of asset `a`'s position at this bar: time exit at the open (nextOpen), the range, then the close. */
  private walkExits(a: number, view: StepView): void {
    const b = this.brackets[a]!;
    const q = view.qty[a]!;
    if (q === 0 || (q > 0 ? 1 : -1) !== this.side[a]) {
      this.disarm(a); // a strategy's order closed or reversed the position
      return;
    }
    if (b.entryTime !== view.time) {
      b.bars++;
      if (this.model === 'nextOpen' && this.timeUp(b, view.time)) {
        this.exit(a, view, view.open[a]!, 'time');
        return;
      }
    }
    if (b.skipRangeAt !== view.time) {
      const op = view.open[a]!;
      const f = this.magnify ? this.finerRange(a, view.time) : null;
      if (f === null) {
        if (this.checkRange(a, view, op, view.high[a]!, view.low[a]!)) return;
      } else if (this.checkRange(a, view, op, op, op) || this.walkFiner(a, view, f.cols, f.from, f.to)) return;
    }
    this.endOfBar(a, view);
  }

  /** Walks finer bars [from, to) of asset a; true when an exit filled. */
  private walkFiner(a: number, view: StepView, cols: BarColumns, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.checkRange(a, view, cols.open[i]!, cols.high[i]!, cols.low[i]!)) return true;
    return false;
  }

  /** Session-close and close-model time exits and the close-based trailing update, once the bar is complete. */
  private endOfBar(a: number, view: StepView): void {
    const b = this.brackets[a] ?? null;
    if (b === null) return;
    if ((b.exits.sessionClose && this.lastOfSession(a, view.time)) || (this.model === 'close' && this.timeUp(b, view.time))) {
      this.exit(a, view, view.close[a]!, 'time');
      return;
    }
    const t = b.exits.trail;
    if (t !== null && t.byClose) this.improve(a, b, view.close[a]!);
  }

  private timeUp(b: Bracket, time: number): boolean {
    const x = b.exits;
    return (x.timeBars > 0 && b.bars >= x.timeBars) || (x.timeMs > 0 && time - b.entryTime >= x.timeMs);
  }

  /** Stop (the tighter of stop-loss and trail) and target against one range; then the high/low trail moves. True when an exit filled. */
  private checkRange(a: number, view: StepView, op: number, hi: number, lo: number): boolean {
    const b = this.brackets[a] ?? null;
    if (b === null) return false;
    const side = this.side[a] as 1 | -1;
    const trailTighter = side === 1 ? b.trail > b.stop || Number.isNaN(b.stop) : b.trail < b.stop || Number.isNaN(b.stop);
    const stop = Number.isNaN(b.trail) ? b.stop : trailTighter ? b.trail : b.stop;
    const h = exitHit(side, stop, b.target, op, hi, lo, this.rule, this.hit);
    if (h.code !== NO_HIT) {
      this.exit(a, view, h.price, h.code === STOP_HIT ? (trailTighter && !Number.isNaN(b.trail) ? 'trail' : 'stop') : 'target');
      return true;
    }
    const t = b.exits.trail;
    if (t !== null && !t.byClose) this.improve(a, b, side === 1 ? hi : lo);
    return false;
  }

  private improve(a: number, b: Bracket, px: number): void {
    const t = b.exits.trail!;
    const side = this.side[a] as 1 | -1;
    if ((px - b.best) * side > 0) {
      b.best = px;
      b.trail = trailLevel(side, px, t.mode, t.value);
    }
  }

  private exit(a: number, view: StepView, price: number, reason: 'stop' | 'target' | 'trail' | 'time'): void {
    const b = this.brackets[a]!;
    const o = view.exitOrder(a, EXIT_TYPE[reason], reason, b.strategyId, b.parentId);
    if (reason === 'stop' || reason === 'trail') o.record.stopPrice = reason === 'stop' ? b.stop : b.trail;
    else if (reason === 'target') o.record.limitPrice = b.target;
    this.disarm(a);
    view.execute(o, price);
  }

  /** A broker's cancel of the exits armed by order `parentId` on asset a's position (the simulated broker's OCO). */
  cancelExits(a: number, parentId: number): boolean {
    if (this.side[a] === 0 || this.brackets[a]!.parentId !== parentId) return false;
    this.disarm(a);
    return true;
  }

  private disarm(a: number): void {
    this.side[a] = 0;
    this.brackets[a] = null;
  }

  /** The finer bars inside asset a's bar at time t: a cursor that only moves forward (no look-ahead, no search from the start). */
  private finerRange(a: number, t: number): { cols: BarColumns; from: number; to: number } | null {
    const cols = this.finer[a];
    if (!cols) {
      this.magnifierMisses++;
      return null;
    }
    const s = this.span!(t);
    let i = this.finerCursor[a]!;
    while (i < cols.length && cols.time[i]! < s.from) i++;
    let j = i;
    while (j < cols.length && cols.time[j]! < s.to) j++;
    this.finerCursor[a] = i;
    if (j === i) {
      this.magnifierMisses++;
      return null;
    }
    return { cols, from: i, to: j };
  }
}

/** Levels in money (distance, price) scale with the share; percentages do not. */
const splitLevel = (l: ResolvedLevel | null, r: number): ResolvedLevel | null => (l === null || l.mode === 'percent' ? l : { mode: l.mode, value: l.value / r });

function splitExits(x: OrderExits | null, r: number): OrderExits | null {
  if (x === null) return null;
  return {
    ...x,
    stopLoss: splitLevel(x.stopLoss, r),
    takeProfit: splitLevel(x.takeProfit, r),
    trail: x.trail && x.trail.mode === 'distance' ? { ...x.trail, value: x.trail.value / r } : x.trail,
  };
}

/** An open order after a split: a fixed quantity × r, its entry's prices and exits' money levels ÷ r (the record shows the new prices). */
function splitOrder(o: Order, r: number): Order {
  const e = o.entry;
  const entry: RestingEntry | null = e === null ? null : { ...e, stop: e.stop / r, limit: e.limit / r };
  if (o.record.stopPrice !== undefined) o.record.stopPrice /= r;
  if (o.record.limitPrice !== undefined) o.record.limitPrice /= r;
  if (o.unit === 'quantity' && o.record.quantity > 0) o.record.quantity *= r;
  return { ...o, value: o.unit === 'quantity' ? o.value * r : o.value, entry, exits: splitExits(o.exits, r) };
}

/** The exits armed on one position. */
interface Bracket {
  readonly exits: OrderExits;
  readonly stop: number;
  readonly target: number;
  /** Best price since entry and the trailing stop's level from it (NaN: no trail). */
  best: number;
  trail: number;
  readonly entryTime: number;
  /** Bars of the asset since the entry bar. */
  bars: number;
  readonly strategyId: string;
  /** Id of the order whose exits these are. */
  readonly parentId: number;
  /** The bar where the entry filled inside the range: its range is not watched again (it was, after the fill, or cannot be ordered). */
  readonly skipRangeAt: number;
}
