/**
 * The step part of the run statistics (stats.ts turns its state into Stats): equity, exposure and the
 * benchmark folded step by step in time order, with the definitions docs/STATISTICS.md gives in prose.
 * Drawdown periods, day-end returns and the co-moment behind beta are accumulators closed the moment a
 * period or a day ends, so a run of ~1 M steps keeps no per-day array (see stats.ts's header for the budget).
 */
import {
  BLOCK, BLOCK_SHIFT, blockExtremes, dayEndLogs, dayStarts, isWeekend, lowerBound, weekendStarts, wideGaps, type BlockExtremes, type DayEndLogs, type WideGaps,
} from './series-index.ts';
import { DAY_MS } from '../lib/civil.ts';

/** x / y, NaN when y is 0 (backtesting.py's `x / (y or np.nan)`): a ratio over nothing is undefined, not ∞. */
export function ratio(x: number, y: number): number {
  return y === 0 ? NaN : x / y;
}

export interface BuyHold {
  /** Buy-and-hold return (fraction) from the first valid price at or after the first tradable bar to the last. */
  buyHold: number;
  /** The same from the first valid price of the run. */
  buyHoldWhole: number;
}

/**
 * Day-to-day returns folded as they close: Σ log(1 + r) for the geometric mean, a Welford mean/M2 for the
 * sample variance, and Σ min(r, 0)² for Sortino's downside deviation.
 */
class DailyReturns {
  n = 0;
  /** Days (returns' end days, plus the first day) falling on a Saturday or Sunday, and all days. */
  weekendDays = 0;
  days = 0;
  sumLog1p = 0;
  anyRuin = false;
  sumDown2 = 0;
  // Read and written in place by SeriesStats' daily-bar loop.
  mean = 0;
  m2 = 0;

  /** r = q − 1 and lq = ln q of the day's equity ratio q (ln(1 + r) as pandas/numpy take it). */
  add(r: number, lq: number): void {
    this.n++;
    if (1 + r > 0) this.sumLog1p += lq;
    else this.anyRuin = true;
    if (r < 0) this.sumDown2 += r * r;
    const d = r - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (r - this.mean);
  }

  /** Sample variance (ddof 1), as pandas' Series.var. */
  variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : NaN;
  }
}

/** Closed drawdown periods: how many, and the sum/max of their depths and durations. */
class DrawdownPeriods {
  count = 0;
  depthSum = 0;
  daysSum = 0;
  daysMax = 0;

  close(depth: number, days: number): void {
    this.count++;
    this.depthSum += depth;
    this.daysSum += days;
    if (days > this.daysMax) this.daysMax = days;
  }
}

/**
 * Beta's co-moment over daily log returns: x = ln(E_d / E_{d−1}) of day-end equity, y = ln(B_d / B_{d−1}) of
 * the day-end benchmark price, folded as each day closes, over the days whose benchmark is valid at both
 * ends and whose equity has a log return. Plain sums of values shifted by the first pair rather than a
 * Welford update (no division per day): log returns already sit near 0 and the shift removes what remains
 * of their mean, so cov = (Σxy − ΣxΣy/n) / (n − 1) does not cancel.
 */
class DailyBeta {
  // Read and written in place by SeriesStats' daily-bar loop (a call of close per day cost 12 µs of a W1 fold's 155).
  m = 0;
  kx = 0;
  ky = 0;
  sx = 0;
  sy = 0;
  sxy = 0;
  syy = 0;
  /** Benchmark at the previous day's end; NaN when it was not valid there (or before the first day end). */
  prevB = NaN;

  /**
   * A day closed: equity's log return over it is x = ln(E_d / E_{d−1}) (NaN before the first day end, or not
   * finite when an equity is not positive), the benchmark stands at b. `cachedB0`/`cachedY`: a precomputed
   * ln(b / cachedB0) for this day end (series-index dayEndLogs), used when cachedB0 is this pair's previous
   * price (NaN: none).
   */
  close(x: number, b: number, cachedB0: number, cachedY: number): void {
    if (!(b > 0 && b < Infinity)) {
      this.prevB = NaN;
      return;
    }
    const b0 = this.prevB;
    this.prevB = b;
    if (b0 !== b0) return;
    // A non-positive equity has no log return; such days are left out rather than poisoning beta.
    if (!(Math.abs(x) < Infinity)) return;
    const y = cachedB0 === b0 ? cachedY : Math.log(b / b0);
    if (this.m === 0) {
      this.kx = x;
      this.ky = y;
    }
    this.m++;
    const dx = x - this.kx, dy = y - this.ky;
    this.sx += dx;
    this.sy += dy;
    this.sxy += dx * dy;
    this.syy += dy * dy;
  }

