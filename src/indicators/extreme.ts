/**
 * Base of Highest and Lowest: the maximum of sign · value over the window with a monotonic deque (each
 * observation is pushed and popped at most once, so O(1) amortized). Lowest is the highest of the negated
 * values; negation is exact, so no precision is lost.
 *
 * Ready: bar window after N observations (first value at index N−1); duration window once the first
 * observation is ≥ D old. NaN before.
 */
import type { Indicator, WindowSpec } from './types.ts';
import { Ring, Warmup, checkWindow, windowBars, windowMs } from './window.ts';

export abstract class Extreme implements Indicator {
  value = NaN;
  ready = false;
  readonly warmupBars: number;
  readonly warmupMs: number;
  private readonly sign: number;
  private readonly bars: number;
  private readonly ms: number;
  /** Candidates in decreasing sign·value order; the time column holds the observation number for bar windows. */
  private readonly deque: Ring;
  private readonly warm: Warmup;
  /** Observation number, the deque key for bar windows. */
  private seq = 0;

  protected constructor(window: WindowSpec, sign: 1 | -1, name: string) {
    checkWindow(window, name);
    this.sign = sign;
    this.bars = windowBars(window);
    this.ms = windowMs(window);
    this.deque = new Ring(this.bars > 0 ? this.bars + 1 : 64);
    this.warm = new Warmup(window);
    this.warmupBars = this.warm.warmupBars;
    this.warmupMs = this.warm.warmupMs;
  }

  update(time: number, value: number, _high: number, _low: number): number {
    const ready = this.ready || this.warm.observe(time);
    this.seq++;
    const dq = this.deque;
    const x = this.sign * value;
    // An older candidate no larger than x can never be the extreme again: x outlives it.
    while (dq.size > 0 && dq.backValue() <= x) dq.pop();
    const key = this.bars > 0 ? this.seq : time;
    dq.push(key, x);
    const edge = this.bars > 0 ? key - this.bars : time - this.ms;
    while (dq.frontTime() <= edge) dq.shift();
    if (ready) {
      this.ready = true;
      this.value = this.sign * dq.frontValue();
    }
    return this.value;
  }

  reset(): void {
    this.deque.clear();
    this.warm.reset();
    this.seq = 0;
    this.value = NaN;
    this.ready = false;
  }
}
