import type { Events } from './signals.ts';

/**
 * Steps per band of the merge: W2's ~0.65 events per step at 12 B each fill ~260 KB of window per band. An
 * object, so tests can make bands of a few steps and have the walks cross many windows on small data.
 */
export const mergeBand = { steps: 1 << 15 };

/** Up to this many strategies merge by scanning their heads (O(events × strategies)); more use a counting sort. */
const SCAN_MERGE_MAX = 4;

/**
 * The candidate events of all strategies in walk order (step, then document order; each strategy's events are
 * already in step order, ties go to the earlier strategy): per event its step, its strategy and its index in
 * that strategy's list. Held one band of 2^15 steps at a time: `step`, `strategy` and `index` hold the window's
 * `total` events, all those of steps below `end` not in an earlier window. A walk reads them in order and calls
 * next() once it has read the last (ei === total); a step's events are never split between two windows.
 * One window for the whole run was 7.6 MB on W2 (634k events), most of it fresh memory on a first run
 * (1,500–3,000 more page faults, measured with the buffers touched beforehand).
 */
export class Merged {
  step = new Int32Array(0);
  strategy = new Int32Array(0);
  index = new Int32Array(0);
  /** Events in the window. */
  total = 0;
  /** The step the window ends before (the run's step count once the last band is in). */
  end = 0;
  private events: readonly Events[] = [];
  private steps = 0;
  /** Per strategy: its next event to place. */
  private cursor = new Int32Array(0);
  /** The window's counting sort: events per step of the band, then places. */
  private counts = new Int32Array(0);

  /** Events passed over by the last skipClosed. */
  skipped = 0;

  /**
   * From window entry `from`, passes over the events before step `limit` of strategies whose position gate is
   * closed (open[i] === 0), into the next windows as each is read; returns the entry it stopped at (`total`
   * once no event is left) and leaves how many it passed in `skipped`. Both walks skip this way.
   */
  skipClosed(from: number, limit: number, open: Uint8Array): number {
    let ei = from, passed = 0;
    for (;;) {
      const first = ei;
      while (ei < this.total && this.step[ei]! < limit && open[this.strategy[ei]!] === 0) ei++;
      passed += ei - first;
      if (ei < this.total || !this.next()) break;
      ei = 0;
    }
    this.skipped = passed;
    return ei;
  }

  /** Lets go of the run's event lists (the buffers are kept). */
  drop(): void {
    this.events = [];
    this.total = 0;
  }

  /** Starts over on a run's events: the first window holds the first band with an event. */
  start(events: readonly Events[], steps: number): this {
    this.events = events;
    this.steps = steps;
    if (this.cursor.length < events.length) this.cursor = new Int32Array(events.length);
    this.cursor.fill(0, 0, events.length);
    this.end = 0;
    this.next();
    return this;
  }

  /**
   * Replaces the window with the next band that has events (every band with none is passed); false, with an
   * empty window ending at the run's last step, when no event is left.
   */
  next(): boolean {
    const events = this.events, k = events.length, cursor = this.cursor;
    while (this.end < this.steps) {
      const band = this.end, end = Math.min(this.steps, band + mergeBand.steps);
      this.end = end;
      const scan = k <= SCAN_MERGE_MAX;
      let total = 0;
      if (scan) for (let i = 0; i < k; i++) total += below(events[i]!.steps, cursor[i]!, events[i]!.count, end) - cursor[i]!;
      else total = this.count(band, end);
      if (total === 0) continue;
      if (this.step.length < total) {
        const cap = Math.max(total, this.step.length * 2);
        this.step = new Int32Array(cap);
        this.strategy = new Int32Array(cap);
        this.index = new Int32Array(cap);
      }
      this.total = total;
      if (scan) this.scan(total);
      else for (let i = 0; i < k; i++) cursor[i] = scatter(this.counts, events[i]!.steps, cursor[i]!, events[i]!.count, band, end, i, this.step, this.strategy, this.index);
      return true;
    }
    this.total = 0;
    return false;
  }

  /** Few strategies: the window's events by scanning their heads. */
  private scan(total: number): void {
    const events = this.events, k = events.length, cursor = this.cursor, step = this.step, strategy = this.strategy, index = this.index;
    for (let at = 0; at < total; at++) {
      let best = -1, bestStep = 0;
      for (let i = 0; i < k; i++) {
        const e = events[i]!, q = cursor[i]!;
        if (q < e.count && (best < 0 || e.steps[q]! < bestStep)) {
          best = i;
          bestStep = e.steps[q]!;
        }
      }
      step[at] = bestStep;
      strategy[at] = best;
      index[at] = cursor[best]!++;
    }
  }

  /**
   * Many strategies: a counting sort by step over the band, O(events + band), no comparison; this counts the
   * band's events per step, leaves each step's first place in `counts` for scatter, and returns how many there
   * are. The band's events land in a window small enough to stay in cache, where scattering every strategy over
   * the whole run's output wrote each event to a line of its own (634k events of 29 strategies over 982,800
   * steps, as W2's: 23–28 ms against 40–98 for the whole merge, alternating in one process).
   */
  private count(band: number, end: number): number {
    const events = this.events, k = events.length, cursor = this.cursor, width = end - band;
    if (this.counts.length < width + 1) this.counts = new Int32Array(width + 1);
    const start = this.counts;
    start.fill(0, 0, width + 1);
    for (let i = 0; i < k; i++) countSteps(start, events[i]!.steps, cursor[i]!, events[i]!.count, band, end);
    prefixSum(start, width);
    return start[width]!;
  }
}

/** The first of steps[q, n) at or after `end` (n when none is). */
function below(steps: Int32Array, q: number, n: number, end: number): number {
  while (q < n && steps[q]! < end) q++;
  return q;
}

/** Counts one strategy's events from q on at steps below `end` into start[step − band + 1]. */
function countSteps(start: Int32Array, st: Int32Array, q: number, n: number, band: number, end: number): void {
  for (; q < n; q++) {
    const s = st[q]!;
    if (s >= end) break;
    start[s - band + 1]!++;
  }
}

/** In place: start[j] becomes the number of the window's events before step band + j. */
function prefixSum(start: Int32Array, width: number): void {
  let acc = 0;
  for (let j = 0; j <= width; j++) {
    acc += start[j]!;
    start[j] = acc;
  }
}

/** One strategy's events from q on at steps below `end`, each to its step's next place; returns the next q. */
function scatter(start: Int32Array, st: Int32Array, q: number, n: number, band: number, end: number, i: number, step: Int32Array, strategy: Int32Array, index: Int32Array): number {
  for (; q < n; q++) {
    const s = st[q]!;
    if (s >= end) break;
    const at = start[s - band]!++;
    step[at] = s;
    strategy[at] = i;
    index[at] = q;
  }
  return q;
}

/**
 * A merge kept for the next run on this thread (a sweep's candidates run one after another): fresh buffers
 * per run were garbage of the size of the event count, every run. Results never reference them. A run started
 * while another holds it (from a progress callback) gets its own.
 */
let spareMerge: Merged | null = new Merged();

/** The run's events merged, their first window loaded. */
export function mergedEvents(events: readonly Events[], steps: number): Merged {
  const m = spareMerge ?? new Merged();
  spareMerge = null;
  return m.start(events, steps);
}

/** Hands a run's merge back for the next run on this thread. */
export function releaseMerge(m: Merged): void {
  m.drop();
  spareMerge = m;
}
