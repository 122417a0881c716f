import type { MarketData } from '../engine/index.ts';
import type { StrategyDocument } from '../schema/index.ts';
import { inProcess, type EvaluatorFactory } from './evaluator.ts';
import type { Progress } from './ledger.ts';
import { search, type SearchOptions, type SearchResult } from './search.ts';
import { walkForward, type WalkForwardResult } from './walk-forward.ts';
import type { WindowSizes } from './windows.ts';

export interface OptimizeOptions extends SearchOptions {
  /** Optimize in-sample and test out-of-sample window by window instead of once over all the data. */
  walkForward?: WindowSizes;
}

export interface OptimizeResult extends SearchResult {
  /**
   * With walk-forward: the windows, their choices and the stitched out-of-sample run. `best` and `top` are
   * then the last window's (the parameters to trade from the end of the data on); `evaluations` count
   * every window's.
   */
  walkForward?: WalkForwardResult;
}

export type OptimizeProgress = Progress & { window?: number; windows?: number };

/**
 * The optimization lab's entry point (CLI, Optimize page, tests). `evaluator` makes the evaluator of each
 * data set a search runs on: in-process by default, a worker pool when one is passed.
 */
export async function optimize(
  doc: StrategyDocument,
  data: MarketData,
  options: OptimizeOptions,
  evaluator?: EvaluatorFactory,
  onProgress?: (p: OptimizeProgress) => void,
  signal?: AbortSignal,
): Promise<OptimizeResult> {
  const factory = evaluator ?? inProcess(signal);
  if (!options.walkForward) return search({ id: 'all', doc, data }, options, factory, onProgress, signal);
  const wf = await walkForward(doc, data, options.walkForward, options, factory, onProgress, signal);
  return {
    ...wf.latest,
    evaluations: wf.evaluations,
    elapsedMs: wf.elapsedMs,
    evaluationsPerSecond: wf.elapsedMs > 0 ? (wf.evaluations / wf.elapsedMs) * 1000 : NaN,
    walkForward: wf,
  };
}
