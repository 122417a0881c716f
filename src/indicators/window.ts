/**
 * Shared window machinery for the streaming indicators.
 *
 * - `Ring`: a growable ring buffer of (time, value) pairs in two Float64Arrays. Push/shift/pop are O(1);
 *   capacity is a power of two so indexing is a mask, and it doubles only when full, so a bar window never
 *   grows after construction (it is preallocated from N) and a duration window grows a handful of times.
 * - `Warmup`: the single ready rule every indicator shares (see CONVENTIONS.md).
 * - `SlidingMean`: the mean over a (time, value) window, for SMA and EMA's 'sma' seed.
 * - `SlidingSums`: sum, weighted sum and sum of squares over a (time, value) window, for WMA, standard
 *   deviation and Bollinger.
 */
import { assert } from '../lib/assert.ts';
import type { WindowSpec } from './types.ts';

/** Bars of a window spec, 0 for a duration window. */
export function windowBars(w: WindowSpec): number {
  return 'bars' in w ? w.bars : 0;
}

/** Duration (ms) of a window spec, 0 for a bar window. */
export function windowMs(w: WindowSpec): number {
  return 'ms' in w ? w.ms : 0;
}

/** Rejects windows that would make an indicator silently meaningless. */
export function checkWindow(w: WindowSpec, what: string): void {
  if ('bars' in w) assert(Number.isInteger(w.bars) && w.bars >= 1, `${what}: bars must be an integer ≥ 1, got ${w.bars}`);
  else assert(Number.isFinite(w.ms) && w.ms > 0, `${what}: ms must be a positive finite number, got ${w.ms}`);
}

export function pow2AtLeast(n: number): number {
  let c = 8;
  while (c < n) c *= 2;
  return c;
}

export class Ring {
  times: Float64Array;
  values: Float64Array;
  head = 0;
  size = 0;
  mask = 0;

  constructor(capacity: number) {
    const c = pow2AtLeast(capacity);
    this.times = new Float64Array(c);
    this.values = new Float64Array(c);
    this.mask = c - 1;
  }

  push(time: number, value: number): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.times[i] = time;
    this.values[i] = value;
    this.size++;
  }

  /** Removes the oldest entry and returns its value (the caller checked size > 0). */
  shift(): number {
    const v = this.values[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return v;
  }

  /** Removes the newest entry (monotonic deques pop from the back). */
  pop(): void {
    this.size--;
  }

  frontTime(): number {
    return this.times[this.head]!;
  }

  frontValue(): number {
    return this.values[this.head]!;
  }

  backValue(): number {
    return this.values[(this.head + this.size - 1) & this.mask]!;
  }

  /** Time of the i-th oldest entry. */
  timeAt(i: number): number {
    return this.times[(this.head + i) & this.mask]!;
  }

  /** Value of the i-th oldest entry. */
  valueAt(i: number): number {
    return this.values[(this.head + i) & this.mask]!;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const c = this.times.length * 2;
    const t = new Float64Array(c);
    const v = new Float64Array(c);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & this.mask;
      t[k] = this.times[i]!;
      v[k] = this.values[i]!;
    }
    this.times = t;
    this.values = v;
    this.head = 0;
    this.mask = c - 1;
  }
}

/**
 * Ready rule shared by every indicator: a bar window is ready once it has seen `bars + extraBars`
 * observations (extraBars = 1 for indicators of changes: ROC, RSI); a duration window once the first
 * observation is at least `ms` old, i.e. (t − ms, t] lies inside the history seen. `observe` returns
 * the (possibly new) readiness. `warmupBars`/`warmupMs` are the `Indicator` fields of the same name.
 */
export class Warmup {
  readonly warmupBars: number;
  readonly warmupMs: number;
  count = 0;
  firstTime = NaN;
  ready = false;

  constructor(window: WindowSpec, extraBars = 0) {
    const bars = windowBars(window);
    this.warmupBars = bars > 0 ? bars + extraBars : 1;
    this.warmupMs = windowMs(window);
  }

