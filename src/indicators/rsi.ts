/**
 * Relative strength index, Wilder's definition (StockCharts, Tulip, technicalindicators, trading-signals).
 *
 * Changes d = v − v_prev split into gain max(d, 0) and loss max(−d, 0). The first average gain/loss is the
 * simple mean of the first N changes (N + 1 observations, so the first value is at index N); after that
 * Wilder smoothing avg += alpha (x − avg) with alpha = 1/N. RSI = 100 · avgGain / (avgGain + avgLoss),
 * which is 100 when avgLoss = 0 < avgGain. The 0/0 case (no movement at all in the averages) is 50:
 * conventions disagree (technicalindicators and trading-signals say 100, TA-Lib 0, Tulip NaN) and a flat
 * market has no momentum either way, so neither an overbought nor an oversold rule should fire on it.
 *
 * Duration window {ms: D}: alpha = min(1, Δt/D) per update (smoothing.ts); ready once the first observation
 * is ≥ D old, seeded with the mean of all changes seen so far (on evenly spaced data: exactly the first N,
 * at index N, as for bars). `value` is NaN before ready.
 */
import type { Indicator, WindowSpec } from './types.ts';
import { Warmup, checkWindow, windowBars, windowMs } from './window.ts';
import { WilderAverage } from './smoothing.ts';

export class RSI implements Indicator {
  value = NaN;
  ready = false;
  readonly warmupBars: number;
  readonly warmupMs: number;
  readonly gains: WilderAverage;
  readonly losses: WilderAverage;
  private readonly warm: Warmup;
  private prev = NaN;
  private prevTime = NaN;

  constructor(window: WindowSpec) {
    checkWindow(window, 'RSI');
    this.gains = new WilderAverage(windowBars(window), windowMs(window));
    this.losses = new WilderAverage(windowBars(window), windowMs(window));
    this.warm = new Warmup(window, 1);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
  }

  update(time: number, value: number, _high: number, _low: number): number {
    const ready = this.ready || this.warm.observe(time);
    if (!Number.isNaN(this.prevTime)) {
      const d = value - this.prev;
      const dt = time - this.prevTime;
      this.gains.add(d > 0 ? d : 0, dt, ready);
      this.losses.add(d < 0 ? -d : 0, dt, ready);
      if (ready) {
        this.ready = true;
        const gain = this.gains.avg;
        const total = gain + this.losses.avg;
        this.value = total > 0 ? (100 * gain) / total : 50;
      }
    }
    this.prev = value;
    this.prevTime = time;
    return this.value;
  }

  reset(): void {
    this.warm.reset();
    this.gains.reset();
    this.losses.reset();
    this.value = NaN;
    this.ready = false;
    this.prev = NaN;
    this.prevTime = NaN;
  }
}