  /** cov/var with the same ddof on both, so the n − 1 cancels; two pairs at least, as np.cov needs. */
  beta(): number {
    const m = this.m;
    return m > 1 ? ratio(this.sxy - (this.sx * this.sy) / m, this.syy - (this.sy * this.sy) / m) : NaN;
  }
}

/**
 * Equity-curve part of the statistics, folded step by step in time order: from a run's recorder arrays in
 * one call (computeStats), or chunk by chunk while a run goes (the compiled walk's stats-only runs, which
 * then keep no per-step history). Either way every step goes through the same `add` loop in the same order,
 * so the two give the same numbers bit for bit (test/unit/engine/series-stats.test.ts).
 */
export class SeriesStats {
  /** Steps folded so far. */
  count = 0;
  /** Gaps between consecutive steps by class: < 5.5 days, weekly, monthly, yearly (see stats.ts periodsPerYearOf). */
  readonly gaps = new Int32Array(4);
  firstTime = NaN;
  lastTime = NaN;
  lastEquity = NaN;
  // Drawdown: dd = 1 − equity / running peak (backtesting.py). A period starts at the last step where
  // dd = 0 (the peak) and ends at the first step where equity is back at or above that peak, or at the last
  // step when it never recovers; its duration runs from peak to recovery/end, its depth is its largest dd.
  peak = NaN;
  private peakTime = NaN;
  private inDd = false;
  private depth = 0;
  maxDd = 0;
  readonly dd = new DrawdownPeriods();
  // Daily returns r_k = E_k / E_{k−1} − 1 between consecutive calendar days' last equities. The first day
  // has no previous day-end, so it yields no return (pandas' pct_change NaN, dropped).
  readonly daily = new DailyReturns();
  private day = NaN;
  private prevDayEnd = NaN;
  private prevBench = NaN;
  private readonly betaAcc: DailyBeta | null;
  // The data set's indexes foldHeld last read, and its cursors into them.
  private ixTime: Float64Array | null = null;
  private ixWide: WideGaps | null = null;
  private ixWideAt = 0;
  private ixClose: Float64Array | null = null;
  private ixExt: BlockExtremes | null = null;
  private ixDays: Float64Array | null = null;
  private ixStarts: Int32Array | null = null;
  private ixWeekends: Int32Array | null = null;
  private ixBench: Float64Array | null = null;
  private ixLogsStarts: Int32Array | null = null;
  private ixLogs: DayEndLogs | null = null;
  private ixStartAt = 0;
  /** The step after the last held fold, while nothing else has been folded since (else −1). */
  private ixNext = -1;
  exposedSteps = 0;
  /** Sum of day-end equities (one per day, the last step's equity of each): turnover's mean capital. */
  daySum = 0;
  // Buy & hold's three prices: the first valid benchmark price, the first valid one at or after the first
  // tradable bar, the last valid one.
  private benchFirst = NaN;
  private benchTradable = NaN;
  private benchLast = NaN;

  /**
   * `benchmark`: false when the run has no benchmark column at all (beta and buy & hold NaN).
   * `tradableFrom`: time of the first bar the strategy could trade (buy & hold starts there).
   */
  constructor(benchmark: boolean, private readonly tradableFrom: number, private readonly dayKey: (time: number) => number) {
    this.betaAcc = benchmark ? new DailyBeta() : null;
  }

