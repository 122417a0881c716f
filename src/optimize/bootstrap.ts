import { upperBound } from '../lib/search.ts';
import { Rng } from '../lib/rng.ts';
import type { Curves, Trade } from '../schema/index.ts';

export const PERCENTILES = [5, 25, 50, 75, 95] as const;

export interface Distribution {
  /** value at each requested percentile, in the order of `percentiles` (ascending ⇒ non-decreasing). */
  percentiles: { p: number; value: number }[];
  mean: number;
}

export interface BootstrapResult {
  samples: number;
  trades: number;
  /** Compounded return of a resampled trade sequence, in percent. */
  totalReturnPct: Distribution;
  /** Deepest peak-to-trough fall within a resampled sequence, in percent, ≤ 0 (as in Stats). */
  maxDrawdownPct: Distribution;
}

export interface BootstrapOptions {
  samples?: number;
  seed?: number;
  percentiles?: readonly number[];
}

/**
 * Each trade's effect on the account: pnl ÷ equity when it was opened (as-of the sampled curve), in
 * percent. Unlike a trade's own return this accounts for position size, so compounding these reproduces
 * the account for strategies that are not all-in.
 */
export function tradeReturns(trades: readonly Trade[], curves: Curves): number[] {
  return trades.map((t) => {
    const lo = upperBound(curves.time, t.entryTime);
    // The trade opened at or after the last sample before it; before the first sample equity is the initial one.
    const equity = lo > 0 ? curves.equity[lo - 1]! : (curves.equity[0] ?? NaN);
    return equity > 0 ? (t.pnl / equity) * 100 : t.returnPct;
  });
}

/**
 * Monte Carlo bootstrap of the trade sequence: `samples` sequences of as many trades, drawn with
 * replacement (seeded), each compounded into a total return and a max drawdown. Shows how much of the
 * backtest's figure is the luck of the order and mix of its trades.
 */
export function bootstrap(returnsPct: readonly number[], opts: BootstrapOptions = {}): BootstrapResult {
  const samples = Math.max(1, Math.round(opts.samples ?? 1000));
  const ps = opts.percentiles ?? PERCENTILES;
  const n = returnsPct.length;
  const totals = new Float64Array(samples), drawdowns = new Float64Array(samples);
  if (n === 0) {
    totals.fill(NaN);
    drawdowns.fill(NaN);
  } else {
    const rng = new Rng(opts.seed ?? 1);
    for (let s = 0; s < samples; s++) {
      let equity = 1, peak = 1, worst = 0;
      for (let i = 0; i < n; i++) {
        equity *= 1 + returnsPct[Math.floor(rng.next() * n)]! / 100;
        if (equity > peak) peak = equity;
        const dd = equity / peak - 1;
        if (dd < worst) worst = dd;
      }
      totals[s] = (equity - 1) * 100;
      drawdowns[s] = worst * 100;
    }
  }
  return { samples, trades: n, totalReturnPct: distribution(totals, ps), maxDrawdownPct: distribution(drawdowns, ps) };
}

/** Percentiles by linear interpolation between order statistics (numpy's default). */
export function distribution(xs: Float64Array, ps: readonly number[]): Distribution {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  const at = (p: number): number => {
    if (n === 0 || Number.isNaN(sorted[0]!)) return NaN;
    const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  const mean = n === 0 ? NaN : sorted.reduce((s, x) => s + x, 0) / n;
  return { percentiles: ps.map((p) => ({ p, value: at(p) })), mean };
}
