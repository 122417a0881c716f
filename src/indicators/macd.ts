/**
 * MACD: line = EMA(fast) − EMA(slow), signal = EMA(signal window) of the line, histogram = line − signal.
 *
 * The line exists from the first observation at which both the fast and the slow EMA are ready; from then
 * on it feeds the signal EMA. MACD is ready when the signal EMA is ready, and only then are `value` (the
 * line), `signal` and `histogram` set (all NaN before). For bar windows that is observation
 * max(fast, slow) + signal − 1 (index max(fast, slow) + signal − 2).
 *
 * `seed` applies to all three EMAs (see ema.ts): 'first' (default) reproduces Tulip's line and signal
 * series (Tulip prints the signal from the line's first value on; ours is readable there through
 * `signalEma.raw`); 'sma' reproduces technicalindicators (SimpleMAOscillator/SimpleMASignal false).
 * Tulip alone replaces the smoothing factors of 12/26 with 0.15/0.075; we always use 2/(N+1).
 *
 * The three windows must be of the same kind: all bars or all durations. Duration: warmupMs =
 * max(fast, slow) + signal, the least history that can make it ready.
 */
import { assert } from '../lib/assert.ts';
import type { Indicator, WindowSpec } from './types.ts';
import { EMA, type EmaSeed } from './ema.ts';
import { windowBars, windowMs } from './window.ts';

export class MACD implements Indicator {
  value = NaN;
  ready = false;
  signal = NaN;
  histogram = NaN;
  readonly warmupBars: number;
  readonly warmupMs: number;
  readonly fastEma: EMA;
  readonly slowEma: EMA;
  readonly signalEma: EMA;

  constructor(fast: WindowSpec, slow: WindowSpec, signal: WindowSpec, seed: EmaSeed = 'first') {
    const bars = 'bars' in fast;
    assert(bars === 'bars' in slow && bars === 'bars' in signal, 'MACD: fast, slow and signal windows must all be bars or all durations');
    this.fastEma = new EMA(fast, seed);
    this.slowEma = new EMA(slow, seed);
    this.signalEma = new EMA(signal, seed);
    this.warmupBars = bars ? Math.max(windowBars(fast), windowBars(slow)) + windowBars(signal) - 1 : 1;
    this.warmupMs = bars ? 0 : Math.max(windowMs(fast), windowMs(slow)) + windowMs(signal);
  }

  update(time: number, value: number, high: number, low: number): number {
    const fast = this.fastEma.update(time, value, high, low);
    const slow = this.slowEma.update(time, value, high, low);
    if (this.fastEma.ready && this.slowEma.ready) {
      const line = fast - slow;
      const signal = this.signalEma.update(time, line, line, line);
      if (this.signalEma.ready) {
        this.ready = true;
        this.value = line;
        this.signal = signal;
        this.histogram = line - signal;
      }
    }
    return this.value;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.value = NaN;
    this.ready = false;
    this.signal = NaN;
    this.histogram = NaN;
  }
}
