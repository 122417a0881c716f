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
import { pow2AtLeast } from './window.ts';

/**
 * SMA over a bar window (SMA → SumsIndicator → SlidingSums in window.ts). Kept: the shift, the running sum,
 * Welford's mean and m2 and the `noise` measure, because the early recompute fires on m2 < 1e-6·noise and a
 * recompute re-centres the stored values and the shift; the periodic recompute; the ring's order. Left out:
 * the weighted sum (read only by WMA: no SMA value, shift or recompute trigger depends on it) and the times
 * (a bar window never reads them).
 *
 * Speed: Welford's mean is a chain of two dependent divisions per bar, which bounds a bar-by-bar loop at
 * ~13 ns whatever else it drops. But the mean and m2 reach the output only through the early trigger, and a
 * recompute resets them, so once the window is full the kernel goes a block of LANES segments (a segment =
 * the P = max(N, 64) updates between periodic recomputes) at a time:
 * - pass A runs the block with the periodic recomputes only, producing the outputs, the ring and the
 *   values each segment's mean and m2 start from (the recompute sets them), and keeps each bar's added
 *   and removed value;
 * - pass B replays the mean, m2 and noise of the LANES segments side by side (independent chains, so the
 *   divisions overlap) with the same operations, and checks the early trigger on every bar where it could
 *   fire first;
 * - if it would have fired, the block is run again bar by bar from a snapshot taken before pass A, exactly
 *   as the streaming class does, and blocks resume after the next recompute.
 * So the result is the bar-by-bar one in every case, and a block costs about half as much.
 */
