import type { Settings } from '../schema/index.ts';
import { affordable, furtherLegFees, legCommission, linearCommission, slippedPrice } from './costs.ts';
import type { Order } from './orders.ts';
import { reject } from './orders.ts';
import type { Portfolio } from './portfolio.ts';

const EPS = 1e-9;
/** Relative shortfall below which a closing quantity is taken to mean the whole position. */
const DUST = 1e-9;

/** What an order does at its fill price: a signed closing quantity, then an opening side and size. */
interface Intent {
  close: number;
  openSide: 1 | -1 | 0;
  /** Units to open; null = as many as the budget allows. */
  openQty: number | null;
  /** Money the open may use (after the close), capped by buying power; null = all buying power. */
  budget: ((p: Portfolio) => number) | null;
  /** Why nothing can be done, when the intent is empty. */
  reason?: string;
}

/**
 * Simulated fills for the backtest and replay processors. Sizing happens here, at the fill price:
 * - a reversal is two fills: close the old position, then open the new one with what is then available;
 * - opening beyond the buying power is clipped (whole units: floor), and recorded with the reason;
 * - selling more than is held opens a short only when shorting is allowed; otherwise it is clipped.
 */
export class SimulatedFills {
  private readonly whole: boolean;
  constructor(private readonly p: Portfolio, private readonly s: Settings) {
    this.whole = s.units === 'whole';
  }

  /** Fills `order` at raw market price `price` (before slippage) at `time`. */
  execute(order: Order, price: number, time: number): void {
    const p = this.p;
    const pos = p.qty[order.asset]!;
    const buyPx = slippedPrice(1, price, this.s.slippage);
    const sellPx = slippedPrice(-1, price, this.s.slippage);
    const intent = order.kind === 'target' ? this.targetIntent(order.weight, pos, buyPx, sellPx) : this.deltaIntent(order, pos, buyPx, sellPx);

    // Closing is always allowed: it only frees cash.
    let linear = 0;
    if (Math.abs(intent.close) > EPS) linear = this.fill(order, intent.close, intent.close > 0 ? buyPx : sellPx, time, 0);

    let reason: string | null = null;
    let requested = order.record.filledQuantity;
    if (intent.openSide !== 0) {
      const px = intent.openSide === 1 ? buyPx : sellPx;
      const fees = order.record.filledQuantity > 0 ? furtherLegFees(this.s.fees) : this.s.fees;
      const max = affordable(intent.budget === null ? p.buyingPower() : Math.min(p.buyingPower(), intent.budget(p)), px, fees, this.whole);
      let q = intent.openQty === null ? max : intent.openQty;
      requested += q;
      if (intent.openSide === -1 && !this.s.allowShort) {
        reason = 'shorting not allowed';
        q = 0;
      } else if (q > max + EPS) {
        reason = `reduced from ${fmt(q)} to ${fmt(max)}: insufficient cash`;
        q = max;
      }
      if (q > EPS) this.fill(order, intent.openSide * q, px, time, linear);
      else reason ??= 'insufficient cash';
    }

    const r = order.record;
    r.quantity = requested;
    if (r.filledQuantity > 0) {
      r.status = 'filled';
      r.reason = reason ?? r.reason; // a reason given at the signal (signal sizing clipped it) stands
    } else {
      reject(r, reason ?? intent.reason ?? 'already at target');
    }
  }

  /**
   * Target weight w of equity. Flat or same side: move to round(|w| × equity / unit cost) units. Opposite
   * side or w = 0: close everything, then open |w| × equity (as it stands after closing).
   */
  private targetIntent(w: number, pos: number, buyPx: number, sellPx: number): Intent {
    const side: 1 | -1 = w > 0 ? 1 : -1;
    if (w === 0) return { close: -pos, openSide: 0, openQty: 0, budget: null };
    const byWeight = (pf: Portfolio) => Math.abs(w) * pf.equity();
    if (pos !== 0 && Math.sign(pos) !== side) return { close: -pos, openSide: side, openQty: null, budget: byWeight };
    const px = side === 1 ? buyPx : sellPx;
    const target = this.round(byWeight(this.p) / this.unitCost(px));
    const diff = target - Math.abs(pos);
    if (diff < -EPS) return { close: side * diff, openSide: 0, openQty: 0, budget: null };
    if (diff > EPS) return { close: 0, openSide: side, openQty: null, budget: (pf) => byWeight(pf) - Math.abs(pos) * px };
    return { close: 0, openSide: 0, openQty: 0, budget: null };
  }

  /**
   * Buy or sell an amount. "all": buy with all buying power (covering a short first), or sell the whole
   * long position; from flat or short, "sell all" is an all-in short (a sell with no position and shorting
   * off is rejected as such). Other units give a quantity; the part that crosses zero opens the other side.
   */
  private deltaIntent(order: Order, pos: number, buyPx: number, sellPx: number): Intent {
    const side = order.side;
    if (side === -1 && pos <= 0 && !this.s.allowShort) return nothing('no position to sell');
    if (order.unit === 'all') {
      if (side === 1) return { close: pos < 0 ? -pos : 0, openSide: 1, openQty: null, budget: null };
      if (pos > 0) return { close: -pos, openSide: 0, openQty: 0, budget: null };
      return { close: 0, openSide: -1, openQty: null, budget: null };
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
      return nothing(!(order.value > 0) ? 'amount is not positive' : order.unit === 'percentOfPosition' ? 'no position' : 'insufficient cash');
    }
    qty = this.round(qty);
    if (!(qty > 0)) return nothing('amount is less than one whole unit');
    let closing = pos !== 0 && Math.sign(pos) !== side ? Math.min(qty, Math.abs(pos)) : 0;
    // A quantity fixed elsewhere (at the signal, from a copy of the books) can fall short of the position by a
    // rounding error; closing all of it leaves no 1e-14 "position" that later books a trade of its own.
    if (closing > 0 && Math.abs(pos) - closing <= DUST * Math.abs(pos)) closing = Math.abs(pos);
    const rest = Math.max(0, qty - closing);
    return { close: side * closing, openSide: rest > EPS ? side : 0, openQty: rest, budget: null };
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

function nothing(reason: string): Intent {
  return { close: 0, openSide: 0, openQty: 0, budget: null, reason };
}

function fmt(q: number): string {
  return Number.isInteger(q) ? String(q) : q.toPrecision(6);
}
