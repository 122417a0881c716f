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
import { emaAlpha, wilderAlpha } from './smoothing.ts';
import { RECOMPUTE_MIN, pow2AtLeast, ringCapacity, shiftedSum } from './window.ts';

/** Whether bar i feeds an indicator: always, but for a 'return' input only after a close > 0. */
function feeds(input: Float64Array, i: number, returns: boolean): boolean {
  return !returns || (i > 0 && input[i - 1]! > 0);
}

/** The value bar i feeds (where it feeds one): the input, or its simple return on the previous close. */
function valueAt(input: Float64Array, i: number, returns: boolean): number {
  return returns ? input[i]! / input[i - 1]! - 1 : input[i]!;
}

/**
 * SMA over a bar window of every bar (see meanColumn), the kernel EMA's 'sma' seed also reads.
 */
export function smaColumn(input: Float64Array, length: number, bars: number, out: Float64Array, returns: boolean): void {
  meanColumn(input, null, length, bars, 0, returns, out);
}

/**
 * SMA (sma.ts → SlidingMean in window.ts) over a bar window (`bars` > 0) or a duration window (`ms` > 0,
 * with `time`). A bar window over every bar (not 'return') reads the value leaving the window from the
 * input column, as the ring would hand it back, and runs the stretches between two recomputes in a plain
 * loop: one subtraction pair and one addition per bar, the addition the only dependent chain. Everything
 * else goes bar by bar with a ring, as the streaming class does.
 */
export function meanColumn(input: Float64Array, time: Float64Array | null, length: number, bars: number, ms: number, returns: boolean, out: Float64Array): void {
  if (bars > 0 && !returns) barMeanColumn(input, length, bars, out);
  else ringMeanColumn(input, time, length, bars, ms, returns, out);
}

function barMeanColumn(input: Float64Array, length: number, bars: number, out: Float64Array): void {
  barMeanRange(input, bars, new Float64Array(BAR_MEAN_STATE), length, out, 0);
}

/** Size of barMeanRange's state: next bar, shift, sum, updates since the last recompute. */
export const BAR_MEAN_STATE = 4;

/**
 * barMeanColumn from bar `state[0]` up to (not including) bar `to`, bar i written to out[i − base]; `state`
 * (BAR_MEAN_STATE numbers, all 0 to start) is left as the next call continues from. Calls over consecutive
 * ranges perform the same operations in the same order as one call over their union, so the values are the
 * same bit for bit: a run can compute a column a block at a time into a small buffer (src/engine/fast/blocks.ts).
 */
export function barMeanRange(input: Float64Array, bars: number, state: Float64Array, to: number, out: Float64Array, base: number): void {
  // `| 0`: the bar index and count leave the state as int32, so the loop indexes with no float conversion.
  let i = state[0]! | 0;
  let shift = state[1]!;
  let sum = state[2]!;
  let since = state[3]! | 0;
  // Filling the window: size = i + 1.
  for (; i < to && i < bars; i++) {
    const v = input[i]!;
    if (i === 0) shift = v;
    sum += v - shift;
    if (++since >= i + 1 && since >= RECOMPUTE_MIN) {
      shift = v;
      sum = shiftedSum(input, 0, i + 1, -1, shift);
      since = 0;
    }
    out[i - base] = i + 1 >= bars ? shift + sum / (i + 1) : NaN;
  }
  // Full: the recompute falls on the bar where `since` reaches the period.
  // SlidingMean recomputes once `since` reaches both the window's size and RECOMPUTE_MIN.
  const period = Math.max(bars, RECOMPUTE_MIN);
  while (i < to) {
    const end = Math.min(to, i + (period - since - 1));
    since += end - i;
    for (; i < end; i++) {
      sum += input[i]! - shift - (input[i - bars]! - shift);
      out[i - base] = shift + sum / bars;
    }
    if (i === to) break;
    // The add's own update of the sum is what the recompute then overwrites.
    shift = input[i]!;
    sum = shiftedSum(input, i + 1 - bars, bars, -1, shift);
    since = 0;
    out[i - base] = shift + sum / bars;
    i++;
  }
  state[0] = i;
  state[1] = shift;
  state[2] = sum;
  state[3] = since;
}

