/**
 * Simple moving average: the mean of the observations in the window.
 *
 * Ready: bar window after N observations (first value at index N−1, the StockCharts/Tulip/
 * technicalindicators convention); duration window once the first observation is ≥ D old, so that
 * (t − D, t] lies inside the history seen. NaN before.
 * Drift: a running sum with periodic exact recompute (SlidingMean in window.ts).
 */
import type { WindowSpec } from './types.ts';
import { SumsIndicator } from './sums-indicator.ts';
import { SlidingMean } from './window.ts';

export class SMA extends SumsIndicator<SlidingMean> {
  constructor(window: WindowSpec) {
    super(window, 'SMA', (w) => new SlidingMean(w));
  }

  protected emit(): void {
    this.value = this.sums.mean();
  }
}
