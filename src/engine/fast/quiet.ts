import type { Portfolio } from '../portfolio.ts';
import type { Recorder } from '../recorder.ts';
import type { Timeline } from './timeline.ts';

/** What a walk holds that a quiet stretch reads and moves: cursors, marks, the recorder and the running peak. */
export interface QuietState {
  readonly n: number;
  readonly cursor: Int32Array;
  readonly tl: Timeline;
  readonly closes: readonly Float64Array[];
  readonly portfolio: Portfolio;
  readonly recorder: Recorder;
  /** The benchmark asset, or −1. */
  readonly bench: number;
  readonly firstStep: number;
  /** Scratch: the held assets (then the benchmark) and their quantities (n + 1 entries). */
  readonly tracked: Int32Array;
  readonly trackedQty: Float64Array;
  /** Running peak of recorded equity (the kernel's drawdown input); not kept on folded stretches (below). */
  peak: number;
  /**
   * Set when the statistics are folded as the run goes (the compiled walk's stats-only runs): a stretch of
   * one held asset with a bar at every step then goes to the statistics with no per-step history and no
   * peak (the compiled walk never reads it); every other step is written to the recorder, after the folder
   * has folded what it holds.
   */
  readonly folder: HeldFolder | null;
}

/** Where a folding walk sends held stretches (CompiledWalk: it joins one position's stretches into one fold). */
export interface HeldFolder {
  /** Steps [from, to) hold `qty` of asset a (a bar at every step) and `cash`, nothing else. */
  foldHeld(a: number, cash: number, qty: number, from: number, to: number): void;
  /** Folds what foldHeld was given so far (before the recorder takes the next step). */
  flushHeld(): void;
}

/**
 * Steps [from, to) where nothing acts: positions and cash are fixed, so equity is cash + Σ quantity × close
 * over the held assets (in asset order, as Portfolio.equity sums it) and only the held assets and the
 * benchmark need their marks per step; every other asset just moves its cursor and mark to the stretch's end.
 */
