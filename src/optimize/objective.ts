import type { Stats } from '../schema/index.ts';

/** What a search maximises. Every metric is "higher is better". */
export const METRICS = {
  sharpe: (s: Stats) => s.sharpe,
  sortino: (s: Stats) => s.sortino,
  cagr: (s: Stats) => s.cagrPct,
  calmar: (s: Stats) => s.calmar,
  return: (s: Stats) => s.totalReturnPct,
} as const satisfies Record<string, (s: Stats) => number>;

export type MetricName = keyof typeof METRICS;

/** One metric, or a weighted sum of several (the user chooses the weights, so they also choose the scales). */
export type Objective = MetricName | { readonly weights: Readonly<Partial<Record<MetricName, number>>> };

/** A candidate violating any constraint ranks below every feasible one. */
export interface Constraints {
  /** At least this many round-trip trades: a Sharpe from 2 trades is luck, not an edge. */
  readonly minTrades?: number;
  /** Max drawdown no deeper than this many percent (25 ⇒ a −30 % drawdown is infeasible). */
  readonly maxDrawdownPct?: number;
}

export function isMetric(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/** The objective's value; NaN when any metric it needs is undefined (it then ranks last). */
export function score(stats: Stats, objective: Objective): number {
  if (typeof objective === 'string') return METRICS[objective](stats);
  let sum = 0;
  for (const [name, w] of Object.entries(objective.weights)) {
    if (w === undefined || w === 0) continue;
    if (!isMetric(name)) return NaN;
    sum += w * METRICS[name](stats);
  }
  return sum;
}

export function feasible(stats: Stats, c: Constraints): boolean {
  if (c.minTrades !== undefined && !(stats.tradeCount >= c.minTrades)) return false;
  // maxDrawdownPct is stored negative (−25 = 25 % below the peak); a NaN drawdown cannot prove feasibility.
  if (c.maxDrawdownPct !== undefined && !(Math.abs(stats.maxDrawdownPct) <= c.maxDrawdownPct)) return false;
  return true;
}

export function objectiveLabel(o: Objective): string {
  if (typeof o === 'string') return o;
  return Object.entries(o.weights).map(([k, w]) => `${w}×${k}`).join(' + ');
}
