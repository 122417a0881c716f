/**
 * Whole-column kernels: an indicator's output over a whole input column in one plain loop, for the engine's
 * indicator cache (src/engine/indicator-cache.ts), where building columns by calling a streaming
 * indicator's `update` per bar was the largest single cost of a sweep's set-up.
 *
 * Each kernel is the streaming class it replaces, unrolled: the same floating-point operations in the same
 * order on every value that can reach the output, so its column equals the streaming column bit for bit
 * (test/property/indicator-columns.test.ts holds them to that). The streaming classes stay the reference
 * and the only implementation for everything a kernel does not cover. Work that cannot reach the output is
 * left out, and each kernel says which.
 *
 * `returns`: the input is a close column and the indicator reads simple returns close[i] / close[i−1] − 1.
 * Like the engine's streaming column loop, a bar whose previous close is not > 0 feeds nothing and repeats
 * the previous output (NaN at bar 0).
 */
import { pow2AtLeast } from './window.ts';

/**
 * SMA over a bar window (SMA → SumsIndicator → SlidingSums in window.ts). Kept: the shift, the running sum,
 * Welford's mean and m2 and the `noise` measure, because the early recompute fires on m2 < 1e-6·noise and a
 * recompute re-centres the stored values and the shift; the periodic recompute; the ring's order. Left out:
 * the weighted sum (read only by WMA: no SMA value, shift or recompute trigger depends on it) and the times
 * (a bar window never reads them).
 */
export function smaColumn(input: Float64Array, length: number, bars: number, out: Float64Array, returns: boolean): void {
  const cap = pow2AtLeast(bars + 1);
  const ring = new Float64Array(cap);
  const mask = cap - 1;
  let head = 0;
  let size = 0;
  let seen = 0;
  let shift = 0;
  let sum = 0;
  let xmean = 0;
  let m2 = 0;
  let noise = 0;
  let since = 0;
  for (let i = 0; i < length; i++) {
    let value: number;
    if (returns) {
      const prev = i > 0 ? input[i - 1]! : NaN;
      if (!(prev > 0)) {
        out[i] = i > 0 ? out[i - 1]! : NaN;
        continue;
      }
      value = input[i]! / prev - 1;
    } else {
      value = input[i]!;
    }
    if (size === 0) shift = value;
    const x = value - shift;
    ring[(head + size) & mask] = x;
    size++;
    sum += x;
    let d = x - xmean;
    xmean += d / size;
    let dm = d * (x - xmean);
    m2 += dm;
    noise += dm;
    if (size > bars) {
      const y = ring[head]!;
      head = (head + 1) & mask;
      size--;
      sum -= y;
      d = y - xmean;
      xmean -= d / size;
      dm = d * (y - xmean);
      m2 -= dm;
      noise += dm;
    }
    if ((++since >= size && since >= 64) || m2 < 1e-6 * noise) {
      // SlidingSums.recompute: exact sums from the ring, re-centred on its mean.
      let delta = 0;
      for (let k = 0; k < size; k++) delta += ring[(head + k) & mask]!;
      delta /= size;
      let s = 0;
      let q = 0;
      for (let k = 0; k < size; k++) {
        const j = (head + k) & mask;
        const r = ring[j]! - delta;
        ring[j] = r;
        s += r;
        q += r * r;
      }
      shift += delta;
      sum = s;
      xmean = s / size;
      m2 = Math.max(0, q - s * xmean);
      noise = 0;
      since = 0;
    }
    out[i] = ++seen >= bars ? shift + sum / size : NaN;
  }
}
