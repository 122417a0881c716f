/**
 * Population standard deviation (divide by n, as Tulip and Bollinger's definition) of the observations in
 * the window.
 *
 * Ready: bar window after N observations (first value at index N−1); duration window once the first
 * observation is ≥ D old. NaN before.
 * Drift and cancellation: sums of values shifted by a recent mean, recomputed exactly once per window
 * length (SlidingSums in window.ts), so E[x²] − E[x]² does not lose small variances of large prices.
 */
import type { WindowSpec } from './types.ts';
import { SumsIndicator } from './sums-indicator.ts';
import { SlidingSums } from './window.ts';

export class StdDev extends SumsIndicator<SlidingSums> {
  constructor(window: WindowSpec) {
    super(window, 'StdDev', (w) => new SlidingSums(w));
  }

  protected emit(): void {
    this.value = Math.sqrt(this.sums.variance());
  }
}