  /**
   * Folds entries [0, length) of these step arrays, in order, after every step folded before. `days`: the
   * entries' day keys when the caller has them (entry i's at days[dayAt + i]: a walk's chunk reads the data
   * set's day column in place), else dayKey(time). `bench` null reads as NaN at every step.
   */
  add(time: Float64Array, equity: Float64Array, exposed: Uint8Array, bench: Float64Array | null, days: Float64Array | undefined, length: number, dayAt = 0): void {
    this.fold(time, equity, false, 0, 0, exposed, 0, bench, days, 0, length, dayAt);
  }

  /**
   * Folds steps [from, to) of timeline columns where nothing acts: the equity of step i is
   * cash + qty × close[i] (the walk's quiet-stretch sum for one held asset with a bar at every step),
   * `exposed` holds at every step, and `days` must be given.
   */
  addMarked(time: Float64Array, close: Float64Array, cash: number, qty: number, exposed: number, bench: Float64Array | null, days: Float64Array, from: number, to: number): void {
    if (to <= from) return;
    if (this.count === 0) {
      // The run's first step opens the state (peak, day): the per-step loop does that.
      this.fold(time, close, true, cash, qty, null, exposed, bench, days, from, from + 1);
      if (++from === to) return;
    }
    this.foldHeld(time, close, cash, qty, exposed, bench, days, from, to);
  }

