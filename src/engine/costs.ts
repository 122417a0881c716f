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
 * Whole units: floor(available / (price + per-unit commission)) as DESIGN.md fixes, then stepped down while
 * the fixed parts (per-order fee, minimum) still overspend — a few iterations at most.
 */
export function affordable(available: number, price: number, f: Fees, whole: boolean): number {
  if (!(available > 0) || !(price > 0)) return 0;
  const perUnit = price * (1 + f.fraction) + f.perShare;
  let q = (available - f.perOrder) / perUnit;
  if (whole) q = Math.floor(q);
  if (q <= 0) return 0;
  if (q * price + commission(q, price, f) <= available) return q;
  // The minimum commission binds: solve with it, then step down to be safe against rounding.
  q = (available - f.minimum) / price;
  if (whole) {
    q = Math.floor(q);
    while (q > 0 && q * price + commission(q, price, f) > available) q--;
    return Math.max(q, 0);
  }
  return q > 0 && q * price + commission(q, price, f) <= available * (1 + 1e-12) ? q : 0;
}
