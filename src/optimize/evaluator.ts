import { IndicatorCache, runBacktest, type MarketData } from '../engine/index.ts';
import type { Stats, StrategyDocument } from '../schema/index.ts';
import { compile, type ParamValues, type Plan } from '../strategy/index.ts';

/**
 * The data a batch of candidates runs on. Walk-forward makes one scope per in-sample window; `id` names
 * it so that a pool can keep one IndicatorCache per scope and worker (a cache belongs to one data set).
 */
export interface EvaluationScope {
  readonly id: string;
  readonly doc: StrategyDocument;
  readonly data: MarketData;
}

/**
 * Runs candidates and returns their statistics in candidate order. Implementations may evaluate them in
 * any order or in parallel: the searches never depend on evaluation order.
 */
export type Evaluator = (candidates: readonly ParamValues[]) => Promise<Stats[]>;

/** Makes the evaluator of one scope: in-process by default; a worker pool in the CLI or the browser. */
export type EvaluatorFactory = (scope: EvaluationScope) => Evaluator;

/** Statistics of a candidate the compiler rejects (e.g. a window of 0 bars): NaN everywhere, so it ranks last. */
export function invalidStats(): Stats {
  return {
    startTime: NaN, endTime: NaN, durationDays: NaN, initialEquity: NaN, finalEquity: NaN, peakEquity: NaN,
    totalReturnPct: NaN, buyHoldReturnPct: NaN, buyHoldWholeReturnPct: NaN, periodsPerYear: NaN, returnPeriods: 0,
    annualReturnPct: NaN, annualVolatilityPct: NaN, cagrPct: NaN,
    sharpe: NaN, sortino: NaN, calmar: NaN, maxDrawdownPct: NaN, avgDrawdownPct: NaN, maxDrawdownDays: NaN,
    avgDrawdownDays: NaN, exposurePct: NaN, tradeCount: 0, winRatePct: NaN, bestTradePct: NaN, worstTradePct: NaN,
    avgTradePct: NaN, maxTradeDays: NaN, avgTradeDays: NaN, expectancyPct: NaN, profitFactor: NaN, sqn: NaN,
    kelly: NaN, feesPaid: NaN, turnover: NaN, alphaPct: NaN, beta: NaN,
  };
}

/**
 * One scope's synchronous runner: the unit a worker hosts. Every run of the scope shares one
 * IndicatorCache, so an indicator column (kind, window, asset) is computed once for all candidates.
 * A candidate the compiler rejects (a window of 0 or 2.5 bars) scores NaN; a run failure (no data, no bars
 * in range) concerns every candidate alike and is thrown. optimize() compiles the document's defaults
 * first, so a broken document fails loudly instead of as a search where everything scores NaN.
 */
export function scopeRunner(scope: EvaluationScope, cache = new IndicatorCache()): (params: ParamValues) => Stats {
  return (params) => {
    const plan = tryCompile(scope.doc, params);
    if (!plan) return invalidStats();
    return runBacktest(scope.doc, scope.data, { plan, audit: false, record: 'stats', trades: false, indicatorCache: cache }).stats;
  };
}

/** The plan of a candidate, or null when the compiler rejects its values. */
export function tryCompile(doc: StrategyDocument, params: ParamValues): Plan | null {
  try {
    return compile(doc, { params });
  } catch {
    return null;
  }
}

/** The default evaluator: this thread, in candidate order, checking `signal` between runs. */
export function inProcess(signal?: AbortSignal): EvaluatorFactory {
  return (scope) => {
    const run = scopeRunner(scope);
    return async (candidates) => candidates.map((p) => {
      signal?.throwIfAborted();
      return run(p);
    });
  };
}
