import type { BarColumns } from '../../src/schema/index.ts';

/** One bar: [time, open, high, low, close, volume]; time is epoch ms or an ISO date ('2024-01-02', UTC midnight). */
export type BarRow = readonly [time: number | string, open: number, high: number, low: number, close: number, volume: number];

export function toTime(t: number | string): number {
  if (typeof t === 'number') return t;
  const ms = Date.parse(/T/.test(t) ? t : `${t}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`bad time ${t}`);
  return ms;
}

/** Tiny inline bar columns for hand-computed engine tests: `bars('A', [['2024-01-02', 10, 11, 9, 10.5, 100]])`. */
export function bars(symbol: string, rows: readonly BarRow[], timeframe = '1d'): BarColumns {
  const col = (k: number) => Float64Array.from(rows, (r) => (k === 0 ? toTime(r[0]) : (r[k] as number)));
  return { symbol, timeframe, length: rows.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

/** Flat bars (open = high = low = close) from [time, open, close, volume]: the common case in fill tests. */
export function ocBars(symbol: string, rows: readonly (readonly [time: number | string, open: number, close: number, volume: number])[]): BarColumns {
  return bars(symbol, rows.map(([t, o, c, v]) => [t, o, Math.max(o, c), Math.min(o, c), c, v] as const));
}
