/**
 * Corporate actions (issue #11 item 3): splits and cash dividends per symbol, keyed by their ex-date.
 * Plain data, so they cross worker boundaries and persist in IndexedDB unchanged.
 */

export type CorporateActionType = 'split' | 'dividend';

export interface CorporateAction {
  readonly symbol: string;
  /** The ex-date at 00:00 UTC (epoch ms): the first session in which the share trades without the right. */
  readonly exDate: number;
  readonly type: CorporateActionType;
  /** split: new shares per old share (2 = a 2-for-1 split, 0.1 = a 1-for-10 reverse split). dividend: cash per share. */
  readonly value: number;
}

/**
 * What the audit records when a raw-price run applies an action (settings.prices "raw"): the position and
 * cash before and after, so the effect is read off the event alone.
 */
export interface CorporateActionEvent {
  /** Time of the bar the action was applied at (the asset's first bar on or after the ex-date, before fills). */
  time: number;
  symbol: string;
  type: CorporateActionType;
  value: number;
  exDate: number;
  /** Signed position before and after (a split multiplies it; whole units drop the fraction for cash). */
  quantityBefore: number;
  quantityAfter: number;
  /** Average entry price before and after (a split divides it). */
  avgPriceBefore: number;
  avgPriceAfter: number;
  /** Cash credited (positive) or charged (negative): dividend × quantity, or the cash paid in lieu of a fractional share. */
  cash: number;
  /** Resting orders and armed exits of the symbol whose prices and quantities the split adjusted. */
  ordersAdjusted: number;
}

/** Bounds that keep every product finite and every split meaningful. */
export const SPLIT_MIN = 1e-6;
export const SPLIT_MAX = 1e6;
export const DIVIDEND_MAX = 1e6;

/** Actions sorted by symbol, then ex-date, splits before dividends on the same ex-date (the order they apply in). */
export function sortActions(list: readonly CorporateAction[]): CorporateAction[] {
  const rank = (t: CorporateActionType) => (t === 'split' ? 0 : 1);
  return [...list].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) || a.exDate - b.exDate || rank(a.type) - rank(b.type));
}
