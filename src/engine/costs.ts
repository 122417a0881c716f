import type { Fees, Slippage } from '../schema/index.ts';

/** Slippage always moves the price against the trader: buys pay more, sells receive less. */
export function slippedPrice(side: 1 | -1, price: number, s: Slippage): number {
  return side === 1 ? price * (1 + s.bps / 10_000) + s.fixed : price * (1 - s.bps / 10_000) - s.fixed;
}

/** Commission of one fill: fraction × notional + perShare × quantity + perOrder, at least `minimum`. */
export function commission(quantity: number, price: number, f: Fees): number {
  if (quantity <= 0) return 0;
  const c = f.fraction * quantity * price + f.perShare * quantity + f.perOrder;
  return c < f.minimum ? f.minimum : c;
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
