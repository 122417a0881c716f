/** A step series as stored: each value at the time it became known (publication lag already added on import). */
export interface KnownValues {
  readonly length: number;
  readonly time: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}

/**
 * The value of `s` known at each time of `at` (ascending epoch ms): the last value whose time ≤ at[j], the
 * rule the engine reads series by (docs/ENGINE.md, "Other inputs"); null before the first one (a gap, not a
 * zero). One forward pass over both arrays.
 */
export function alignAsOf(s: KnownValues, at: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(at.length);
  let i = -1;
  for (let j = 0; j < at.length; j++) {
    const t = at[j]!;
    while (i + 1 < s.length && s.time[i + 1]! <= t) i++;
    const v = i < 0 ? NaN : s.value[i]!;
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