/** Bars of the scratch series primeRangeKernels runs the kernels over: past RECOMPUTE_MIN, so every path runs. */
const PRIME_BARS = 4 * RECOMPUTE_MIN;
let primed = false;

/**
 * Runs barMeanRange and rsiRange (with rsiSteady) over a small scratch series, in consecutive ranges as a block
 * driver calls them, once per thread before their first real call: each then has type feedback for the code
 * after its loops when V8 first compiles it. Without it, V8 compiled each on-stack during its first long call
 * (one block of 8,192 bars), the code after the loop deoptimised at the call's return, and later calls
 * re-entered that on-stack code and deoptimised again: in a Chromium worker, W2's first run deoptimised
 * rsiSteady 32 times and barMeanRange 27 times (--trace-deopt), as 632e445 saw for the generated signal loop.
 * The scratch state and output are the priming's own; no real state is read or written.
 */
export function primeRangeKernels(): void {
  if (primed) return;
  primed = true;
  exerciseRangeKernels();
}

/** primeRangeKernels' work, every time it is called (a test runs it between a real computation's ranges). */
export function exerciseRangeKernels(): void {
  const n = PRIME_BARS, input = new Float64Array(n), time = new Float64Array(n), out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    input[i] = 100 + ((i * 7919) % 13) - 6;
    time[i] = i * 60_000;
  }
  for (let k = 0; k < 4; k++) {
    const sma = new Float64Array(BAR_MEAN_STATE), rsi = rsiState();
    for (let to = 16; to <= n; to += 16) {
      barMeanRange(input, 5, sma, to, out, 0);
      rsiRange(input, time, 5, 0, false, rsi, to, out, 0);
    }
  }
}

/** SlidingMean fed bar by bar: a duration window, or 'return' inputs (a bar may feed nothing). */
function ringMeanColumn(input: Float64Array, time: Float64Array | null, length: number, bars: number, ms: number, returns: boolean, out: Float64Array): void {
  let cap = pow2AtLeast(ringCapacity(bars));
  let ring = new Float64Array(cap);
  let times = new Float64Array(ms > 0 ? cap : 0);
  let mask = cap - 1;
  let head = 0;
  let size = 0;
  let shift = 0;
  let sum = 0;
  let since = 0;
  let seen = 0;
  let firstTime = NaN;
  let ready = false;
  for (let i = 0; i < length; i++) {
    if (!feeds(input, i, returns)) {
      out[i] = i > 0 ? out[i - 1]! : NaN;
      continue;
    }
    const value = valueAt(input, i, returns);
    const t = time !== null ? time[i]! : 0;
    if (size === 0) shift = value;
    if (size > mask) {
      // Ring.grow: the same entries in the same order, from slot 0 of twice the room.
      cap *= 2;
      const r = new Float64Array(cap);
      const ts = new Float64Array(cap);
      for (let q = 0; q < size; q++) {
        r[q] = ring[(head + q) & mask]!;
        ts[q] = times[(head + q) & mask]!;
      }
      ring = r;
      times = ts;
      head = 0;
      mask = cap - 1;
    }
    ring[(head + size) & mask] = value;
    if (ms > 0) times[(head + size) & mask] = t;
    size++;
    if (bars > 0) {
      if (size > bars) {
        const y = ring[head]!;
        head = (head + 1) & mask;
        size--;
        sum += value - shift - (y - shift);
      } else {
        sum += value - shift;
      }
    } else {
      sum += value - shift;
      const edge = t - ms;
      while (size > 1 && times[head]! <= edge) {
        const y = ring[head]!;
        head = (head + 1) & mask;
        size--;
        sum -= y - shift;
      }
    }
    if (++since >= size && since >= RECOMPUTE_MIN) {
      shift = value;
      sum = shiftedSum(ring, head, size, mask, shift);
      since = 0;
    }
    if (!ready) {
      // Warmup.observe
      if (seen++ === 0) firstTime = t;
      ready = ms > 0 ? t - firstTime >= ms : seen >= bars;
    }
    out[i] = ready ? shift + sum / size : NaN;
  }
}

