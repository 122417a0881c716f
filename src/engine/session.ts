import type { BarColumns } from '../schema/index.ts';

/**
 * For timeExit {sessionClose}: whether asset a's bar at time t is the last bar of its exchange session,
 * i.e. the asset's next stored bar falls on another exchange day (or there is none). This reads the time of
 * the next bar, never its prices: it stands in for the exchange calendar a live venue reads (a half day
 * ends at 13:00, a session whose last minutes are missing ends at its last stored bar). Backtest and replay
 * build it from the same columns, so they decide alike. A forward cursor per asset: no search per call.
 */
export function sessionEnds(cols: readonly BarColumns[], dayOf: (t: number) => number): (a: number, t: number) => boolean {
  const cursor = new Int32Array(cols.length);
  return (a, t) => {
    const c = cols[a]!;
    let i = cursor[a]!;
    while (i < c.length && c.time[i]! < t) i++;
    cursor[a] = i;
    if (i >= c.length || c.time[i] !== t) return false;
    return i + 1 >= c.length || dayOf(c.time[i + 1]!) !== dayOf(t);
  };
}
