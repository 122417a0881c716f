import type { MarketData } from '../engine/index.ts';
import type { Stats, StrategyDocument } from '../schema/index.ts';
import type { ParamValues } from '../strategy/index.ts';
import { invalidStats, tryCompile, type EvaluatorFactory } from './evaluator.ts';

/**
 * What the optimizer needs of an engine pool (src/rpc's EnginePool, in the browser or on worker_threads):
 * candidates' statistics in input order, computed in chunks (one message per chunk, not per candidate).
 * Structural, so this layer does not import the pool.
 */
export interface BatchRunner {
  evaluateBatch(
    doc: StrategyDocument, data: MarketData, params: readonly ParamValues[],
    ev?: { signal?: AbortSignal },
  ): Promise<Stats[]>;
}

/**
 * Evaluates on a pool. Candidates are compiled here first (microseconds each): one the compiler rejects
 * scores NaN without reaching the pool, because a failed chunk would cancel the rest of its batch.
 */
export function poolEvaluator(pool: BatchRunner, signal?: AbortSignal): EvaluatorFactory {
  return (scope) => async (candidates) => {
    const out: Stats[] = new Array<Stats>(candidates.length);
    const valid: number[] = [];
    candidates.forEach((params, i) => {
      if (tryCompile(scope.doc, params)) valid.push(i);
      else out[i] = invalidStats();
    });
    const results = await pool.evaluateBatch(scope.doc, scope.data, valid.map((i) => candidates[i]!), { signal });
    valid.forEach((i, k) => {
      out[i] = results[k]!;
    });
    return out;
  };
}