export function recordQuiet(w: QuietState, from: number, to: number): void {
  const { n, cursor, tl, tracked, trackedQty, bench } = w;
  const stepOf = tl.stepOf, count = tl.count, time = tl.time, closes = w.closes;
  const p = w.portfolio, mark = p.mark, rec = w.recorder;
  let h = 0;
  const q = p.qty;
  for (let a = 0; a < n; a++) {
    if (q[a] !== 0) {
      tracked[h] = a;
      trackedQty[h++] = q[a]!;
    } else if (a !== bench) {
      // Untracked: cursor and mark to the last bar before `to`.
      let c = cursor[a]!;
      const cnt = count[a]!;
      if (tl.dense[a]) {
        // A bar at every step: bar c is step c. Its mark is left as it is: the walk's next step has a bar of
        // it too and marks it at the open or the close before anything reads an unheld asset's mark (the
        // close read here was a fifth of this function in W2, a cache miss per asset per stretch).
        cursor[a] = Math.max(c, Math.min(to, cnt) - 1);
        continue;
      }
      const so = stepOf[a]!;
      while (c + 1 < cnt && so[c + 1]! < to) c++;
      if (c !== cursor[a]) {
        cursor[a] = c;
        mark[a] = closes[a]![c]!;
      }
    }
  }
  const held = h;
  if (bench >= 0 && q[bench] === 0) {
    tracked[h] = bench;
    trackedQty[h++] = 0;
  }
  const start = Math.max(from, w.firstStep);
  const cash = p.cash, exposed = p.exposed() ? 1 : 0;
  const folder = w.folder;
  if (folder !== null && h === 1 && held === 1 && tl.dense[tracked[0]!]) {
    const a = tracked[0]!, cl = closes[a]!, last = tl.steps - 1;
    // The timeline's last step is recorded, not folded: closeAtEnd may still rewrite its equity.
    const end = Math.min(to, last);
    if (start < end) folder.foldHeld(a, cash, trackedQty[0]!, start, end);
    if (start <= last && to > last) {
      folder.flushHeld();
      rec.push(time[last]!, cash + trackedQty[0]! * cl[last]!, exposed, bench === a ? cl[last]! : NaN);
    }
    cursor[a] = to - 1;
    mark[a] = cl[to - 1]!;
    return;
  }
  folder?.flushHeld();
  if (rec.time.length < rec.length + (to - start)) throw new RangeError('recorder capacity below the steps of the run');
  const rt = rec.time, re = rec.equity, rx = rec.exposed, rb = rec.benchmark;
  let peak = w.peak, j = rec.length;
  if (h === 1 && held === 1 && tl.dense[tracked[0]!]) {
    // One held asset with a bar at every step: step s is bar s, so its close is the mark and the columns
    // copy in bulk; only equity and its peak are computed per step.
    const a = tracked[0]!, cl = closes[a]!, qa = trackedQty[0]!;
    const len = Math.max(0, to - start);
    for (let s = start; s < to; s++) {
      const e = cash + qa * cl[s]!;
      if (e > peak) peak = e;
      re[j + s - start] = e;
    }
    if (len > 0) {
      copyRange(rt, j, time, start, to);
      rx.fill(exposed, j, j + len);
      if (bench === a) copyRange(rb, j, cl, start, to);
      else rb.fill(NaN, j, j + len);
    }
    j += len;
    cursor[a] = to - 1;
    mark[a] = cl[to - 1]!;
  } else if (h === 1 && held === 1) {
    // One held asset that is also the benchmark, or no benchmark: the common single-asset run.
    const a = tracked[0]!, so = stepOf[a]!, cnt = count[a]!, cl = closes[a]!, qa = trackedQty[0]!;
    let c = cursor[a]!, m = mark[a]!;
    const j0 = j, marksBench = bench === a;
    for (let s = from; s < to; s++) {
      if (c + 1 < cnt && so[c + 1] === s) m = cl[++c]!;
      if (s < start) continue;
      const e = cash + qa * m;
      if (e > peak) peak = e;
      rt[j] = time[s]!;
      re[j] = e;
      rx[j] = exposed;
      if (marksBench) rb[j] = m;
      j++;
    }
    // NaN filled after the loop, as in the branches below, not chosen per step.
    if (!marksBench) rb.fill(NaN, j0, j);
    cursor[a] = c;
    mark[a] = m;
  } else if (to > from && allDense(tl.dense, tracked, h)) {
    // Every tracked asset has a bar at every step: step s is bar s of each, so the marks are read, not
    // carried, and set once at the stretch's end (the same products summed in the same order).
    for (let s = start; s < to; s++) {
      let e = cash;
      for (let t = 0; t < held; t++) e += trackedQty[t]! * closes[tracked[t]!]![s]!;
      if (e > peak) peak = e;
      re[j] = e;
      j++;
    }
    const len = Math.max(0, to - start);
    if (len > 0) {
      copyRange(rt, j - len, time, start, to);
      rx.fill(exposed, j - len, j);
      // Copied, not written per step. No branch of this function writes `bench >= 0 ? price : NaN` per step:
      // V8 compiled such a loop before the NaN side ever ran, kept the global NaN a generic load and boxed
      // every price (one heap number a step, 12 MB in W2's walk, 26 MB on irregular data).
      if (bench >= 0) copyRange(rb, j - len, closes[bench]!, start, to);
      else rb.fill(NaN, j - len, j);
    }
    for (let t = 0; t < h; t++) {
      const a = tracked[t]!;
      cursor[a] = to - 1;
      mark[a] = closes[a]![to - 1]!;
    }
  } else {
    const j0 = j;
    for (let s = from; s < to; s++) {
      for (let t = 0; t < h; t++) {
        const a = tracked[t]!, c = cursor[a]! + 1;
        if (c < count[a]! && stepOf[a]![c] === s) {
          cursor[a] = c;
          mark[a] = closes[a]![c]!;
        }
      }
      if (s < start) continue;
      let e = cash;
      for (let t = 0; t < held; t++) e += trackedQty[t]! * mark[tracked[t]!]!;
      if (e > peak) peak = e;
      rt[j] = time[s]!;
      re[j] = e;
      rx[j] = exposed;
      if (bench >= 0) rb[j] = mark[bench]!;
      j++;
    }
    if (bench < 0) rb.fill(NaN, j0, j);
  }
  w.peak = peak;
  rec.length = j;
}

/**
 * src[from, to) into dst from `at`. A short range (most quiet stretches between a run's events are a few
 * steps) in a loop: a subarray view per copy was an allocation per stretch, and a tenth of this file's time.
 */
function copyRange(dst: Float64Array, at: number, src: Float64Array, from: number, to: number): void {
  if (to - from > 32) dst.set(src.subarray(from, to), at);
  else for (let s = from; s < to; s++) dst[at + s - from] = src[s]!;
}

/** Whether each of the first h tracked assets has a bar at every step of the timeline. */
function allDense(dense: Timeline['dense'], tracked: Int32Array, h: number): boolean {
  for (let t = 0; t < h; t++) if (!dense[tracked[t]!]) return false;
  return true;
}
