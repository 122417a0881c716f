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

/** Exit reasons that get their own marker series (a strategy's exit is the plain "Exit" series). */
export const EXIT_MARKERS = [
  { reason: 'stop', label: 'Stop-loss', colorVar: '--c-stop' },
  { reason: 'target', label: 'Take-profit', colorVar: '--c-target' },
  { reason: 'trail', label: 'Trailing stop', colorVar: '--c-trail' },
  { reason: 'time', label: 'Time exit', colorVar: '--c-time' },
  { reason: 'end', label: 'Closed at the end', colorVar: '--c-end' },
] as const;
export type ExitMarkerReason = (typeof EXIT_MARKERS)[number]['reason'];

/**
 * Trade entries and exits of one symbol as marker series aligned with the chart's buckets (the fill price
 * at the bucket of the fill; several fills in one bucket show the last). Exits by an attached stop, target,
 * trail or time rule are their own series (null when the symbol has none), so the chart says which rule closed.
 */
export function tradeMarkers(overlay: AssetOverlay, trades: readonly Trade[]): {
  entries: (number | null)[];
  exits: (number | null)[];
  byReason: Record<ExitMarkerReason, (number | null)[] | null>;
} {
  const n = overlay.time.length;
  const column = () => new Array<number | null>(n).fill(null);
  const entries = column();
  const exits = column();
  const byReason: Record<ExitMarkerReason, (number | null)[] | null> = { stop: null, target: null, trail: null, time: null, end: null };
  for (const t of trades) {
    if (t.symbol !== overlay.symbol) continue;
    const i = bucketOf(overlay.time, t.entryTime);
    if (i >= 0) entries[i] = t.entryPrice;
    const j = bucketOf(overlay.time, t.exitTime);
    if (j < 0 || !Number.isFinite(t.exitTime)) continue;
    if (t.exitReason === undefined) exits[j] = t.exitPrice;
    else (byReason[t.exitReason] ??= column())[j] = t.exitPrice;
  }
  return { entries, exits, byReason };
}
