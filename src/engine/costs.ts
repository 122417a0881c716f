import type { Fees, Slippage } from '../schema/index.ts';

/** Slippage always moves the price against the trader: buys pay more, sells receive less. */
export function slippedPrice(side: 1 | -1, price: number, s: Slippage): number {
  // A fixed slippage larger than the price cannot make a seller pay to sell: the floor is 0.
  return side === 1 ? price * (1 + s.bps / 10_000) + s.fixed : Math.max(0, price * (1 - s.bps / 10_000) - s.fixed);
}

/** Commission of one fill: fraction × notional + perShare × quantity + perOrder, at least `minimum`. */
export function commission(quantity: number, price: number, f: Fees): number {
  if (quantity <= 0) return 0;
  const c = f.fraction * quantity * price + f.perShare * quantity + f.perOrder;
  return c < f.minimum ? f.minimum : c;
}

/** Variable part of a commission (fraction of notional + per share): what every further leg of an order pays. */
export function linearCommission(quantity: number, price: number, f: Fees): number {
  return quantity > 0 ? f.fraction * quantity * price + f.perShare * quantity : 0;
}

/**
 * The commission of an order filled in several legs (a reversal: close, then open) is that of one order:
 * perOrder once and the minimum once, over the legs' summed variable parts. Returns what this leg owes
 * given the variable part and the fee charged by earlier legs.
 */
export function legCommission(first: boolean, linearSoFar: number, linearLeg: number, chargedSoFar: number, f: Fees): number {
  if (first) {
    const c = linearLeg + f.perOrder;
    return linearLeg > 0 || f.perOrder > 0 || f.minimum > 0 ? (c < f.minimum ? f.minimum : c) : 0;
  }
  // The fixed parts are paid: a further leg owes exactly its variable part, unless the minimum still binds.
  if (linearSoFar + f.perOrder >= f.minimum) return linearLeg;
  const total = linearSoFar + linearLeg + f.perOrder;
  return Math.max(0, (total < f.minimum ? f.minimum : total) - chargedSoFar);
}

/** Fees of a further leg for sizing: only the variable part (the fixed parts are paid), which never underestimates. */
export function furtherLegFees(f: Fees): Fees {
  return { fraction: f.fraction, perShare: f.perShare, perOrder: 0, minimum: 0 };
}

/**
 * The largest quantity whose cost (quantity × price + commission) fits in `available`.
 * The cost is q × price + max(linear(q), minimum), so q fits exactly when both
 *   q ≤ (available − perOrder) / (price × (1 + fraction) + perShare)   and   q ≤ (available − minimum) / price;
 * whole units take the floor of the smaller bound (DESIGN.md's floor(available / (price + per-unit commission))
 * when no fixed fee binds). A final check steps down past floating-point overshoot.
 */
export function affordable(available: number, price: number, f: Fees, whole: boolean): number {
  if (!(available > 0) || !(price > 0)) return 0;
  const perUnit = price * (1 + f.fraction) + f.perShare;
  let q = Math.min((available - f.perOrder) / perUnit, (available - f.minimum) / price);
  if (whole) q = Math.floor(q);
  if (!(q > 0)) return 0;
  if (q * price + commission(q, price, f) <= available) return q;
  if (!whole) return q * (1 - 1e-12);
  while (q > 0 && q * price + commission(q, price, f) > available) q--;
  return q;
}