  observe(time: number): boolean {
    if (this.count === 0) this.firstTime = time;
    this.count++;
    if (!this.ready) {
      this.ready = this.warmupMs > 0 ? time - this.firstTime >= this.warmupMs : this.count >= this.warmupBars;
    }
    return this.ready;
  }

  reset(): void {
    this.count = 0;
    this.firstTime = NaN;
    this.ready = false;
  }
}

/** Updates at least between two exact recomputes of running sums (SlidingMean, SlidingSums, their kernels). */
export const RECOMPUTE_MIN = 64;

/** A window's ring capacity: N + 1 for a bar window (it never grows), 64 to start for a duration window. */
export function ringCapacity(bars: number): number {
  return bars > 0 ? bars + 1 : 64;
}

/**
 * Mean of the values in a window, for SMA and EMA's 'sma' seed: the ring keeps the values as given, and a
 * running sum keeps Σ (v − shift), where `shift` is a recent value, so the sum stays small and a new value
 * and the one it pushes out (a full bar window) change it by one rounding: sum += (v − shift) − (y − shift).
 * The sum drifts by that rounding per update; once per max(n, 64) updates it is recomputed from the ring
 * with the newest value as the new shift (four interleaved partial sums, value k of the window, oldest
 * first, into sum k mod 4, then (s0 + s1) + (s2 + s3)), which bounds the drift and keeps the cost O(1)
 * amortized. No variance is kept, so nothing else triggers a recompute (SlidingSums does that for m2).
 * The whole-column kernel (columns.ts meanColumn) performs the same operations in the same order.
 */
export class SlidingMean {
  readonly ring: Ring;
  readonly bars: number;
  readonly ms: number;
  shift = 0;
  sum = 0;
  private since = 0;

  constructor(window: WindowSpec) {
    this.bars = windowBars(window);
    this.ms = windowMs(window);
    this.ring = new Ring(ringCapacity(this.bars));
  }

  add(time: number, value: number): void {
    const ring = this.ring;
    if (ring.size === 0) this.shift = value;
    const shift = this.shift;
    ring.push(time, value);
    if (this.bars > 0) {
      if (ring.size > this.bars) this.sum += value - shift - (ring.shift() - shift);
      else this.sum += value - shift;
    } else {
      this.sum += value - shift;
      // Never the newest: a time t with t − ms ≥ t (ms below t's precision) keeps one value.
      const edge = time - this.ms;
      while (ring.size > 1 && ring.frontTime() <= edge) this.sum -= ring.shift() - shift;
    }
    if (++this.since >= ring.size && this.since >= RECOMPUTE_MIN) this.recompute();
  }

  mean(): number {
    return this.shift + this.sum / this.ring.size;
  }

  reset(): void {
    this.ring.clear();
    this.shift = 0;
    this.sum = 0;
    this.since = 0;
  }

  private recompute(): void {
    const ring = this.ring, n = ring.size;
    const shift = ring.values[(ring.head + n - 1) & ring.mask]!;
    this.sum = shiftedSum(ring.values, ring.head, n, ring.mask, shift);
    this.shift = shift;
    this.since = 0;
  }
}

/**
 * Σ (v − shift) over the n values of a ring from `head` (mask: its capacity − 1; −1 reads a plain column
 * from index `head`), oldest first, value k into partial sum k mod 4, then (s0 + s1) + (s2 + s3): four
 * independent chains, so an exact recompute costs about a quarter of one running sum.
 */
export function shiftedSum(values: Float64Array, head: number, n: number, mask: number, shift: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += values[(head + k) & mask]! - shift;
    s1 += values[(head + k + 1) & mask]! - shift;
    s2 += values[(head + k + 2) & mask]! - shift;
    s3 += values[(head + k + 3) & mask]! - shift;
  }
  if (k < n) s0 += values[(head + k++) & mask]! - shift;
  if (k < n) s1 += values[(head + k++) & mask]! - shift;
  if (k < n) s2 += values[(head + k) & mask]! - shift;
  return s0 + s1 + (s2 + s3);
}

