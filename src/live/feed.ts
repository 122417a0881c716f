import type { Broker, BrokerClock, LiveBar } from './broker.ts';

const DAY = 86_400_000;

/**
 * The start time of the last bar that is complete at `clock`. Intraday: a bar is complete once its span has
 * passed. Daily and longer bars are stamped at UTC midnight of their session date: a session's bar is
 * complete once the market is closed and its next open lies on a later date.
 */
export function completedUntil(broker: Broker, clock: BrokerClock, timeframeMs: number): number {
  if (broker.completedUntil) return broker.completedUntil(clock, timeframeMs);
  if (timeframeMs < DAY) return clock.time - timeframeMs;
  const today = Math.floor(clock.time / DAY) * DAY;
  return !clock.isOpen && clock.nextOpen >= today + DAY ? today : today - 1;
}

/** A bar as a live feed must deliver it: a known symbol, finite prices, low ≤ high; else the reason. */
export function badBar(b: LiveBar, symbols: ReadonlySet<string>): string | null {
  if (!symbols.has(b.symbol)) return `bar for unexpected symbol ${JSON.stringify(b.symbol)}`;
  if (!Number.isFinite(b.time)) return `bar for ${b.symbol} without a valid time`;
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    if (!(Number.isFinite(b[k]) && b[k] > 0)) return `bar for ${b.symbol} at ${new Date(b.time).toISOString()}: ${k} is not a positive number`;
  }
  if (!(b.low <= b.high)) return `bar for ${b.symbol} at ${new Date(b.time).toISOString()}: low above high`;
  if (!(Number.isFinite(b.volume) && b.volume >= 0)) return `bar for ${b.symbol} at ${new Date(b.time).toISOString()}: volume is not a number ≥ 0`;
  return null;
}

/** Bars grouped by time, in time order (symbols in universe order within a time). */
export function byTime(bars: readonly LiveBar[], order: readonly string[]): { time: number; bars: LiveBar[] }[] {
  const groups = new Map<number, LiveBar[]>();
  for (const b of bars) {
    const g = groups.get(b.time);
    if (g) { if (!g.some((x) => x.symbol === b.symbol)) g.push(b); } else groups.set(b.time, [b]);
  }
  return [...groups].sort((x, y) => x[0] - y[0]).map(([time, g]) => ({
    time, bars: g.sort((x, y) => order.indexOf(x.symbol) - order.indexOf(y.symbol)),
  }));
}
