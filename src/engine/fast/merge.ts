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
let countBuffer = new Int32Array(0);

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
  // The count buffer is only used inside this call, so one per thread serves every run.
  if (countBuffer.length < steps + 1) countBuffer = new Int32Array(steps + 1);
  const start = countBuffer;
  start.fill(0, 0, steps + 1);
  for (const e of events) for (let q = 0; q < e.count; q++) start[e.steps[q]! + 1]!++;
  for (let s = 0; s < steps; s++) start[s + 1]! += start[s]!;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    for (let q = 0; q < e.count; q++) {
      const at = start[e.steps[q]!]!++;
      step[at] = e.steps[q]!;
      strategy[at] = i;
      index[at] = q;
    }
  }
  return out;
}

/** Hands a run's merge buffers back for the next run on this thread. */
export function releaseMerge(m: Merged): void {
  spareMerge = m;
}