/**
 * Mean, linearly weighted sum (weights 1 for the oldest … n for the newest) and sum of squared deviations
 * of the values in a window. Values are stored shifted by `shift` (a recent mean) to keep sums small; the
 * squared deviations follow Welford's add/remove updates rather than Σx² − n·mean², which would turn the
 * rounding of large prices into a spurious deviation (√ of noise) on a flat window. Running sums drift by
 * one rounding per add/remove; recomputing them exactly (two-pass) from the buffer once per max(n, 64)
 * updates bounds the drift and keeps the cost O(1) amortized.
 * Removing the values that carried a large variance leaves m2 as a small difference of large terms: its
 * absolute error is ~ε·`noise` (the sum of the magnitudes of all m2 updates since the last recompute), so
 * when m2 falls below 1e-6·noise (relative error of the std dev could exceed ~1e-9) we recompute at once.
 * That takes a collapse of the variance by ~10⁶, which needs the carriers to leave the window, so it
 * cannot happen on every update and the cost stays O(1) amortized.
 */
export class SlidingSums {
  readonly ring: Ring;
  readonly bars: number;
  readonly ms: number;
  shift = 0;
  sum = 0;
  wsum = 0;
  /** Mean of the stored (shifted) values. */
  xmean = 0;
  /** Sum of squared deviations from `xmean`. */
  m2 = 0;
  private noise = 0;
  private sinceRecompute = 0;

  constructor(window: WindowSpec) {
    this.bars = windowBars(window);
    this.ms = windowMs(window);
    this.ring = new Ring(ringCapacity(this.bars));
  }

  add(time: number, value: number): void {
    const ring = this.ring;
    if (ring.size === 0) this.shift = value;
    const x = value - this.shift;
    ring.push(time, x);
    const n = ring.size;
    this.sum += x;
    this.wsum += n * x;
    const d = x - this.xmean;
    this.xmean += d / n;
    const dm = d * (x - this.xmean);
    this.m2 += dm;
    this.noise += dm;
    if (this.bars > 0) {
      if (n > this.bars) this.removeOldest();
    } else {
      const edge = time - this.ms;
      while (ring.frontTime() <= edge) this.removeOldest();
    }
    if ((++this.sinceRecompute >= ring.size && this.sinceRecompute >= RECOMPUTE_MIN) || this.m2 < 1e-6 * this.noise) this.recompute();
  }

  mean(): number {
    return this.shift + this.sum / this.ring.size;
  }

  /** Linearly weighted mean, weights 1..n by age rank (newest heaviest). */
  weightedMean(): number {
    const n = this.ring.size;
    return this.shift + this.wsum / ((n * (n + 1)) / 2);
  }

  /** Population variance, clamped at 0 against rounding. */
  variance(): number {
    return this.m2 > 0 ? this.m2 / this.ring.size : 0;
  }

  reset(): void {
    this.ring.clear();
    this.shift = 0;
    this.sum = 0;
    this.wsum = 0;
    this.xmean = 0;
    this.m2 = 0;
    this.noise = 0;
    this.sinceRecompute = 0;
  }

  private removeOldest(): void {
    // Every remaining weight drops by one; the removed value's weight drops from 1 to 0.
    this.wsum -= this.sum;
    const x = this.ring.shift();
    this.sum -= x;
    const n = this.ring.size;
    const d = x - this.xmean;
    this.xmean -= d / n;
    const dm = d * (x - this.xmean);
    this.m2 -= dm;
    this.noise += dm;
  }

  /** Exact sums from the buffer, re-centred on the current mean. */
  private recompute(): void {
    const ring = this.ring;
    const n = ring.size;
    let delta = 0;
    for (let k = 0; k < n; k++) delta += ring.values[(ring.head + k) & ring.mask]!;
    delta /= n;
    let s = 0;
    let w = 0;
    let q = 0;
    for (let k = 0; k < n; k++) {
      const i = (ring.head + k) & ring.mask;
      const x = ring.values[i]! - delta;
      ring.values[i] = x;
      s += x;
      w += (k + 1) * x;
      q += x * x;
    }
    this.shift += delta;
    this.sum = s;
    this.wsum = w;
    this.xmean = s / n;
    this.m2 = Math.max(0, q - s * this.xmean);
    this.noise = 0;
    this.sinceRecompute = 0;
  }
}
