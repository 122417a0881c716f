/**
 * Minute bars into longer intraday bars, the way Alpaca's REST API builds its N-minute and N-hour bars: a bar
 * of span S starts at a multiple of S since the Unix epoch (UTC: 5Min at :00, :05 …, 1Hour at every UTC hour,
 * 4Hour at 00:00, 04:00 … UTC, whatever the session), is labelled by its start, and holds every minute bar
 * whose start lies in [start, start + S), extended hours included (the minute bars are). Open is the first
 * minute's open, close the last minute's close, high/low the extremes, volume the sum. A minute without
 * trades has no bar, so a bar is the minutes that exist; none: no bar.
 *
 * Daily and longer bars are not built here: Alpaca's daily bar is the regular session's official open and
 * close with its own trade-condition filters, which summed minute bars do not reproduce, so they stay REST.
 */
import type { LiveBar } from './broker.ts';

export const MINUTE = 60_000;
const DAY = 86_400_000;

/** Whether bars of this span are aggregated from the minute stream: whole minutes, shorter than a day, dividing it. */
export function streamable(spanMs: number): boolean {
  return Number.isFinite(spanMs) && spanMs >= MINUTE && spanMs < DAY && spanMs % MINUTE === 0 && DAY % spanMs === 0;
}

/** The start of the bar of span `spanMs` holding time t. */
export function barStart(t: number, spanMs: number): number {
  return t - (((t % spanMs) + spanMs) % spanMs);
}

/** Minute bars (any order, any symbols) as bars of `spanMs`, in time order, symbols in first-seen order within a time. */
export function aggregateBars(minutes: readonly LiveBar[], spanMs: number): LiveBar[] {
  const sorted = [...minutes].sort((a, b) => a.time - b.time);
  const open = new Map<string, LiveBar>();
  const out: LiveBar[] = [];
  for (const m of sorted) {
    const start = barStart(m.time, spanMs);
    const cur = open.get(m.symbol);
    if (cur && cur.time === start) {
      if (m.high > cur.high) cur.high = m.high;
      if (m.low < cur.low) cur.low = m.low;
      cur.close = m.close;
      cur.volume += m.volume;
      continue;
    }
    const bar: LiveBar = { symbol: m.symbol, time: start, open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
    open.set(m.symbol, bar);
    out.push(bar);
  }
  return out.sort((a, b) => a.time - b.time);
}
