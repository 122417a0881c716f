/**
 * Linearly weighted moving average: weights 1 (oldest) … n (newest) over the n observations in the window,
 * divided by n(n+1)/2. For a duration window n is however many observations (t − D, t] holds, so weights
 * follow rank, not elapsed time (the usual WMA definition applied to an irregular window).
 *
 * Ready: bar window after N observations (first value at index N−1, as Tulip and technicalindicators);
 * duration window once the first observation is ≥ D old. NaN before.
 * Drift: running sums with periodic exact recompute (SlidingSums in window.ts).
 */
import type { WindowSpec } from './types.ts';
import { SumsIndicator } from './sums-indicator.ts';
import { SlidingSums } from './window.ts';

export class WMA extends SumsIndicator<SlidingSums> {
  constructor(window: WindowSpec) {
    super(window, 'WMA', (w) => new SlidingSums(w));
  }

  protected emit(): void {
    this.value = this.sums.weightedMean();
  }
}