  /**
   * addMarked after the first step, without visiting every step: gaps wider than daily and day starts come
   * from the data set's indexes (series-index.ts), the day closes are visited one by one, and the drawdown
   * reads each whole BLOCK-step block's extreme closes. Equity cash + qty × close is monotone in the close
   * (rounding is monotone), so a block whose best equity stays below the running peak sets no peak, and its
   * deepest drawdown is the one at its worst equity: exactly what the per-step loop finds there. Blocks that
   * may reach the peak (or hold a NaN, or follow a non-positive peak) go step by step.
   */
  private foldHeld(time: Float64Array, close: Float64Array, cash: number, qty: number, exposedAll: number, bench: Float64Array | null, days: Float64Array, from: number, to: number): void {
    const periods = this.dd, gaps = this.gaps;
    let peak = this.peak, peakTime = this.peakTime, inDd = this.inDd, depth = this.depth, maxDd = this.maxDd;
    let day = this.day;
    if (this.ixTime !== time) {
      this.ixTime = time;
      this.ixWide = wideGaps(time, WEEKLY_GAP);
      this.ixWideAt = 0;
      this.ixNext = -1;
    }
    if (this.ixDays !== days) {
      this.ixDays = days;
      this.ixStarts = dayStarts(days);
      this.ixWeekends = weekendStarts(days, this.ixStarts);
      this.ixStartAt = 0;
      this.ixNext = -1;
    }
    if (this.ixClose !== close) {
      this.ixClose = close;
      this.ixExt = blockExtremes(close);
    }
    // Right after the previous held fold (nothing folded between), the indexes say whether `from` starts a
    // day or follows a wide gap, and the step before it need not be read (on W3 those scattered reads, one
    // day key and one time per call, were half of this function's time).
    const contiguous = from === this.ixNext;
    const first = contiguous ? from : from + 1;
    let wider = 0;
    if (!contiguous) {
      const g0 = time[from]! - this.lastTime;
      if (!(g0 < WEEKLY_GAP)) {
        gaps[gapClass(g0)]!++;
        wider++;
      }
    }
    const wide = this.ixWide!, ws = wide.steps;
    // Folding goes forward in time, so the indexes are read through cursors (a search when one goes back).
    let w = this.ixWideAt;
    if (w > 0 && ws[w - 1]! >= first) w = lowerBound(ws, first);
    while (w < ws.length && ws[w]! < first) w++;
    for (; w < ws.length && ws[w]! < to; w++) {
      gaps[gapClass(wide.gap[w]!)]!++;
      wider++;
    }
    this.ixWideAt = w;
    gaps[0] = gaps[0]! + (to - from - wider);
    this.count += to - from;
    this.exposedSteps += exposedAll * (to - from);
    const ext = this.ixExt!, up = qty > 0;
    const hiCol = up ? ext.max : ext.min, loCol = up ? ext.min : ext.max;
    const starts = this.ixStarts!;
    // With the day-end logs of this fold's benchmark in ixLogs, day starts pass their entry there (else −1).
    const logs = bench !== null && this.betaAcc !== null ? this.benchLogs(bench, starts) : null;
    let next = this.ixStartAt;
    if (next > 0 && starts[next - 1]! >= first) next = lowerBound(starts, first);
    while (next < starts.length && starts[next]! < first) next++;
    if (contiguous) {
      if (next < starts.length && starts[next] === from) {
        day = days[from]!;
        this.dayStart(day, this.lastEquity, this.prevBench, logs === null ? -1 : next);
        next++;
      }
    } else if (days[from] !== day) {
      day = days[from]!;
      this.dayStart(day, this.lastEquity, this.prevBench, -1);
    }
    const nStarts = starts.length;
    for (let a = from; ;) {
      if (next < nStarts && starts[next] === a + 1 && a + 1 < to) {
        // Daily bars: a run of days of one step each, folded in one loop with dayStart's and dayEnd's state
        // in locals (through the general loop and those calls, a W1 sweep candidate took 0.276 ms instead of
        // 0.235, pinned to one vCPU). The operations and their order are those of the general loop below and
        // of dayStart, dayEnd, DailyReturns.add and DailyBeta.close, so the numbers are the same bit for bit.
        const daily = this.daily, beta = this.betaAcc, withBeta = beta !== null;
        let dn = daily.n, mean = daily.mean, m2 = daily.m2, sumLog1p = daily.sumLog1p, anyRuin = daily.anyRuin, sumDown2 = daily.sumDown2;
        let prevDayEnd = this.prevDayEnd, daySum = this.daySum;
        const firstStart = next;
        // DailyBeta.close's state, in the same order of operations.
        let bm = 0, kx = 0, ky = 0, sx = 0, sy = 0, sxy = 0, syy = 0, prevB = NaN;
        if (withBeta) {
          bm = beta.m;
          kx = beta.kx;
          ky = beta.ky;
          sx = beta.sx;
          sy = beta.sy;
          sxy = beta.sxy;
          syy = beta.syy;
          prevB = beta.prevB;
        }
        let i = a;
        // The day's ratio q goes to a scratch column and its logarithm is taken in a second loop below, so this
        // loop's dozen running values need not live across a Math.log call every day (2–3 % of a W1 candidate,
        // alternating with the single loop). Each sum still adds the same terms in the same order.
        const cap = Math.min(to - a, nStarts - next);
        if (dayRatios.length < cap) dayRatios = new Float64Array(Math.max(cap, 2 * dayRatios.length));
        const qs = dayRatios;
        let d = 0;
        do {
          const e = cash + qty * close[i]!;
          if (e >= peak) {
            if (inDd) {
              periods.close(depth, (time[i]! - peakTime) / DAY_MS);
              inDd = false;
              depth = 0;
            }
            peak = e;
            peakTime = time[i]!;
          } else {
            const dd = 1 - e / peak;
            inDd = true;
            if (dd > depth) depth = dd;
            if (dd > maxDd) maxDd = dd;
          }
          // Step i + 1 starts a day (its count is taken after the loop): step i, equity e, ended the one before.
          // NaN before the first day end: its log is NaN, as is that of a NaN ratio, and 1 + r > 0 fails for both.
          let q = NaN;
          if (prevDayEnd === prevDayEnd) {
            q = e / prevDayEnd;
            const r = q - 1;
            dn++;
            if (!(1 + r > 0)) anyRuin = true;
            if (r < 0) sumDown2 += r * r;
            const dm = r - mean;
            mean += dm / dn;
            m2 += dm * (r - mean);
          }
          qs[d++] = q;
          daySum += e;
          prevDayEnd = e;
          i++;
          next++;
        } while (next < nStarts && starts[next] === i + 1 && i + 1 < to);
        // The logarithms: Σ ln(1 + r) and beta's pairs, day by day in the same order as the loop above.
        for (let k = 0, at = a, nx = firstStart; k < d; k++, at++, nx++) {
          const q = qs[k]!;
          const lq = q === 1 ? 0 : Math.log(q);
          if (1 + (q - 1) > 0) sumLog1p += lq;
          if (withBeta) {
            const b = bench === null ? NaN : bench[at]!;
            if (!(b > 0 && b < Infinity)) prevB = NaN;
            else {
              const b0 = prevB;
              prevB = b;
              if (b0 === b0 && Math.abs(lq) < Infinity) {
                const y = logs !== null && logs.end[nx] === b && logs.prev[nx] === b0 ? logs.y[nx]! : Math.log(b / b0);
                if (bm === 0) {
                  kx = lq;
                  ky = y;
                }
                bm++;
                const dx = lq - kx, dy = y - ky;
                sx += dx;
                sy += dy;
                sxy += dx * dy;
                syy += dy * dy;
              }
            }
          }
        }
        daily.n = dn;
        daily.mean = mean;
        daily.m2 = m2;
        daily.sumLog1p = sumLog1p;
        daily.anyRuin = anyRuin;
        daily.sumDown2 = sumDown2;
        day = days[i]!;
        daily.days += next - firstStart;
        daily.weekendDays += this.ixWeekends![next]! - this.ixWeekends![firstStart]!;
        this.prevDayEnd = prevDayEnd;
        this.daySum = daySum;
        if (withBeta) {
          beta.m = bm;
          beta.kx = kx;
          beta.ky = ky;
          beta.sx = sx;
          beta.sy = sy;
          beta.sxy = sxy;
          beta.syy = syy;
          beta.prevB = prevB;
        }
        a = i;
        continue;
      }
      // Steps [a, b) lie in one day.
      const b = next < nStarts && starts[next]! < to ? starts[next++]! : to;
      for (let i = a; i < b;) {
        if (peak > 0) {
          const blk = i >> BLOCK_SHIFT;
          if (cash + qty * hiCol[blk]! < peak) {
            const dd = 1 - (cash + qty * loCol[blk]!) / peak;
            if ((i & (BLOCK - 1)) === 0 && i + BLOCK <= b) {
              inDd = true;
              if (dd > depth) depth = dd;
              if (dd > maxDd) maxDd = dd;
              i += BLOCK;
              continue;
            }
            // Part of a block: its steps are a subset, so none sets a peak and none is deeper than the
            // block's deepest; when that is no deeper than this period's depth (≤ the max), they change
            // nothing but inDd.
            if (dd <= depth) {
              inDd = true;
              i = Math.min(b, (i | (BLOCK - 1)) + 1);
              continue;
            }
          }
        }
        const end = Math.min(b, (i | (BLOCK - 1)) + 1);
        for (; i < end; i++) {
          const e = cash + qty * close[i]!;
          if (e >= peak) {
            if (inDd) {
              periods.close(depth, (time[i]! - peakTime) / DAY_MS);
              inDd = false;
              depth = 0;
            }
            peak = e;
            peakTime = time[i]!;
          } else {
            const dd = 1 - e / peak;
            inDd = true;
            if (dd > depth) depth = dd;
            if (dd > maxDd) maxDd = dd;
          }
        }
      }
      if (b === to) break;
      // b starts a day: step b − 1 ended the one before.
      day = days[b]!;
      // next − 1 is b's entry in starts when b came from there (b < to).
      this.dayStart(day, cash + qty * close[b - 1]!, bench === null ? NaN : bench[b - 1]!, logs === null ? -1 : next - 1);
      a = b;
    }
    this.ixStartAt = next;
    this.ixNext = to;
    this.peak = peak;
    this.peakTime = peakTime;
    this.inDd = inDd;
    this.depth = depth;
    this.maxDd = maxDd;
    this.day = day;
    this.prevBench = bench === null ? NaN : bench[to - 1]!;
    this.lastTime = time[to - 1]!;
    this.lastEquity = cash + qty * close[to - 1]!;
    if (bench !== null) this.benchPrices(time, bench, from, to);
  }

