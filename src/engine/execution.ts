import type { Fees, Settings } from '../schema/index.ts';
import { affordable, furtherLegFees, legCommission, linearCommission, slippedPrice } from './costs.ts';
import type { Order } from './orders.ts';
import { reject } from './orders.ts';
import type { Portfolio } from './portfolio.ts';

const EPS = 1e-9;
/** Relative shortfall below which a closing quantity is taken to mean the whole position. */
const DUST = 1e-9;

/** Budget of an opening leg: all buying power, |w| × equity after the close, or that less the units already held. */
const BUDGET_ALL = 0, BUDGET_WEIGHT = 1, BUDGET_WEIGHT_LESS_HELD = 2;

/**
 * Simulated fills for the backtest and replay processors. Sizing happens here, at the fill price:
 * - a reversal is two fills: close the old position, then open the new one with what is then available;
 * - opening beyond the buying power is clipped (whole units: floor), and recorded with the reason;
 * - selling more than is held opens a short only when shorting is allowed; otherwise it is clipped.
 * What an order does at its fill price (its intent: a signed closing quantity, then an opening side and
 * size) lives in fields, not in an object per fill: the fast walk fills tens of thousands of orders per run.
 */
export class SimulatedFills {
  private readonly whole: boolean;
  private readonly furtherFees: Fees;
  // The intent of the order being filled.
  private close = 0;
  private openSide: 1 | -1 | 0 = 0;
  /** Units to open; NaN = as many as the budget allows. */
  private openQty = 0;
  private budget = BUDGET_ALL;
  private weight = 0;
  private held = 0;
  /** Why nothing can be done, when the intent is empty. */
  private why: string | null = null;

  constructor(private readonly p: Portfolio, private readonly s: Settings) {
    this.whole = s.units === 'whole';
    this.furtherFees = furtherLegFees(s.fees);
  }

  /** Fills `order` at raw market price `price` (before slippage) at `time`. */
  execute(order: Order, price: number, time: number): void {
    const p = this.p;
    const pos = p.qty[order.asset]!;
    const buyPx = slippedPrice(1, price, this.s.slippage);
    const sellPx = slippedPrice(-1, price, this.s.slippage);
    this.why = null;
    if (order.kind === 'target') this.targetIntent(order.weight, pos, buyPx, sellPx);
    else this.deltaIntent(order, pos, buyPx, sellPx);

    // Closing is always allowed: it only frees cash.
    let linear = 0;
    if (Math.abs(this.close) > EPS) linear = this.fill(order, this.close, this.close > 0 ? buyPx : sellPx, time, 0);

    let reason: string | null = null;
    let requested = order.record.filledQuantity;
    const openSide = this.openSide;
    if (openSide !== 0) {
      const px = openSide === 1 ? buyPx : sellPx;
      const fees = order.record.filledQuantity > 0 ? this.furtherFees : this.s.fees;
      const bp = p.buyingPower();
      const max = affordable(this.budget === BUDGET_ALL ? bp : Math.min(bp, this.budgetOf(px)), px, fees, this.whole);
      let q = Number.isNaN(this.openQty) ? max : this.openQty;
      requested += q;
      if (openSide === -1 && !this.s.allowShort) {
        reason = 'shorting not allowed';
        q = 0;
      } else if (q > max + EPS) {
        reason = `reduced from ${fmt(q)} to ${fmt(max)}: insufficient cash`;
        q = max;
      }
      if (q > EPS) this.fill(order, openSide * q, px, time, linear);
      else reason ??= 'insufficient cash';
    }

    const r = order.record;
    // An order sized at the signal was sent for that quantity (live: to the broker), also when the fill finds
    // nothing to do with it (the position it sells closed since): its record says so, as the broker's does.
    if (order.fixedAtSignal !== true || requested > 0) r.quantity = requested;
    if (r.filledQuantity > 0) {
      r.status = 'filled';
      r.reason = reason ?? r.reason; // a reason given at the signal (signal sizing clipped it) stands
    } else {
      reject(r, reason ?? this.why ?? 'already at target');
    }
  }

  private intent(close: number, openSide: 1 | -1 | 0, openQty: number, budget: number): void {
    this.close = close;
    this.openSide = openSide;
    this.openQty = openQty;
    this.budget = budget;
  }

  private nothing(reason: string): void {
    this.intent(0, 0, 0, BUDGET_ALL);
    this.why = reason;
  }

  /** The opening leg's budget (BUDGET_WEIGHT…), read after the closing leg filled. */
  private budgetOf(px: number): number {
    const byWeight = Math.abs(this.weight) * this.p.equity();
    return this.budget === BUDGET_WEIGHT ? byWeight : byWeight - Math.abs(this.held) * px;
  }

