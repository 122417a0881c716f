/**
 * Bollinger bands: middle = SMA of the window, upper/lower = middle ± k × population standard deviation
 * (k defaults to 2). `value` is the middle band; `upper` and `lower` are NaN until ready.
 *
 * Ready: bar window after N observations (first value at index N−1, as Tulip, technicalindicators and
 * trading-signals); duration window once the first observation is ≥ D old.
 * Drift: SlidingSums (window.ts) with periodic exact recompute.
 */
import { assert } from '../lib/assert.ts';
import type { WindowSpec } from './types.ts';
import { SumsIndicator } from './sums-indicator.ts';
import { SlidingSums } from './window.ts';

export class Bollinger extends SumsIndicator<SlidingSums> {
  upper = NaN;
  lower = NaN;
  readonly k: number;

  constructor(window: WindowSpec, k = 2) {
    super(window, 'Bollinger', (w) => new SlidingSums(w));
    assert(Number.isFinite(k) && k >= 0, `Bollinger: k must be a finite number ≥ 0, got ${k}`);
    this.k = k;
  }

  protected emit(): void {
    const mid = this.sums.mean();
    const width = this.k * Math.sqrt(this.sums.variance());
    this.value = mid;
    this.upper = mid + width;
    this.lower = mid - width;
  }

  protected override clear(): void {
    this.value = NaN;
    this.upper = NaN;
    this.lower = NaN;
  }
}
