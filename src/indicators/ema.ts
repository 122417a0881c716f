/**
 * Exponential moving average, alpha = 2/(N+1) for a bar window.
 *
 * Seed (option `seed`):
 * - 'first' (default): the first observation (Tulip, pandas ewm(adjust=False), trading-signals).
 * - 'sma': the mean of the window at the moment it becomes ready, i.e. the SMA of the first N values for a
 *   bar window (StockCharts, technicalindicators, TA-Lib).
 * Duration window {ms: D}: alpha = min(1, 2x/(1+x)) with x = Δt/D per update (smoothing.ts), so on evenly
 * spaced data it equals the bar EMA with N = D/spacing and across gaps the decay follows elapsed time. An
 * observation at the same time as the previous one has Δt = 0 and so weight 0.
 *
 * Ready: like every indicator, after N observations (bar) or once the first observation is ≥ D old
 * (duration); `value` is NaN before. The running state from the seed on is always readable as `raw`
 * (NaN before the seed exists, which for 'sma' is the ready moment); with seed 'first' it is the Tulip
 * series from index 0. Example, {ms: 3000} on 1 s data 2, 5, 1, 6.25: raw = 2, 3.5, 2.25, 4.25, ready
 * from the fourth observation (the first 3 s after the first).
 */
import type { Indicator, WindowSpec } from './types.ts';
import { SlidingMean, Warmup, checkWindow, windowBars, windowMs } from './window.ts';
import { emaAlpha } from './smoothing.ts';

export type EmaSeed = 'first' | 'sma';

export class EMA implements Indicator {
  value = NaN;
  ready = false;
  /** Running EMA from the seed on, readable before `ready`. */
  raw = NaN;
  readonly warmupBars: number;
  readonly warmupMs: number;
  private readonly alpha: number;
  private readonly ms: number;
  private readonly warm: Warmup;
  /** Window for the 'sma' seed; null for the 'first' seed. */
  private readonly seedSums: SlidingMean | null;
  private prevTime = NaN;
  private seeded = false;

  constructor(window: WindowSpec, seed: EmaSeed = 'first') {
    checkWindow(window, 'EMA');
    const bars = windowBars(window);
    this.alpha = bars > 0 ? 2 / (bars + 1) : NaN;
    this.ms = windowMs(window);
    this.warm = new Warmup(window);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
    this.seedSums = seed === 'sma' ? new SlidingMean(window) : null;
  }

  update(time: number, value: number, _high: number, _low: number): number {
    if (this.ready) {
      // The steady state, kept short: one smoothing step.
      const a = this.ms > 0 ? emaAlpha(time - this.prevTime, this.ms) : this.alpha;
      this.prevTime = time;
      return (this.value = this.raw += a * (value - this.raw));
    }
    return this.warmUp(time, value);
  }

  private warmUp(time: number, value: number): number {
    const ready = this.warm.observe(time);
    if (this.seeded) {
      const a = this.ms > 0 ? emaAlpha(time - this.prevTime, this.ms) : this.alpha;
      this.raw += a * (value - this.raw);
    } else if (this.seedSums === null) {
      this.raw = value;
      this.seeded = true;
    } else {
      this.seedSums.add(time, value);
      if (ready) {
        this.raw = this.seedSums.mean();
        this.seeded = true;
      }
    }
    this.prevTime = time;
    if (ready) {
      this.ready = true;
      this.value = this.raw;
    }
    return this.value;
  }

  reset(): void {
    this.warm.reset();
    this.seedSums?.reset();
    this.value = NaN;
    this.ready = false;
    this.raw = NaN;
    this.prevTime = NaN;
    this.seeded = false;
  }
}
