import type { StepSeries } from '../schema/bars.ts';
import { upperBound } from '../lib/search.ts';

/** Index of the last value known at time t (time <= t), or -1 when none was known yet. */
export function asOfIndex(s: StepSeries, t: number): number {
  return upperBound(s.time, t, 0, s.length) - 1;
}

/** The value known at time t; NaN before the first publication. Never a value published after t. */
export function asOf(s: StepSeries, t: number): number {
  const i = asOfIndex(s, t);
  return i < 0 ? NaN : s.value[i]!;
}

/** As-of lookups for non-decreasing query times (a backtest walking forward): amortized O(1) each. */
export class AsOfCursor {
  private i = -1;
  constructor(private readonly s: StepSeries) {}
  at(t: number): number {
    const { time, length } = this.s;
    if (this.i >= 0 && time[this.i]! > t) this.i = asOfIndex(this.s, t);
    while (this.i + 1 < length && time[this.i + 1]! <= t) this.i++;
    return this.i < 0 ? NaN : this.s.value[this.i]!;
  }
}
