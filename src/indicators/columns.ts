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

/**
 * RSI over a bar window (RSI with two WilderAverage in rsi.ts): the changes' gains and losses summed until
 * the window is ready (N + 1 observations), their means as the seed, then Wilder smoothing with alpha = 1/N.
 * Both averages are seeded on the same update, so one flag and one count serve both. `time` is read only as
 * the streaming RSI reads it: an observation after one at a NaN time is not a change.
 */
export function rsiColumn(input: Float64Array, time: Float64Array, length: number, bars: number, out: Float64Array, returns: boolean): void {
  const alpha = 1 / bars;
  const warmupBars = bars + 1;
  let seen = 0;
  let ready = false;
  let prev = NaN;
  let prevTime = NaN;
  let gainSum = 0;
  let lossSum = 0;
  let count = 0;
  let seeded = false;
  let gain = NaN;
  let loss = NaN;
  let rsi = NaN;
  for (let i = 0; i < length; i++) {
    let value: number;
    if (returns) {
      const before = i > 0 ? input[i - 1]! : NaN;
      if (!(before > 0)) {
        out[i] = i > 0 ? out[i - 1]! : NaN;
        continue;
      }
      value = input[i]! / before - 1;
    } else {
      value = input[i]!;
    }
    if (!ready) ready = ++seen >= warmupBars;
    if (prevTime === prevTime) {
      const d = value - prev;
      // max(d, 0) and max(−d, 0) without a branch on the sign, which a price series makes unpredictable:
      // d + |d| and |d| − d are exact (0 or ±2d) and halving them is exact, for any finite |d| < 2^1023.
      // NaN and huge changes take the streaming class's literal form.
      const a = Math.abs(d);
      let g: number;
      let l: number;
      if (a < 8e307) {
        g = (d + a) * 0.5;
        l = (a - d) * 0.5;
      } else {
        g = d > 0 ? d : 0;
        l = d < 0 ? -d : 0;
      }
      if (seeded) {
        gain += alpha * (g - gain);
        loss += alpha * (l - loss);
      } else {
        gainSum += g;
        lossSum += l;
        count++;
        if (ready) {
          gain = gainSum / count;
          loss = lossSum / count;
          seeded = true;
        }
      }
      if (ready) {
        const total = gain + loss;
        rsi = total > 0 ? (100 * gain) / total : 50;
      }
    }
    prev = value;
    prevTime = time[i]!;
    out[i] = rsi;
  }
}
