import { computeStats, dayKeyOf } from '../engine/index.ts';
import type { Curves, RunResult, Settings, Stats, Trade } from '../schema/index.ts';

export interface Stitched {
  stats: Stats;
  curves: Curves;
  trades: Trade[];
}

/**
 * The out-of-sample runs chained into one account: every window starts with the initial cash, so window w
 * is rescaled by (equity at the end of window w−1) / initial cash, as if its money had carried over.
 * Trades' pnl, fees and quantities scale with it (their returns do not change). Statistics are computed
 * by the engine's own computeStats on the chained sampled curves: exact for daily data (sampled every
 * bar); for intraday data the hourly samples still hold every day's last equity, so daily returns are
 * exact and only intra-hour drawdown depth is lost. Exposure is the windows' exposures weighted by samples.
 */
export function stitch(runs: readonly RunResult[], settings: Settings): Stitched {
  const cash = settings.initialCash;
  const total = runs.reduce((n, r) => n + r.curves.time.length, 0);
  const time = new Float64Array(total), equity = new Float64Array(total), benchmark = new Float64Array(total), drawdown = new Float64Array(total);
  const trades: Trade[] = [];
  let scale = 1, benchScale = 1, at = 0, fees = 0, notional = 0, exposure = 0, peak = -Infinity;
  for (const r of runs) {
    const c = r.curves;
    const n = c.time.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = c.equity[i]! * scale;
      time[at + i] = c.time[i]!;
      equity[at + i] = e;
      benchmark[at + i] = c.benchmark[i]! * benchScale;
      if (e > peak) peak = e;
      drawdown[at + i] = e / peak - 1;
      sum += c.equity[i]!;
    }
    fees += r.stats.feesPaid * scale;
    // turnover = traded notional ÷ mean equity, so the notional comes back from the window's own curve.
    if (n > 0 && Number.isFinite(r.stats.turnover)) notional += r.stats.turnover * (sum / n) * scale;
    if (Number.isFinite(r.stats.exposurePct)) exposure += r.stats.exposurePct * n;
    for (const t of r.trades) trades.push({ ...t, quantity: t.quantity * scale, pnl: t.pnl * scale, fees: t.fees * scale });
    at += n;
    if (n > 0) {
      scale *= c.equity[n - 1]! / cash;
      const lastBench = c.benchmark[n - 1]!;
      if (Number.isFinite(lastBench) && lastBench > 0) benchScale *= lastBench / cash;
    }
  }
  const stats = computeStats({
    time, equity, length: total, benchmark, exposed: new Uint8Array(total), trades, initialEquity: cash,
    feesPaid: fees, tradedNotional: notional, riskFreeRate: settings.riskFreeRate, dayKey: dayKeyOf(settings),
    periodsPerYear: settings.periodsPerYear,
  });
  if (total > 0) stats.exposurePct = exposure / total;
  return { stats, curves: { time, equity, drawdown, benchmark }, trades };
}