export function smaColumn(input: Float64Array, length: number, bars: number, out: Float64Array, returns: boolean): void {
  sumsColumns(input, null, length, bars, 0, returns, { mean: out });
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
 * SMA, StdDev and Bollinger: SlidingSums' mean and variance, as smaColumn describes, over a bar window
 * (`bars` > 0) or a duration window (`ms` > 0, with `time`; the ring then keeps times and grows by doubling,
 * and the caller makes sure no time t has t − ms ≥ t, where the streaming class would read an emptied ring).
 * Blocks apply to a bar window's mean alone; a standard deviation reads m2 at every bar and a duration
 * window removes a varying count, so those go bar by bar (still without the weighted sum).
 */
export function sumsColumns(input: Float64Array, time: Float64Array | null, length: number, bars: number, ms: number, returns: boolean, outs: SumsOutputs): void {
  const out = outs.mean ?? null;
  const std = outs.std ?? null;
  const upper = outs.upper ?? null;
  const lower = outs.lower ?? null;
  const k = outs.k ?? 2;
  const spread = std !== null || upper !== null || lower !== null;
  // Ring's capacities: N + 1 for a bar window (never grows), 64 and doubling for a duration window.
  const cap = pow2AtLeast(bars > 0 ? bars + 1 : 64);
  let ring = new Float64Array(cap);
  let times = ms > 0 ? new Float64Array(cap) : null;
  let mask = cap - 1;
  const period = Math.max(bars, 64);
  const block = LANES * period;
  // Blocks need a full window, and 'return' inputs skip bars, which the lanes do not model: bar by bar.
  const blocks = bars > 0 && out !== null && !spread && !returns && length >= block;
  const added = new Float64Array(blocks ? block : 0);
  const removed = new Float64Array(blocks ? block : 0);
  const snapshot = new Float64Array(blocks ? cap : 0);
  const starts = new Float64Array(2 * LANES);
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
  let exactUntil = 0;
  for (let i = 0; i < length; ) {
    if (blocks && out !== null && since === 0 && size === bars && i >= exactUntil && i + block <= length) {
      snapshot.set(ring);
      const head0 = head;
      const shift0 = shift;
      const sum0 = sum;
      starts[0] = xmean;
      starts[LANES] = m2;
      // Pass A: the block with periodic recomputes only (since === 0 and a full window: they fall at the end
      // of every `period` bars), segment by segment.
      for (let lane = 0, j = 0; lane < LANES; lane++) {
        for (const end = j + period; j < end; j++) {
          const x = input[i + j]! - shift;
          ring[(head + bars) & mask] = x;
          added[j] = x;
          sum += x;
          const y = ring[head]!;
          head = (head + 1) & mask;
          removed[j] = y;
          sum -= y;
          out[i + j] = shift + sum / bars;
        }
        recentre(ring, head, bars, mask, sums);
        shift += sums[0]!;
        sum = sums[1]!;
        xmean = sum / bars;
        m2 = Math.max(0, sums[2]! - sum * xmean);
        out[i + j - 1] = shift + sum / bars;
        if (lane + 1 < LANES) {
          starts[lane + 1] = xmean;
          starts[LANES + lane + 1] = m2;
        }
      }
      if (!earlyTrigger(added, removed, starts, bars, period, noise)) {
        smaBlocks.kept++;
        noise = 0;
        i += block;
        continue;
      }
      // The early recompute would have fired: back to the block's start, and bar by bar through it.
      smaBlocks.redone++;
      ring.set(snapshot);
      head = head0;
      shift = shift0;
      sum = sum0;
      xmean = starts[0]!;
      m2 = starts[LANES]!;
      exactUntil = i + block;
    }
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
    if ((++since >= size && since >= 64) || m2 < 1e-6 * noise) {
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

/** Blocks smaColumn kept from passes A and B, and blocks it ran again bar by bar (tests read them). */
export const smaBlocks = { kept: 0, redone: 0 };

/** Segments replayed side by side in a block: four chains of divisions in flight cover the divider's latency. */
const LANES = 4;

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
 * Pass B of smaColumn: the mean, m2 and noise of a block's LANES segments, each from the values its
 * recompute set (`starts`: means, then m2s; the first segment's noise is `noise0`, the others' 0), added
 * value then removed value per bar, with the streaming class's operations. True when m2 < 1e-6·noise on a
 * bar before a segment's last (where the periodic recompute fires anyway). A false alarm would only cost a
 * bar-by-bar rerun; a missed one would change results, so the check is the streaming class's own. The four
 * lanes are written out rather than looped over so that their state stays in registers and their chains
 * overlap (LANES is 4 for this reason).
 */
function earlyTrigger(added: Float64Array, removed: Float64Array, starts: Float64Array, bars: number, period: number, noise0: number): boolean {
  const full = bars + 1;
  let xa = starts[0]!, xb = starts[1]!, xc = starts[2]!, xd = starts[3]!;
  let ma = starts[4]!, mb = starts[5]!, mc = starts[6]!, md = starts[7]!;
  let na = noise0, nb = 0, nc = 0, nd = 0;
  for (let k = 0; k < period - 1; k++) {
    let x = added[k]!;
    let d = x - xa;
    xa += d / full;
    let dm = d * (x - xa);
    ma += dm;
    na += dm;
    x = removed[k]!;
    d = x - xa;
    xa -= d / bars;
    dm = d * (x - xa);
    ma -= dm;
    na += dm;

    x = added[period + k]!;
    d = x - xb;
    xb += d / full;
    dm = d * (x - xb);
    mb += dm;
    nb += dm;
    x = removed[period + k]!;
    d = x - xb;
    xb -= d / bars;
    dm = d * (x - xb);
    mb -= dm;
    nb += dm;

    x = added[2 * period + k]!;
    d = x - xc;
    xc += d / full;
    dm = d * (x - xc);
    mc += dm;
    nc += dm;
    x = removed[2 * period + k]!;
    d = x - xc;
    xc -= d / bars;
    dm = d * (x - xc);
    mc -= dm;
    nc += dm;

    x = added[3 * period + k]!;
    d = x - xd;
    xd += d / full;
    dm = d * (x - xd);
    md += dm;
    nd += dm;
    x = removed[3 * period + k]!;
    d = x - xd;
    xd -= d / bars;
    dm = d * (x - xd);
    md -= dm;
    nd += dm;

    if (ma < 1e-6 * na || mb < 1e-6 * nb || mc < 1e-6 * nc || md < 1e-6 * nd) return true;
  }
  return false;
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
  const alpha = bars > 0 ? 1 / bars : NaN;
  const warmupBars = bars + 1;
  let seen = 0;
  let firstTime = NaN;
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
    if (seeded && ms === 0 && !returns && prevTime === prevTime) {
      // The common bar, in a loop of its own; it hands back the first bar it does not take.
      const state = RSI_STATE;
      state[0] = gain;
      state[1] = loss;
      state[2] = prev;
      state[3] = prevTime;
      state[4] = rsi;
      i = rsiSteady(input, time, i, length, alpha, state, out);
      if (i === length) return;
      gain = state[0]!;
      loss = state[1]!;
      prev = state[2]!;
      prevTime = state[3]!;
      rsi = state[4]!;
    }
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
    out[i] = rsi;
  }
}

/** rsiSteady's state in and out: gain, loss, prev, prevTime, rsi. */
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
function rsiSteady(input: Float64Array, time: Float64Array, from: number, length: number, alpha: number, state: Float64Array, out: Float64Array): number {
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
    out[i] = total > 0 ? (100 * gain) / total : 50;
    prev = value;
  }
  if (i > from) {
    state[0] = gain;
    state[1] = loss;
    state[2] = prev;
    state[3] = time[i - 1]!;
    state[4] = out[i - 1]!;
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
