import type { MarketData } from '../engine/index.ts';
import type { Stats, StrategyDocument } from '../schema/index.ts';
import type { ParamValues } from '../strategy/index.ts';
import { invalidStats, tryCompile, type EvaluatorFactory } from './evaluator.ts';

/**
 * What the optimizer needs of an engine pool (src/rpc's EnginePool, in the browser or on worker_threads):
 * a batch of runs, results in input order. Structural, so this layer does not import the pool.
 */
export interface BatchRunner {
  runBatch(
    reqs: readonly { doc: StrategyDocument; data: MarketData; params?: ParamValues; audit?: boolean }[],
    ev?: { signal?: AbortSignal },
  ): Promise<readonly { stats: Stats }[]>;
}

/**
 * Evaluates on a pool. Candidates are compiled here first (microseconds each): one the compiler rejects
 * scores NaN without reaching the pool, because a failed task would cancel the rest of its batch.
 */
export function poolEvaluator(pool: BatchRunner, signal?: AbortSignal): EvaluatorFactory {
  return (scope) => async (candidates) => {
    const out: Stats[] = new Array<Stats>(candidates.length);
    const valid: number[] = [];
    candidates.forEach((params, i) => {
      if (tryCompile(scope.doc, params)) valid.push(i);
      else out[i] = invalidStats();
    });
    const results = await pool.runBatch(valid.map((i) => ({ doc: scope.doc, data: scope.data, params: candidates[i], audit: false })), { signal });
    valid.forEach((i, k) => {
      out[i] = results[k]!.stats;
    });
    return out;
  };
}
