/**
 * Rate of change in percent: 100 · (v − v_then) / v_then.
 *
 * v_then is the value N observations ago for a bar window (so N + 1 observations are needed; first value
 * at index N, as Tulip and technicalindicators), and for a duration window the as-of value at t − D: the
 * last observation with time ≤ t − D. Ready once that reference exists: after N + 1 observations, or once
 * the first observation is ≥ D old. v_then = 0 gives ±Infinity (NaN for 0/0), as IEEE division does.
 */
import type { Indicator, WindowSpec } from './types.ts';
import { Ring, Warmup, checkWindow, windowBars, windowMs } from './window.ts';

export class ROC implements Indicator {
  value = NaN;
  ready = false;
  readonly warmupBars: number;
  readonly warmupMs: number;
  private readonly bars: number;
  private readonly ms: number;
  private readonly ring: Ring;
  private readonly warm: Warmup;

  constructor(window: WindowSpec) {
    checkWindow(window, 'ROC');
    this.bars = windowBars(window);
    this.ms = windowMs(window);
    this.ring = new Ring(this.bars > 0 ? this.bars + 1 : 64);
    this.warm = new Warmup(window, 1);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
  }

  update(time: number, value: number, _high: number, _low: number): number {
    const ring = this.ring;
    ring.push(time, value);
    if (this.bars > 0) {
      if (ring.size > this.bars + 1) ring.shift();
    } else {
      // Keep one observation at or before the edge: it is the as-of value at t − D.
      const edge = time - this.ms;
      while (ring.size > 1 && ring.timeAt(1) <= edge) ring.shift();
    }
    if (this.ready || this.warm.observe(time)) {
      this.ready = true;
      const then = ring.frontValue();
      this.value = (100 * (value - then)) / then;
    }
    return this.value;
  }

  reset(): void {
    this.ring.clear();
    this.warm.reset();
    this.value = NaN;
    this.ready = false;
  }
}
