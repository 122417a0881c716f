import type { Events } from './signals.ts';

/** Candidate events of all strategies in walk order: the step, the strategy and its event's index. */
export interface Merged {
  step: Int32Array;
  strategy: Int32Array;
  index: Int32Array;
  /** Number of valid entries (the arrays are reused buffers, possibly longer). */
  total: number;
}

/**
 * Merge buffers reused across runs (a sweep's candidates run one after another on a thread): a fresh set of
 * arrays per run was garbage of the size of the event count, every run. Results never reference them. A run
 * started while another holds them (from a progress callback) gets its own.
 */
let spareMerge: Merged | null = { step: new Int32Array(0), strategy: new Int32Array(0), index: new Int32Array(0), total: 0 };
export function acquireMerge(): Merged {
  const m = spareMerge ?? { step: new Int32Array(0), strategy: new Int32Array(0), index: new Int32Array(0), total: 0 };
  spareMerge = null;
  return m;
}

/** Up to this many strategies merge by scanning their heads (O(events × strategies)); more use a counting sort. */
const SCAN_MERGE_MAX = 4;

/**
 * All candidate events in walk order (step, then document order). Each strategy's events are already in
 * step order; ties go to the earlier strategy. Few strategies: a scan of their heads. Many: a counting sort
 * by step, O(events + steps), with no comparison sort.
 */
export function mergedEvents(events: readonly Events[], steps: number, out: Merged): Merged {
  let total = 0;
  for (const e of events) total += e.count;
  if (out.step.length < total) {
    const cap = Math.max(total, out.step.length * 2);
    out.step = new Int32Array(cap);
    out.strategy = new Int32Array(cap);
    out.index = new Int32Array(cap);
  }
  out.total = total;
  const step = out.step, strategy = out.strategy, index = out.index;
  if (total === 0) return out;
  const k = events.length;
  if (k <= SCAN_MERGE_MAX) {
    const head = [0, 0, 0, 0];
    for (let at = 0; at < total; at++) {
      let best = -1, bestStep = 0;
      for (let i = 0; i < k; i++) {
        const e = events[i]!, q = head[i]!;
        if (q < e.count && (best < 0 || e.steps[q]! < bestStep)) {
          best = i;
          bestStep = e.steps[q]!;
        }
      }
      step[at] = bestStep;
      strategy[at] = best;
      index[at] = head[best]!++;
    }
    return out;
  }
  // Counted and scattered a band of steps at a time: each strategy's events of the band land in the band's part
  // of the output, small enough to stay in cache, where scattering every strategy over the whole output wrote
  // each event to a line of its own (634k events of 29 strategies over 982,800 steps, as W2's: 23–28 ms against
  // 40–98 for the whole merge, alternating in one process). The counts are the band's only, so their buffer is
  // a band long (one over every step was 3.9 MB of fresh memory on W2's first run).
  if (countBuffer.length < MERGE_BAND + 1) countBuffer = new Int32Array(MERGE_BAND + 1);
  if (cursorBuffer.length < 2 * k) cursorBuffer = new Int32Array(2 * k);
  const start = countBuffer, cursor = cursorBuffer;
  cursor.fill(0, 0, 2 * k);
  let placed = 0;
  for (let band = 0; band < steps; band += MERGE_BAND) {
    const end = Math.min(steps, band + MERGE_BAND), width = end - band;
    start.fill(0, 0, width + 1);
    // cursor[k + i]: strategy i's first event at or after `end` once counted; cursor[i]: the next to place.
    for (let i = 0; i < k; i++) cursor[k + i] = countSteps(start, events[i]!.steps, cursor[k + i]!, events[i]!.count, band, end);
    prefixSum(start, width, placed);
    for (let i = 0; i < k; i++) cursor[i] = scatter(start, events[i]!.steps, cursor[i]!, events[i]!.count, band, end, i, step, strategy, index);
    placed = start[width]!;
  }
  return out;
}

/** Steps per band of the merge: W2's ~0.7 events per step at 12 B each fill ~280 KB of output per band. */
const MERGE_BAND = 1 << 15;
let cursorBuffer = new Int32Array(0);
let countBuffer = new Int32Array(0);

/** Counts one strategy's events from q on at steps below `end` into start[step − band + 1]; returns the next q. */
function countSteps(start: Int32Array, st: Int32Array, q: number, n: number, band: number, end: number): number {
  for (; q < n; q++) {
    const s = st[q]!;
    if (s >= end) break;
    start[s - band + 1]!++;
  }
  return q;
}

/** In place: start[j] becomes the number of events before step band + j (`placed` before the band). */
function prefixSum(start: Int32Array, width: number, placed: number): void {
  let acc = placed;
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

/** Hands a run's merge buffers back for the next run on this thread. */
export function releaseMerge(m: Merged): void {
  spareMerge = m;
}
