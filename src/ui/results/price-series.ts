import { upperBound } from '../../lib/search.ts';
import type { AssetOverlay } from '../../rpc/engine-api.ts';
import type { Trade } from '../../schema/index.ts';

/** uPlot draws a gap for null; NaN (an indicator still warming up) would poison its axis ranges. */
export function gaps(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
}

/** Index of the bucket holding `time`: the last bucket starting at or before it (−1 before the first). */
export function bucketOf(time: ArrayLike<number>, t: number): number {
  return upperBound(time, t) - 1;
}

/**
 * Trade entries and exits of one symbol as two marker series aligned with the chart's buckets (the fill
 * price at the bucket of the fill; several fills in one bucket show the last).
 */
export function tradeMarkers(overlay: AssetOverlay, trades: readonly Trade[]): { entries: (number | null)[]; exits: (number | null)[] } {
  const n = overlay.time.length;
  const entries: (number | null)[] = new Array<number | null>(n).fill(null);
  const exits: (number | null)[] = new Array<number | null>(n).fill(null);
  for (const t of trades) {
    if (t.symbol !== overlay.symbol) continue;
    const i = bucketOf(overlay.time, t.entryTime);
    if (i >= 0) entries[i] = t.entryPrice;
    const j = bucketOf(overlay.time, t.exitTime);
    if (j >= 0 && Number.isFinite(t.exitTime)) exits[j] = t.exitPrice;
  }
  return { entries, exits };
}
