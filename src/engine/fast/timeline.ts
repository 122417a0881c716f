import { upperBound } from '../../lib/search.ts';
import type { BarColumns } from '../../schema/index.ts';

/**
 * The merged timeline of a run's assets, built once per data set and range end instead of a k-way merge
 * per step per run: the distinct bar times in order, and for each asset the step of each of its bars.
 * Only bars at or before the range end take part (the reference walker stops there too).
 */
export interface Timeline {
  /** Number of steps. */
  readonly steps: number;
  /** Time of each step. */
  readonly time: Float64Array;
  /** Per asset: its bars at or before the end. */
  readonly count: Int32Array;
  /** Per asset: the step of each of its bars (first `count[a]` entries). */
  readonly stepOf: readonly Int32Array[];
  /** Total bars walked (all assets, warm-up included). */
  readonly bars: number;
  /** Per asset: 1 when it has a bar at every step (its i-th bar is step i), so loops index columns by step. */
  readonly dense: Uint8Array;
}

function denseOf(count: Int32Array, steps: number): Uint8Array {
  return Uint8Array.from(count, (c) => (c === steps ? 1 : 0));
}

export function buildTimeline(cols: readonly BarColumns[], to: number): Timeline {
  const n = cols.length;
  const count = Int32Array.from(cols, (c) => (to === Infinity ? c.length : upperBound(c.time, to, 0, c.length)));
  let bars = 0;
  for (let a = 0; a < n; a++) bars += count[a]!;
  if (n > 0 && sameTimes(cols, count)) return shared(cols[0]!.time, count, bars);
  const stepOf = cols.map((_, a) => new Int32Array(count[a]!));
  // The time columns in an array of their own: reading cols[a].time per asset per step was two loads more
  // in the merge's inner loops.
  const times = cols.map((c) => c.time);
  const time = new Float64Array(bars);
  const cursor = new Int32Array(n);
  let steps = 0;
  let prev = -Infinity;
  for (;;) {
    let t = Infinity;
    for (let a = 0; a < n; a++) {
      const i = cursor[a]!;
      if (i < count[a]!) {
        const x = times[a]![i]!;
        if (x < t) t = x;
      }
    }
    if (t === Infinity) break;
    // The reference kernel refuses a repeated or backward time; so does the timeline.
    if (!(t > prev)) throw new RangeError(`time went backwards or repeated: ${t} after ${prev}`);
    prev = t;
    for (let a = 0; a < n; a++) {
      const i = cursor[a]!;
      if (i < count[a]! && times[a]![i] === t) {
        stepOf[a]![i] = steps;
        cursor[a] = i + 1;
      }
    }
    time[steps++] = t;
  }
  return { steps, time: time.subarray(0, steps), count, stepOf, bars, dense: denseOf(count, steps) };
}

/** Every asset has the same bars' times (aligned data, the common case): compared, not merged. */
function sameTimes(cols: readonly BarColumns[], count: Int32Array): boolean {
  const t0 = cols[0]!.time, c = count[0]!;
  for (let a = 1; a < cols.length; a++) {
    if (count[a] !== c) return false;
    const t = cols[a]!.time;
    if (t === t0) continue;
    for (let i = 0; i < c; i++) if (t[i] !== t0[i]) return false;
  }
  return true;
}

function shared(t: Float64Array, count: Int32Array, bars: number): Timeline {
  const c = count[0]!;
  const ready = c > 0 ? takePrepared(t, c) : null;
  if (ready) return { steps: c, time: ready.time, count, stepOf: Array.from(count, () => ready.stepOf[0]!), bars, dense: denseOf(count, c) };
  const identity = new Int32Array(c);
  for (let i = 0; i < c; i++) {
    if (i > 0 && !(t[i]! > t[i - 1]!)) throw new RangeError(`time went backwards or repeated: ${t[i]} after ${t[i - 1]}`);
    identity[i] = i;
  }
  return { steps: c, time: t.subarray(0, c), count, stepOf: Array.from(count, () => identity), bars, dense: denseOf(count, c) };
}

