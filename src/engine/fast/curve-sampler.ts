import { grown } from '../../lib/grow.ts';
import type { Curves } from '../../schema/index.ts';
import type { Recorder } from '../recorder.ts';

/**
 * sampleCurves (result.ts) fed as the compiled walk records, a chunk at a time: the same samples (the last
 * step of each bucket, and the run's last step), the same drawdown against the running peak of every step
 * and the same benchmark scaling, without a whole run of per-step history. W2 (982,800 steps) kept 23 MiB
 * of recorder for ~17,000 hourly samples; its first run paid a page fault per 4 KiB of it.
 */
export class CurveSampler {
  private time = new Float64Array(256);
  private equity = new Float64Array(256);
  private drawdown = new Float64Array(256);
  /** The benchmark's raw mark at each sample: scaled by the run's first positive mark at the end. */
  private bench = new Float64Array(256);
  private m = 0;
  private peak = -Infinity;
  private firstBench = NaN;
  /** The bucket of the next step to be added (NaN before the first): each step's bucket is computed once. */
  private cur = NaN;

  /**
   * `stepTime`: the timeline's time of each step (the recorded steps' times and the next one's, for the
   * bucket end); `lastStep`: the run's last recorded step, always sampled. The bucket of step s is
   * `bucket(stepTime[s])`, or `days[s]` when sampling by day: the timeline's day-key column (dayColumn, the
   * same dayKeyOf per step, computed once per data set) instead of a time-zone conversion per step per run.
   */
  constructor(
    private readonly stepTime: Float64Array, private readonly lastStep: number,
    by: { readonly bucket: (t: number) => number } | { readonly days: Float64Array },
  ) {
    this.bucket = 'bucket' in by ? by.bucket : null;
    this.days = 'days' in by ? by.days : null;
  }

  private readonly bucket: ((t: number) => number) | null;
  private readonly days: Float64Array | null;

  /** The recorder's entries, which are steps at, at + 1, … (every step is given once, in order). */
  add(rec: Recorder, at: number): void {
    const n = rec.length, re = rec.equity, rb = rec.benchmark, st = this.stepTime, bucket = this.bucket, days = this.days;
    if (this.time.length < this.m + n) this.grow(this.m + n);
    const time = this.time, equity = this.equity, drawdown = this.drawdown, bench = this.bench;
    const last = this.lastStep;
    let peak = this.peak, m = this.m, cur = this.cur, firstBench = this.firstBench;
    if (n > 0 && cur !== cur) cur = days !== null ? days[at]! : bucket!(st[at]!);
    for (let i = 0; i < n; i++) {
      const e = re[i]!;
      if (e > peak) peak = e;
      if (firstBench !== firstBench && rb[i]! > 0) firstBench = rb[i]!;
      const s = at + i;
      // The last step always ends a bucket: next is NaN there, never equal.
      const next = s === last ? NaN : days !== null ? days[s + 1]! : bucket!(st[s + 1]!);
      if (cur !== next) {
        time[m] = st[s]!;
        equity[m] = e;
        drawdown[m] = e / peak - 1;
        bench[m] = rb[i]!;
        m++;
      }
      cur = next;
    }
    this.peak = peak;
    this.m = m;
    this.cur = cur;
    this.firstBench = firstBench;
  }

  /** The curves, once every step was added. */
  finish(initialCash: number): Curves {
    const m = this.m, first = this.firstBench;
    const benchmark = new Float64Array(m);
    for (let j = 0; j < m; j++) benchmark[j] = (this.bench[j]! / first) * initialCash;
    return { time: this.time.slice(0, m), equity: this.equity.slice(0, m), drawdown: this.drawdown.slice(0, m), benchmark };
  }

  private grow(need: number): void {
    let c = this.time.length;
    while (c < need) c *= 2;
    this.time = grown(this.time, c);
    this.equity = grown(this.equity, c);
    this.drawdown = grown(this.drawdown, c);
    this.bench = grown(this.bench, c);
  }
}
