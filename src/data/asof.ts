import type { StepSeries } from '../schema/bars.ts';
import { knownIndex } from '../lib/as-of.ts';

export { AsOfCursor } from '../lib/as-of.ts';

/** Index of the last value known at time t (time <= t), or -1 when none was known yet. */
export function asOfIndex(s: StepSeries, t: number): number {
  return knownIndex(s, t);
}

/** The value known at time t; NaN before the first publication. Never a value published after t. */
export function asOf(s: StepSeries, t: number): number {
  const i = asOfIndex(s, t);
  return i < 0 ? NaN : s.value[i]!;
}