  /** The benchmark column's day-end logs at these day starts (series-index.ts), kept for the next fold. */
  private benchLogs(bench: Float64Array, starts: Int32Array): DayEndLogs {
    if (this.ixBench !== bench || this.ixLogsStarts !== starts || this.ixLogs === null) {
      this.ixBench = bench;
      this.ixLogsStarts = starts;
      this.ixLogs = dayEndLogs(bench, starts);
    }
    return this.ixLogs;
  }

  /**
   * The one per-step loop behind add and addMarked, over entries [from, to). The state lives in locals for
   * the loop (fields would cost a load and a store per step).
   */
  private fold(
    time: Float64Array, equity: Float64Array, marked: boolean, cash: number, qty: number, exposed: Uint8Array | null, exposedAll: number,
    bench: Float64Array | null, days: Float64Array | undefined, from: number, to: number, dayAt = 0,
  ): void {
    if (to <= from) return;
    const dayKey = this.dayKey, periods = this.dd, daily = this.daily, gaps = this.gaps;
    let peak = this.peak, peakTime = this.peakTime, inDd = this.inDd, depth = this.depth, maxDd = this.maxDd;
    let day = this.day, prevBench = this.prevBench, prevTime = this.lastTime, prevEquity = this.lastEquity;
    let exposedSteps = this.exposedSteps;
    // Day ends read the benchmark's day-end log where foldHeld left one for this day column (a day start's
    // entry there holds ln(b / b0) of its own two prices, which dayEnd checks, so any entry it finds is exact).
    const starts = days !== undefined && days === this.ixDays && this.ixLogs !== null ? this.ixStarts : null;
    // Steps go forward, so the day starts are read through a cursor, searched for once per fold.
    let sj = starts !== null ? lowerBound(starts, dayAt + from) : 0;
    let i = from, wider = 0;
    if (this.count === 0) {
      // The first step opens the first day and the running peak (a NaN first equity opens a drawdown, as
      // `e >= peak` is then false at every step).
      const t = time[i]!, e = marked ? cash + qty * equity[i]! : equity[i]!;
      exposedSteps += exposed === null ? exposedAll : exposed[i]!;
      peak = e;
      peakTime = t;
      if (!(e >= peak)) inDd = true;
      day = days ? days[dayAt + i]! : dayKey(t);
      daily.days = 1;
      daily.weekendDays = isWeekend(day) ? 1 : 0;
      prevTime = t;
      prevEquity = e;
      i++;
    }
    for (; i < to; i++) {
      const t = time[i]!, e = marked ? cash + qty * equity[i]! : equity[i]!;
      exposedSteps += exposed === null ? exposedAll : exposed[i]!;
      if (e >= peak) {
        if (inDd) {
          periods.close(depth, (t - peakTime) / DAY_MS);
          inDd = false;
          depth = 0;
        }
        peak = e;
        peakTime = t;
      } else {
        const dd = 1 - e / peak;
        inDd = true;
        if (dd > depth) depth = dd;
        if (dd > maxDd) maxDd = dd;
      }
      // Nearly every gap is of the first class: only the others are counted here (a counter in memory
      // incremented every step was a third of the loop), the first class from the total below.
      const gap = t - prevTime;
      if (!(gap < WEEKLY_GAP)) {
        gaps[gapClass(gap)]!++;
        wider++;
      }
      const k = days ? days[dayAt + i]! : dayKey(t);
      if (k !== day) {
        day = k;
        let j = -1;
        if (starts !== null) {
          while (sj < starts.length && starts[sj]! < dayAt + i) sj++;
          if (starts[sj] === dayAt + i) j = sj;
        }
        // The previous step's benchmark price, read here rather than carried through every step: a per-step
        // `bench === null ? NaN : bench[i]` boxed each price once V8 had compiled the loop without ever taking
        // the NaN side (a heap number a step, 16 MB in W2's run).
        this.dayStart(k, prevEquity, i > from ? (bench === null ? NaN : bench[i - 1]!) : prevBench, j);
      }
      prevTime = t;
      prevEquity = e;
    }
    prevBench = bench === null ? NaN : bench[to - 1]!;
    // Gaps folded here: one per step, less the run's first step, which has no gap before it.
    gaps[0] = gaps[0]! + (to - from - (this.count === 0 ? 1 : 0) - wider);
    this.count += to - from;
    this.peak = peak;
    this.peakTime = peakTime;
    this.inDd = inDd;
    this.depth = depth;
    this.maxDd = maxDd;
    this.day = day;
    this.prevBench = prevBench;
    this.lastTime = prevTime;
    this.lastEquity = prevEquity;
    this.exposedSteps = exposedSteps;
    if (bench !== null) this.benchPrices(time, bench, from, to);
    if (this.firstTime !== this.firstTime) this.firstTime = time[from]!;
  }

