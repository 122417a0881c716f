import { upperBound } from './search.ts';

/** What an as-of lookup reads of a step series: its times (ascending, when each value became known) and values. */
export interface KnownValues {
  readonly length: number;
  readonly time: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}

/** Index of the last value known at time t (time <= t), or -1 when none was known yet. */
export function knownIndex(s: KnownValues, t: number): number {
  return upperBound(s.time, t, 0, s.length) - 1;
}

/** As-of lookups for non-decreasing query times (a backtest walking forward): amortized O(1) each. */
export class AsOfCursor {
  private i = -1;
  constructor(private readonly s: KnownValues) {}
  at(t: number): number {
    const { time, length } = this.s;
    if (this.i >= 0 && time[this.i]! > t) this.i = knownIndex(this.s, t);
    while (this.i + 1 < length && time[this.i + 1]! <= t) this.i++;
    return this.i < 0 ? NaN : this.s.value[this.i]!;
  }
}
