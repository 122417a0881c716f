/**
 * Average true range, Wilder smoothing. True range TR = max(high, prevClose) − min(low, prevClose).
 *
 * Start (option `firstBar`):
 * - 'range' (default; Wilder, Tulip, trading-signals): the first bar has no previous close, so its TR is
 *   high − low; the first ATR is the mean of the first N TRs, at index N−1.
 * - 'skip' (technicalindicators): the first bar only supplies a close; the first ATR is the mean of TRs
 *   1..N, at index N.
 * After the seed, atr += alpha (TR − atr) with alpha = 1/N. `value` is NaN before ready.
 *
 * Duration window {ms: D}: alpha = min(1, Δt/D) per update (smoothing.ts); ready once the first observation
 * is ≥ D old, seeded with the mean of all TRs seen so far.
 * `update(time, close, high, low)`: the `value` argument is the bar's close.
 */
import type { Indicator, WindowSpec } from './types.ts';
import { Warmup, checkWindow, windowBars, windowMs } from './window.ts';
import { WilderAverage } from './smoothing.ts';

export type AtrFirstBar = 'range' | 'skip';

export class ATR implements Indicator {
  value = NaN;
  ready = false;
  readonly warmupBars: number;
  readonly warmupMs: number;
  private readonly skipFirst: boolean;
  private readonly warm: Warmup;
  private readonly average: WilderAverage;
  private prevClose = NaN;
  private prevTime = NaN;

  constructor(window: WindowSpec, firstBar: AtrFirstBar = 'range') {
    checkWindow(window, 'ATR');
    this.skipFirst = firstBar === 'skip';
    this.average = new WilderAverage(windowBars(window), windowMs(window));
    this.warm = new Warmup(window, this.skipFirst ? 1 : 0);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
  }

  update(time: number, close: number, high: number, low: number): number {
    const ready = this.ready || this.warm.observe(time);
    const first = Number.isNaN(this.prevTime);
    if (!first || !this.skipFirst) {
      const p = this.prevClose;
      const tr = first ? high - low : (high > p ? high : p) - (low < p ? low : p);
      this.average.add(tr, time - this.prevTime, ready);
      if (ready) {
        this.ready = true;
        this.value = this.average.avg;
      }
    }
    this.prevClose = close;
    this.prevTime = time;
    return this.value;
  }

  reset(): void {
    this.warm.reset();
    this.average.reset();
    this.value = NaN;
    this.ready = false;
    this.prevClose = NaN;
    this.prevTime = NaN;
  }
}
