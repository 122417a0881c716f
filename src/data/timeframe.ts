import type { Timeframe } from '../schema/bars.ts';
import { formatDuration } from '../lib/duration.ts';

const DAY = 86_400_000;
export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000,
  '1d': DAY, '1w': 7 * DAY, '1mo': 30 * DAY,
};

/** Nominal length of a bar of this timeframe in ms ('1mo' counts 30 days); NaN when unknown. */
export function timeframeMs(tf: string): number {
  return (TIMEFRAME_MS as Record<string, number>)[tf] ?? NaN;
}

/**
 * The most common gap between consecutive times (of the first 5,000) names the timeframe; gaps of
 * 28–31 days are monthly. Irregular data (weekends, halts) does not move the mode.
 */
export function inferTimeframe(time: ArrayLike<number>, length = time.length): string {
  const counts = new Map<number, number>();
  const n = Math.min(length, 5001);
  for (let i = 1; i < n; i++) {
    let d = time[i]! - time[i - 1]!;
    if (d >= 28 * DAY && d <= 31 * DAY) d = 30 * DAY;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = NaN, bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best)) { best = d; bestCount = c; }
  if (!(best > 0)) return '1d';
  for (const [tf, ms] of Object.entries(TIMEFRAME_MS)) if (ms === best) return tf;
  return formatDuration(best);
}