/** Output columns of sumsColumns, each optional: the window's mean, population standard deviation, and the
 *  Bollinger bands mean ± k·sd. */
export interface SumsOutputs {
  readonly mean?: Float64Array;
  readonly std?: Float64Array;
  readonly upper?: Float64Array;
  readonly lower?: Float64Array;
  readonly k?: number;
}

/**
 * StdDev and Bollinger (SumsIndicator → SlidingSums in window.ts): the window's mean and variance, bar by bar,
 * over a bar window (`bars` > 0) or a duration window (`ms` > 0, with `time`; the ring then keeps times and
 * grows by doubling, and the caller makes sure no time t has t − ms ≥ t, where the streaming class would
 * read an emptied ring). Kept: the shift, the running sum, Welford's mean and m2 and the `noise` measure
 * (the early recompute fires on m2 < 1e-6·noise), the periodic recompute, the ring's order. Left out: the
 * weighted sum (read only by WMA: no mean, variance, shift or recompute trigger depends on it).
 */
export function sumsColumns(input: Float64Array, time: Float64Array | null, length: number, bars: number, ms: number, returns: boolean, outs: SumsOutputs): void {
  const out = outs.mean ?? null;
  const std = outs.std ?? null;
  const upper = outs.upper ?? null;
  const lower = outs.lower ?? null;
  const k = outs.k ?? 2;
  const spread = std !== null || upper !== null || lower !== null;
  // A duration window's ring doubles as it fills (Ring.grow).
  const cap = pow2AtLeast(ringCapacity(bars));
  let ring = new Float64Array(cap);
  let times = ms > 0 ? new Float64Array(cap) : null;
  let mask = cap - 1;
  const sums = new Float64Array(3);
  let head = 0;
  let size = 0;
  let seen = 0;
  let firstTime = NaN;
  let ready = false;
  let shift = 0;
  let sum = 0;
  let xmean = 0;
  let m2 = 0;
  let noise = 0;
  let since = 0;
  for (let i = 0; i < length; ) {
    let value: number;
    if (returns) {
      const prev = i > 0 ? input[i - 1]! : NaN;
      if (!(prev > 0)) {
        if (out !== null) out[i] = i > 0 ? out[i - 1]! : NaN;
        if (std !== null) std[i] = i > 0 ? std[i - 1]! : NaN;
        if (upper !== null) upper[i] = i > 0 ? upper[i - 1]! : NaN;
        if (lower !== null) lower[i] = i > 0 ? lower[i - 1]! : NaN;
        i++;
        continue;
      }
      value = input[i]! / prev - 1;
    } else {
      value = input[i]!;
    }
    const t = time !== null ? time[i]! : 0;
    if (size === 0) shift = value;
    const x = value - shift;
    if (size > mask) {
      // Ring.grow: the same entries in the same order, from slot 0 of twice the room.
      const c = 2 * (mask + 1);
      const r = new Float64Array(c);
      const ts = new Float64Array(c);
      for (let q = 0; q < size; q++) {
        r[q] = ring[(head + q) & mask]!;
        ts[q] = times![(head + q) & mask]!;
      }
      ring = r;
      times = ts;
      head = 0;
      mask = c - 1;
    }
    ring[(head + size) & mask] = x;
    if (times !== null) times[(head + size) & mask] = t;
    size++;
    sum += x;
    let d = x - xmean;
    xmean += d / size;
    let dm = d * (x - xmean);
    m2 += dm;
    noise += dm;
    // A bar window drops its oldest once full; a duration window every entry at or before t − ms.
    while (times !== null ? times[head]! <= t - ms : size > bars) {
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
    if ((++since >= size && since >= RECOMPUTE_MIN) || m2 < 1e-6 * noise) {
      recentre(ring, head, size, mask, sums);
      shift += sums[0]!;
      sum = sums[1]!;
      xmean = sum / size;
      m2 = Math.max(0, sums[2]! - sum * xmean);
      noise = 0;
      since = 0;
    }
    if (!ready) {
      // Warmup.observe
      if (seen++ === 0) firstTime = t;
      ready = ms > 0 ? t - firstTime >= ms : seen >= bars;
    }
    if (ready) {
      const mid = shift + sum / size;
      if (out !== null) out[i] = mid;
      if (spread) {
        // SumsIndicator's emit: StdDev's Math.sqrt(variance()), Bollinger's mid ± k·that.
        const sd = Math.sqrt(m2 > 0 ? m2 / size : 0);
        if (std !== null) std[i] = sd;
        const width = k * sd;
        if (upper !== null) upper[i] = mid + width;
        if (lower !== null) lower[i] = mid - width;
      }
    } else {
      if (out !== null) out[i] = NaN;
      if (std !== null) std[i] = NaN;
      if (upper !== null) upper[i] = NaN;
      if (lower !== null) lower[i] = NaN;
    }
    i++;
  }
}

/**
 * SlidingSums.recompute's exact sums: re-centres the ring's `size` values on their mean and writes
 * [that mean (the shift's increment), the new sum, the new sum of squares] to `into`.
 */
function recentre(ring: Float64Array, head: number, size: number, mask: number, into: Float64Array): void {
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
  into[0] = delta;
  into[1] = s;
  into[2] = q;
}

/**
 * RSI (RSI with two WilderAverage in rsi.ts): the changes' gains and losses summed until the window is ready,
 * their means as the seed, then Wilder smoothing with alpha = 1/N (bar window, `bars` > 0) or
 * min(1, Δt/D) per update (duration window, `ms` > 0). Ready after N + 1 observations, or once the first
 * observation is ≥ D old. Both averages are seeded on the same update and smoothed with the same alpha, so
 * one flag, one count and one alpha serve both. An observation after one at a NaN time is not a change, as
 * in the streaming RSI.
 */
export function rsiColumn(input: Float64Array, time: Float64Array, length: number, bars: number, ms: number, out: Float64Array, returns: boolean): void {
  rsiRange(input, time, bars, ms, returns, rsiState(), length, out, 0);
}

/** Slots of rsiRange's state. */
const R_NEXT = 0, R_SEEN = 1, R_FIRST_TIME = 2, R_READY = 3, R_PREV = 4, R_PREV_TIME = 5, R_GAIN_SUM = 6, R_LOSS_SUM = 7;
const R_COUNT = 8, R_SEEDED = 9, R_GAIN = 10, R_LOSS = 11, R_RSI = 12, R_LAST = 13;

/** A fresh state for rsiRange: nothing seen yet. */
export function rsiState(): Float64Array {
  const st = new Float64Array(14);
  st[R_FIRST_TIME] = NaN;
  st[R_PREV] = NaN;
  st[R_PREV_TIME] = NaN;
  st[R_GAIN] = NaN;
  st[R_LOSS] = NaN;
  st[R_RSI] = NaN;
  st[R_LAST] = NaN;
  return st;
}

/**
 * rsiColumn from bar `state[R_NEXT]` up to (not including) bar `to`, bar i written to out[i − base], its state
 * (rsiState) left as the next call continues from: consecutive ranges give one call's values bit for bit
 * (see barMeanRange). The last output is kept in the state, since a 'return' bar that feeds nothing repeats it.
 */
export function rsiRange(
  input: Float64Array, time: Float64Array, bars: number, ms: number, returns: boolean, state: Float64Array, to: number, out: Float64Array, base: number,
): void {
  const alpha = bars > 0 ? 1 / bars : NaN;
  const warmupBars = bars + 1;
  let seen = state[R_SEEN]!;
  let firstTime = state[R_FIRST_TIME]!;
  let ready = state[R_READY] === 1;
  let prev = state[R_PREV]!;
  let prevTime = state[R_PREV_TIME]!;
  let gainSum = state[R_GAIN_SUM]!;
  let lossSum = state[R_LOSS_SUM]!;
  let count = state[R_COUNT]!;
  let seeded = state[R_SEEDED] === 1;
  let gain = state[R_GAIN]!;
  let loss = state[R_LOSS]!;
  let rsi = state[R_RSI]!;
  let last = state[R_LAST]!;
  // int32, as in barMeanRange: a float bar index costs rsiSteady a conversion per read.
  let i = state[R_NEXT]! | 0;
  for (; i < to; i++) {
    if (seeded && ms === 0 && !returns && prevTime === prevTime) {
      // The common bar, in a loop of its own; it hands back the first bar it does not take.
      const st = RSI_STATE;
      st[0] = gain;
      st[1] = loss;
      st[2] = prev;
      st[3] = prevTime;
      st[4] = rsi;
      let end = i;
      do {
        end = Math.min(to, i + STEADY_CHUNK);
        i = rsiSteady(input, time, i, end, alpha, st, out, base);
      } while (i === end && i < to);
      gain = st[0]!;
      loss = st[1]!;
      prev = st[2]!;
      prevTime = st[3]!;
      rsi = st[4]!;
      last = rsi;
      if (i === to) break;
    }
    let value: number;
    if (returns) {
      const before = i > 0 ? input[i - 1]! : NaN;
      if (!(before > 0)) {
        out[i - base] = last;
        continue;
      }
      value = input[i]! / before - 1;
    } else {
      value = input[i]!;
    }
    const t = time[i]!;
    if (!ready) {
      // Warmup.observe
      if (seen++ === 0) firstTime = t;
      ready = ms > 0 ? t - firstTime >= ms : seen >= warmupBars;
    }
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
        const w = ms > 0 ? wilderAlpha(t - prevTime, ms) : alpha;
        gain += w * (g - gain);
        loss += w * (l - loss);
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
    prevTime = t;
    out[i - base] = rsi;
    last = rsi;
  }
  state[R_NEXT] = i;
  state[R_SEEN] = seen;
  state[R_FIRST_TIME] = firstTime;
  state[R_READY] = ready ? 1 : 0;
  state[R_PREV] = prev;
  state[R_PREV_TIME] = prevTime;
  state[R_GAIN_SUM] = gainSum;
  state[R_LOSS_SUM] = lossSum;
  state[R_COUNT] = count;
  state[R_SEEDED] = seeded ? 1 : 0;
  state[R_GAIN] = gain;
  state[R_LOSS] = loss;
  state[R_RSI] = rsi;
  state[R_LAST] = last;
}

/** rsiSteady's state in and out: gain, loss, prev, prevTime, rsi. */
/**
 * Bars per rsiSteady call. One call over a whole column ran its first column mostly before V8 had optimised
 * the loop (on-stack replacement comes late on a loop this short per bar: 90 MB of boxed numbers in W2's
 * first run) and its next columns on the OSR code: in calls of 65,536 bars the later calls enter the
 * function's optimised code. A fresh process, W2's 7 RSI(14) columns one after another: the first two
 * 15–17 and 9.4–9.6 ms whole, 9.3–11.8 and 4.7–4.8 ms in calls; 4.6–4.7 ms each once warm either way.
 */
const STEADY_CHUNK = 65_536;
const RSI_STATE = new Float64Array(5);

/**
 * rsiColumn's common bar, once both averages are seeded, for a bar window over prices with a known previous
 * time: the same operations, without the branches for the warm-up, a duration window, 'return' inputs, a NaN
 * time or a change too large for the branch-free gain and loss. It stops before the first bar that needs one
 * of those (the general loop takes that bar and comes back) and returns that bar's index, `length` when none.
 * Why a loop of its own: on a 982,800-bar column, warm, pinned to one vCPU, alternating processes, the
 * general loop took ~16 ms in 8 processes of 15, 3.5 ms in 5 and ~30 in 2 (its warm-up branches run before
 * V8 collects feedback, so the optimised code deoptimises on them); this loop took 6.3–7.1 ms in 6 of 10,
 * 3.0–3.1 in 3 and 12 in 1. A copy of the general loop with only the warm-up removed took 13 ms: any branch
 * left in the body cost 3–4× per bar.
 */
function rsiSteady(input: Float64Array, time: Float64Array, from: number, length: number, alpha: number, state: Float64Array, out: Float64Array, base: number): number {
  let gain = state[0]!;
  let loss = state[1]!;
  let prev = state[2]!;
  let i = from;
  for (; i < length; i++) {
    const value = input[i]!;
    const d = value - prev;
    const a = Math.abs(d);
    // Also false for a NaN change; the time test keeps a NaN time for the general loop.
    if (!(a < 8e307) || time[i] !== time[i]) break;
    gain += alpha * ((d + a) * 0.5 - gain);
    loss += alpha * ((a - d) * 0.5 - loss);
    const total = gain + loss;
    out[i - base] = total > 0 ? (100 * gain) / total : 50;
    prev = value;
  }
  if (i > from) {
    state[0] = gain;
    state[1] = loss;
    state[2] = prev;
    state[3] = time[i - 1]!;
    state[4] = out[i - 1 - base]!;
  }
  return i;
}

/**
 * EMA (ema.ts): raw += alpha (x − raw) with alpha = 2/(N+1) (bar window) or min(1, 2x/(1+x)), x = Δt/D,
 * per update (duration window), from the first observation (seed 'first') or, bar windows only, from the
 * mean of the first N (seed 'sma': SlidingSums' mean, taken from smaColumn, which is that mean bit for bit).
 * NaN until ready: N observations, or the first observation ≥ D old.
 */
export function emaColumn(input: Float64Array, time: Float64Array, length: number, bars: number, ms: number, seedSma: boolean, out: Float64Array, returns: boolean): void {
  const alpha = bars > 0 ? 2 / (bars + 1) : NaN;
  // The 'sma' seed (bar windows only): the window's mean at the N-th observation, over the first N fed.
  const firstN = seedSma ? new Float64Array(bars) : null;
  let seen = 0;
  let firstTime = NaN;
  let ready = false;
  let prevTime = NaN;
  let seeded = false;
  let raw = NaN;
  for (let i = 0; i < length; i++) {
    if (!feeds(input, i, returns)) {
      out[i] = i > 0 ? out[i - 1]! : NaN;
      continue;
    }
    const value = valueAt(input, i, returns);
    const t = time[i]!;
    if (!ready) {
      // Warmup.observe
      if (seen++ === 0) firstTime = t;
      ready = ms > 0 ? t - firstTime >= ms : seen >= bars;
    }
    if (seeded) {
      raw += (ms > 0 ? emaAlpha(t - prevTime, ms) : alpha) * (value - raw);
    } else if (firstN === null) {
      raw = value;
      seeded = true;
    } else {
      firstN[seen - 1] = value;
      if (ready) {
        const means = new Float64Array(bars);
        smaColumn(firstN, bars, bars, means, false);
        raw = means[bars - 1]!;
        seeded = true;
      }
    }
    prevTime = t;
    out[i] = ready ? raw : NaN;
  }
}