  /**
   * Buy & hold's prices among these entries: the first valid ones are looked for only until found, the last
   * valid one from the end back (kept out of the per-step loop, which they would slow by a third).
   */
  private benchPrices(time: Float64Array, bench: Float64Array, from: number, to: number): void {
    const tradable = this.tradableFrom;
    for (let i = from; i < to && this.benchTradable !== this.benchTradable; i++) {
      const b = bench[i]!;
      if (!(b > 0 && b < Infinity)) continue;
      if (this.benchFirst !== this.benchFirst) this.benchFirst = b;
      if (time[i]! >= tradable) this.benchTradable = b;
    }
    for (let i = to - 1; i >= from; i--) {
      const b = bench[i]!;
      if (b > 0 && b < Infinity) {
        this.benchLast = b;
        break;
      }
    }
  }

  /**
   * Day `k` starts: the day before it ended with this equity and benchmark price (a day's last step), which
   * give the daily return, beta's pair and turnover's day-end mark.
   */
  private dayStart(k: number, endEquity: number, endBench: number, j: number): void {
    const daily = this.daily;
    daily.days++;
    if (isWeekend(k)) daily.weekendDays++;
    this.dayEnd(endEquity, endBench, j);
  }

  /**
   * A day ended with this equity and benchmark price: its return r = q − 1, q = E_d / E_{d−1}, and ln q, one
   * logarithm for both the geometric mean (Σ ln(1 + r)) and beta's x (flat days' q = 1 skip it: ln 1 = 0).
   */
  private dayEnd(endEquity: number, endBench: number, j: number): void {
    const e0 = this.prevDayEnd;
    let lq = NaN;
    if (e0 === e0) {
      const q = endEquity / e0;
      lq = q === 1 ? 0 : Math.log(q);
      this.daily.add(q - 1, lq);
    }
    const beta = this.betaAcc;
    if (beta !== null) {
      // j: this day start's entry in ixLogs (set by foldHeld for this fold), whose log stands when its day end
      // is this price (the accumulator checks the day before's).
      const logs = this.ixLogs, hit = j >= 0 && logs!.end[j] === endBench;
      beta.close(lq, endBench, hit ? logs!.prev[j]! : NaN, hit ? logs!.y[j]! : NaN);
    }
    this.daySum += endEquity;
    this.prevDayEnd = endEquity;
  }