/**
 * Single-asset timelines built ahead of a run (prepareTimeline), by length, first and last time: at most one
 * per time column, and few (a worker prepares the first asset of each load it is sent while the rest load).
 */
const prepared = new Map<string, Timeline>();
const PREPARED_MAX = 2;
const preparedKey = (t: Float64Array, n: number) => `${n}|${t[0]}|${t[n - 1]}`;

/**
 * The timeline of `bars` alone, built now and kept for the first run whose assets all have these times: that
 * run's timeline takes its time column and step index instead of building them (and, through the time column,
 * the day and calendar columns computed for it: fast/columns.ts). A worker calls it when an asset arrives
 * ahead of its run (EngineService.assetColumns), while the data worker still reads the others. Throws as
 * buildTimeline does on times that do not increase.
 */
export function prepareTimeline(bars: BarColumns): Timeline | null {
  const n = bars.length;
  if (n === 0) return null;
  const key = preparedKey(bars.time, n);
  const hit = prepared.get(key);
  if (hit) return hit;
  const tl = shared(bars.time, Int32Array.of(n), n);
  if (prepared.size >= PREPARED_MAX) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, tl);
  return tl;
}

/**
 * The prepared timeline with exactly the first `c` times of `t`, let go of by the map (the run's timeline
 * holds it from then on), or null. Compared value by value (1.0–3.3 ms for 982,800 steps in Node): equal length and ends
 * are not proof of equal times.
 */
function takePrepared(t: Float64Array, c: number): Timeline | null {
  const key = preparedKey(t, c);
  const p = prepared.get(key);
  if (!p || p.steps !== c) return null;
  const pt = p.time;
  for (let i = 0; i < c; i++) if (pt[i] !== t[i]) return null;
  prepared.delete(key);
  return p;
}

/** Drops the prepared timelines (tests). */
export function dropPrepared(): void {
  prepared.clear();
}

/** How many prepared timelines are kept (tests). */
export function preparedCount(): number {
  return prepared.size;
}

/**
 * Timelines by their bar columns (identity) and end: a sweep's candidates and a worker's repeated runs on
 * one data set share one timeline. It depends only on the time columns (by identity) and lengths; weakly keyed
 * on the first asset's time column.
 */
const cache = new WeakMap<Float64Array, { times: readonly Float64Array[]; lengths: readonly number[]; to: number; timeline: Timeline }[]>();
const PER_KEY = 4;

export function timelineFor(cols: readonly BarColumns[], to: number): Timeline {
  if (cols.length === 0) return buildTimeline(cols, to);
  const key = cols[0]!.time;
  let list = cache.get(key);
  if (!list) {
    list = [];
    cache.set(key, list);
  }
  for (const e of list) {
    if (e.to === to && e.times.length === cols.length && cols.every((c, i) => c.time === e.times[i] && c.length === e.lengths[i])) return e.timeline;
  }
  const timeline = buildTimeline(cols, to);
  if (list.length >= PER_KEY) list.shift();
  list.push({ times: cols.map((c) => c.time), lengths: cols.map((c) => c.length), to, timeline });
  return timeline;
}

/** Steps at which any of `assets` (distinct) has a bar, in order (the trigger steps of a strategy); null = all. */
export function stepsOfAssets(tl: Timeline, assets: readonly number[]): Int32Array | null {
  // Every asset of the run: every step (null).
  if (assets.length === tl.count.length) return null;
  // An asset with a bar at every step triggers at every step too.
  if (assets.some((a) => tl.dense[a])) return null;
  if (assets.length === 1) return tl.stepOf[assets[0]!]!.subarray(0, tl.count[assets[0]!]!);
  const mark = new Uint8Array(tl.steps);
  let m = 0;
  for (const a of assets) {
    const so = tl.stepOf[a]!;
    for (let i = 0; i < tl.count[a]!; i++) {
      if (mark[so[i]!] === 0) m++;
      mark[so[i]!] = 1;
    }
  }
  const out = new Int32Array(m);
  let j = 0;
  for (let s = 0; s < tl.steps; s++) if (mark[s]) out[j++] = s;
  return out;
}
