/**
 * Base of the indicators that are a function of running sums over the window (SMA over a SlidingMean; WMA,
 * standard deviation and Bollinger over SlidingSums): one update path, so each subclass only says how to
 * read its outputs. (The whole-column kernels in columns.ts, not these classes, are the hot path: `update`
 * is shared, so its `add` and `emit` calls see every subclass in use.)
 */
import type { Indicator, WindowSpec } from './types.ts';
import { Warmup, checkWindow } from './window.ts';

/** What a SumsIndicator feeds: SlidingSums, or SlidingMean for SMA. */
interface WindowSums {
  add(time: number, value: number): void;
  reset(): void;
}

export abstract class SumsIndicator<S extends WindowSums> implements Indicator {
  value = NaN;
  ready = false;
  readonly warmupBars: number;
  readonly warmupMs: number;
  protected readonly sums: S;
  private readonly warm: Warmup;

  /** `sums` makes the window's accumulator, once the window has passed checkWindow. */
  constructor(window: WindowSpec, name: string, sums: (window: WindowSpec) => S) {
    checkWindow(window, name);
    this.sums = sums(window);
    this.warm = new Warmup(window);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
  }

  update(time: number, value: number, _high: number, _low: number): number {
    this.sums.add(time, value);
    if (this.ready || this.warm.observe(time)) {
      this.ready = true;
      this.emit();
    }
    return this.value;
  }

  reset(): void {
    this.sums.reset();
    this.warm.reset();
    this.ready = false;
    this.clear();
  }

  /** Sets `value` (and any extra outputs) from `this.sums`; called only when ready. */
  protected abstract emit(): void;

  /** Sets every output back to NaN. */
  protected clear(): void {
    this.value = NaN;
  }
}