  /**
   * The last step closes the last day and any unrecovered drawdown (call once, after the last add).
   * ≠ backtesting.py: its period finder drops an unrecovered drawdown that begins on the very last bar (a
   * one-bar gap); we count it, so a non-zero max drawdown always has at least one period.
   */
  close(): void {
    if (this.count === 0) return;
    this.dayEnd(this.lastEquity, this.prevBench, -1);
    if (this.inDd) this.dd.close(this.depth, (this.lastTime - this.peakTime) / DAY_MS);
  }

  /** NaN without a benchmark. */
  get beta(): number {
    return this.betaAcc ? this.betaAcc.beta() : NaN;
  }

  get buyHold(): BuyHold {
    if (this.betaAcc === null || this.benchFirst !== this.benchFirst) return { buyHold: NaN, buyHoldWhole: NaN };
    return { buyHold: this.benchLast / this.benchTradable - 1, buyHoldWhole: this.benchLast / this.benchFirst - 1 };
  }
}

/** Gap class bounds: weekly bars are ~7 days apart, monthly 28–31, yearly 365–366. */
const WEEKLY_GAP = 5.5 * DAY_MS;
const MONTHLY_GAP = 25 * DAY_MS;
const YEARLY_GAP = 300 * DAY_MS;

/** Class of a gap of at least WEEKLY_GAP (or NaN): weekly 1, monthly 2, yearly 3. */
function gapClass(gap: number): number {
  return gap < MONTHLY_GAP ? 1 : gap < YEARLY_GAP ? 2 : 3;
}

/** foldHeld's scratch of day ratios, kept for the next fold on this thread (a W1 run holds 3,780). */
let dayRatios = new Float64Array(1024);