  /**
   * Target weight w of equity. Flat or same side: move to round(|w| × equity / unit cost) units. Opposite
   * side or w = 0: close everything, then open |w| × equity (as it stands after closing).
   */
  private targetIntent(w: number, pos: number, buyPx: number, sellPx: number): void {
    const side: 1 | -1 = w > 0 ? 1 : -1;
    this.weight = w;
    this.held = pos;
    if (w === 0) return this.intent(-pos, 0, 0, BUDGET_ALL);
    if (pos !== 0 && Math.sign(pos) !== side) return this.intent(-pos, side, NaN, BUDGET_WEIGHT);
    const px = side === 1 ? buyPx : sellPx;
    const target = this.round((Math.abs(w) * this.p.equity()) / this.unitCost(px));
    const diff = target - Math.abs(pos);
    if (diff < -EPS) return this.intent(side * diff, 0, 0, BUDGET_ALL);
    if (diff > EPS) return this.intent(0, side, NaN, BUDGET_WEIGHT_LESS_HELD);
    return this.intent(0, 0, 0, BUDGET_ALL);
  }

  /**
   * Buy or sell an amount. "all": buy with all buying power (covering a short first), or sell the whole
   * long position; from flat or short, "sell all" is an all-in short (a sell with no position and shorting
   * off is rejected as such). Other units give a quantity; the part that crosses zero opens the other side.
   */
  private deltaIntent(order: Order, pos: number, buyPx: number, sellPx: number): void {
    const side = order.side;
    if (side === -1 && pos <= 0 && !this.s.allowShort) return this.nothing('no position to sell');
    if (order.unit === 'all') {
      if (side === 1) return this.intent(pos < 0 ? -pos : 0, 1, NaN, BUDGET_ALL);
      if (pos > 0) return this.intent(-pos, 0, 0, BUDGET_ALL);
      return this.intent(0, -1, NaN, BUDGET_ALL);
    }
    const unitCost = this.unitCost(side === 1 ? buyPx : sellPx);
    let qty: number;
    switch (order.unit) {
      case 'quantity': qty = order.value; break;
      case 'percentOfPosition': qty = (Math.abs(pos) * order.value) / 100; break;
      case 'cash': qty = order.value / unitCost; break;
      case 'percentOfCash': qty = (Math.max(this.p.buyingPower(), 0) * order.value) / 100 / unitCost; break;
      case 'percentOfEquity': qty = (this.p.equity() * order.value) / 100 / unitCost; break;
    }
    if (!(qty > 0)) {
      return this.nothing(!(order.value > 0) ? 'amount is not positive' : order.unit === 'percentOfPosition' ? 'no position' : 'insufficient cash');
    }
    qty = this.round(qty);
    if (!(qty > 0)) return this.nothing('amount is less than one whole unit');
    let closing = pos !== 0 && Math.sign(pos) !== side ? Math.min(qty, Math.abs(pos)) : 0;
    // A quantity fixed elsewhere (at the signal, from a copy of the books) can fall short of the position by a
    // rounding error; closing all of it leaves no 1e-14 "position" that later books a trade of its own.
    if (closing > 0 && Math.abs(pos) - closing <= DUST * Math.abs(pos)) closing = Math.abs(pos);
    const rest = Math.max(0, qty - closing);
    this.intent(side * closing, rest > EPS ? side : 0, rest, BUDGET_ALL);
  }

  private unitCost(px: number): number {
    return px * (1 + this.s.fees.fraction) + this.s.fees.perShare;
  }

  private round(q: number): number {
    return this.whole ? Math.floor(q + 1e-9) : q;
  }

  /** Fills one leg; returns the order's variable commission so far (a further leg pays no fixed fee again). */
  private fill(order: Order, delta: number, price: number, time: number, linearSoFar: number): number {
    const r = order.record;
    const linear = linearCommission(Math.abs(delta), price, this.s.fees);
    const fee = legCommission(r.filledQuantity === 0, linearSoFar, linear, r.fees, this.s.fees);
    this.p.fill(order.asset, delta, price, fee, time, r.strategyId, order.exitReason);
    r.filledQuantity += Math.abs(delta);
    r.fees += fee;
    r.fillTime = time;
    r.fillPrice = price;
    r.side = delta > 0 ? 'buy' : 'sell';
    return linearSoFar + linear;
  }
}

function fmt(q: number): string {
  return Number.isInteger(q) ? String(q) : q.toPrecision(6);
}
