import { AsOfCursor, type KnownValues } from '../../lib/as-of.ts';

/**
 * The value of `s` known at each time of `at` (ascending epoch ms), read by the engine's own as-of cursor (a
 * value is known from its stored time, publication lag already added on import); null before the first one
 * or where the value is not a number (a gap, not a zero).
 */
export function alignAsOf(s: KnownValues, at: ArrayLike<number>): (number | null)[] {
  const cursor = new AsOfCursor(s);
  const out = new Array<number | null>(at.length);
  for (let j = 0; j < at.length; j++) {
    const v = cursor.at(at[j]!);
    out[j] = Number.isFinite(v) ? v : null;
  }
  return out;
}

/** A stored series by name and symbol (null: global). */
export interface SeriesKey {
  name: string;
  symbol: string | null;
}

export const seriesKey = (s: SeriesKey) => `${s.symbol ?? '*'}:${s.name}`;
export const seriesLabel = (s: SeriesKey) => `${s.name} (${s.symbol ?? 'global'})`;
