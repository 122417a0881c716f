/**
 * Per-data-set indexes the statistics read instead of visiting every step (issue 17 item 5, "statistics from
 * columns"): where days change, where the gap between steps is wider than daily, and each 32-bar block's
 * lowest and highest close. Each is built once per column (cached on the column array itself, so every run
 * and every candidate of a sweep over the same data shares it) and is exact: a fold that reads them gives
 * the same numbers, bit for bit, as one that visits every step (test/property/series-index.test.ts).
 */

/** Steps per block of the block extremes (a power of two: a step's block is `s >> BLOCK_SHIFT`). */
export const BLOCK_SHIFT = 4;
export const BLOCK = 1 << BLOCK_SHIFT;

const dayStartsCache = new WeakMap<Float64Array, Int32Array>();

/**
 * Steps s ≥ 1 whose day key differs from step s − 1's (`!==`, as the per-step fold compares them, so a NaN
 * key starts a day at every step), ascending.
 */
export function dayStarts(days: Float64Array): Int32Array {
  let out = dayStartsCache.get(days);
  if (out) return out;
  let n = 0;
  for (let s = 1; s < days.length; s++) if (days[s] !== days[s - 1]) n++;
  out = new Int32Array(n);
  n = 0;
  for (let s = 1; s < days.length; s++) if (days[s] !== days[s - 1]) out[n++] = s;
  dayStartsCache.set(days, out);
  return out;
}

const weekendCache = new WeakMap<Int32Array, Int32Array>();

/**
 * For day starts `starts` of `days` (dayStarts): entry j counts the weekend days among the first j starts'
 * day keys (length starts.length + 1). A fold over a run of day starts adds one difference instead of a
 * remainder per day (on daily bars every step starts a day).
 */
export function weekendStarts(days: Float64Array, starts: Int32Array): Int32Array {
  let out = weekendCache.get(starts);
  if (out) return out;
  out = new Int32Array(starts.length + 1);
  for (let j = 0; j < starts.length; j++) out[j + 1] = out[j]! + (isWeekend(days[starts[j]!]!) ? 1 : 0);
  weekendCache.set(starts, out);
  return out;
}

/** A day key (days since 1970-01-01, a Thursday) on a Saturday or Sunday. */
export function isWeekend(day: number): boolean {
  // Day keys are whole numbers well inside int32 (finite times): integer remainders, not a double fmod.
  const d = day | 0;
  const wd = d === day ? (((d + 4) % 7) + 7) % 7 : (((day + 4) % 7) + 7) % 7; // 0 = Sunday … 6 = Saturday
  return wd === 0 || wd === 6;
}

/** Steps s ≥ 1 whose gap from step s − 1 is not below `minGap` (or is NaN), ascending; usually none. */
export interface WideGaps {
  readonly steps: Int32Array;
  readonly gap: Float64Array;
}

const wideCache = new WeakMap<Float64Array, Map<number, WideGaps>>();

export function wideGaps(time: Float64Array, minGap: number): WideGaps {
  let byGap = wideCache.get(time);
  if (!byGap) wideCache.set(time, (byGap = new Map()));
  let out = byGap.get(minGap);
  if (out) return out;
  let n = 0;
  for (let s = 1; s < time.length; s++) if (!(time[s]! - time[s - 1]! < minGap)) n++;
  out = { steps: new Int32Array(n), gap: new Float64Array(n) };
  n = 0;
  for (let s = 1; s < time.length; s++) {
    const g = time[s]! - time[s - 1]!;
    if (!(g < minGap)) {
      out.steps[n] = s;
      out.gap[n++] = g;
    }
  }
  byGap.set(minGap, out);
  return out;
}

/**
 * Lowest and highest value of each block of BLOCK steps (the last block may be short); NaN for both when
 * the block holds a NaN, so a reader that needs ordered values falls back to the steps there.
 */
export interface BlockExtremes {
  readonly min: Float64Array;
  readonly max: Float64Array;
}

const extremesCache = new WeakMap<Float64Array, BlockExtremes>();

export function blockExtremes(values: Float64Array): BlockExtremes {
  let out = extremesCache.get(values);
  if (out) return out;
  const n = values.length, blocks = (n + BLOCK - 1) >> BLOCK_SHIFT;
  const min = new Float64Array(blocks), max = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const end = Math.min(n, (b + 1) << BLOCK_SHIFT);
    let lo = Infinity, hi = -Infinity, nan = false;
    for (let s = b << BLOCK_SHIFT; s < end; s++) {
      const v = values[s]!;
      if (v !== v) nan = true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[b] = nan ? NaN : lo;
    max[b] = nan ? NaN : hi;
  }
  out = { min, max };
  extremesCache.set(values, out);
  return out;
}

/**
 * The benchmark's day-end log returns at each day start of `starts` (dayStarts): for the j-th start s,
 * `end[j]` = bench[s − 1] (the day that just ended) and `y[j]` = ln(bench[s − 1] / bench[s' − 1]) with s' the
 * start before it (NaN for the first). Beta's fold (series-stats.ts DailyBeta) reads y[j] instead of taking the log
 * when its own pair is the same two prices (it checks both), so it is the same number, bit for bit: on daily
 * bars every step closes a day and this is one logarithm of three per step, once per column instead of once
 * per run.
 */
export interface DayEndLogs {
  readonly end: Float64Array;
  readonly prev: Float64Array;
  readonly y: Float64Array;
}

const dayLogsCache = new WeakMap<Float64Array, WeakMap<Int32Array, DayEndLogs>>();

export function dayEndLogs(bench: Float64Array, starts: Int32Array): DayEndLogs {
  let byStarts = dayLogsCache.get(bench);
  if (!byStarts) dayLogsCache.set(bench, (byStarts = new WeakMap()));
  let out = byStarts.get(starts);
  if (out) return out;
  const n = starts.length;
  const end = new Float64Array(n), prev = new Float64Array(n), y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const b = bench[starts[j]! - 1]!, b0 = j > 0 ? bench[starts[j - 1]! - 1]! : NaN;
    end[j] = b;
    prev[j] = b0;
    y[j] = Math.log(b / b0);
  }
  out = { end, prev, y };
  byStarts.set(starts, out);
  return out;
}

/** First index of `sorted` whose value is ≥ x (sorted.length when none). */
export function lowerBound(sorted: Int32Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
