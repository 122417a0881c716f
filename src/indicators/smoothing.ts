/**
 * Per-update smoothing factors for duration windows, where the weight of a new observation must follow the
 * time elapsed since the previous one rather than a count. Both reduce to the bar-window factor when
 * observations are evenly spaced `D / N` apart, and saturate at 1 (a gap longer than the window forgets
 * everything before it).
 */

/** EMA: alpha = min(1, 2x/(1+x)), x = Δt/D; equals 2/(N+1) when Δt = D/N. */
export function emaAlpha(dt: number, ms: number): number {
  const x = dt / ms;
  const a = (2 * x) / (1 + x);
  return a < 1 ? a : 1;
}

/** Wilder (RSI, ATR): alpha = min(1, Δt/D); equals 1/N when Δt = D/N. */
export function wilderAlpha(dt: number, ms: number): number {
  const a = dt / ms;
  return a < 1 ? a : 1;
}

/**
 * Wilder's average with its seed, shared by RSI (gains, losses) and ATR (true ranges): the simple mean of
 * everything added until the owner reports it ready, then avg += alpha (x − avg) with alpha = 1/N for a
 * bar window or min(1, Δt/D) for a duration window.
 */
export class WilderAverage {
  avg = NaN;
  private readonly alpha: number;
  private readonly ms: number;
  private sum = 0;
  private count = 0;
  private seeded = false;

  constructor(bars: number, ms: number) {
    this.alpha = bars > 0 ? 1 / bars : NaN;
    this.ms = ms;
  }

  /** Adds x, observed dt ms after the previous observation; `ready` ends the seed period. */
  add(x: number, dt: number, ready: boolean): void {
    if (this.seeded) {
      this.avg += (this.ms > 0 ? wilderAlpha(dt, this.ms) : this.alpha) * (x - this.avg);
      return;
    }
    this.sum += x;
    this.count++;
    if (ready) {
      this.avg = this.sum / this.count;
      this.seeded = true;
    }
  }

  reset(): void {
    this.avg = NaN;
    this.sum = 0;
    this.count = 0;
    this.seeded = false;
  }
}
