/**
 * The contract every streaming indicator keeps. The engine calls `update` once per bar of the indicator's
 * asset, in time order; the strategy layer reads `value` (NaN until `ready`).
 *
 * Monomorphic by design: every indicator has the same method and field shapes so the hot loop's call
 * sites stay monomorphic-ish (one interface), and `update` never allocates.
 */
export interface Indicator {
  /** Current output (the primary one for multi-output indicators); NaN until ready. */
  readonly value: number;
  /** True once the window holds enough observations for `value` to be defined. */
  readonly ready: boolean;
  /** Observations needed before ready, for bar windows; for duration windows the number of observations
   *  is unknown up front, so this is 1 and `warmupMs` holds the history needed. */
  readonly warmupBars: number;
  /** History (ms) needed before ready for duration windows; 0 for bar windows. */
  readonly warmupMs: number;
  /**
   * Feed one observation. `value` is the input (usually the close); `high`/`low` are used by range
   * indicators (ATR) and ignored by the rest. Times must be non-decreasing. Returns the new `value`.
   */
  update(time: number, value: number, high: number, low: number): number;
  /** Back to the freshly constructed state (for reuse across runs without allocation). */
  reset(): void;
}

/** A window: a number of observations, or a time span (t − ms, t]. */
export type WindowSpec = { readonly bars: number } | { readonly ms: number };
