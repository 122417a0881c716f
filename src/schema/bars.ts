/**
 * Bars are columns, not objects: one typed array per field. Time is UTC epoch ms of the bar's start,
 * strictly increasing. Float64 keeps prices exact to the cent up to well beyond 1,000,000.
 * Only the first `length` entries are meaningful (buffers may be larger and shared).
 */
export interface BarColumns {
  readonly symbol: string;
  /** '1m' | '5m' | '15m' | '1h' | '1d' | '1w' | '1mo' */
  readonly timeframe: string;
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /**
   * Set by the store on a set read into shared memory whose time column is one column with other sets'
   * (src/data/codec.ts, SharedTimes): sets with the same id have that same column. A page receives each set
   * in a message of its own, so each as another view of that memory; one view for all of them (PoolRunner)
   * lets a worker see they are identical without comparing every time.
   */
  readonly timeId?: number;
}

/**
 * A step series (fundamentals, economic data, custom data such as mention counts), keyed by the time the
 * value became known. A lookup at time t sees the last value with time <= t, never a later one.
 * `symbol` null means a global series (e.g. CPI).
 */
export interface StepSeries {
  readonly name: string;
  readonly symbol: string | null;
  readonly length: number;
  readonly time: Float64Array;
  readonly value: Float64Array;
}

export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];
export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/**
 * The merged multi-asset timeline: the sorted union of all symbols' bar times (no duplicates).
 * The engine walks it with one cursor per symbol; a symbol without a bar at a step keeps its last bar
 * (as-of semantics) and never sees a future one.
 */
export interface Timeline {
  readonly length: number;
  readonly time: Float64Array;
}

/**
 * Sets the store says share one time column (BarColumns.timeId) get one view of it (the runner on the page calls it; the store sets the ids): each arrived in a
 * message of its own, as a view of its own, and a worker handed one view sees at once that their times
 * are identical (fast/timeline.ts compared 6 × 983k times on W2's first run in each worker).
 */
export function oneTimeView(bars: readonly BarColumns[]): BarColumns[] {
  const byId = new Map<number, Float64Array>();
  return bars.map((b) => {
    if (b.timeId === undefined) return b;
    const time = byId.get(b.timeId);
    if (time === undefined) {
      byId.set(b.timeId, b.time);
      return b;
    }
    // The id is the store's word; a set whose length or ends differ keeps its own view all the same.
    const n = b.time.length;
    return time.length === n && (n === 0 || (time[0] === b.time[0] && time[n - 1] === b.time[n - 1])) ? { ...b, time } : b;
  });
}
