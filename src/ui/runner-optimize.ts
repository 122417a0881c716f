import { proxy, wrap } from 'comlink';
import type { MarketData } from '../engine/market.ts';
import type { JobProgress, OptimizeJob, OptimizeJobResult, OptimizeWorkerApi, RemoteEvaluate } from '../optimize/job.ts';
import { abortError, type EnginePool } from '../rpc/pool.ts';
import type { StrategyDocument } from '../schema/index.ts';
import type { Runner } from './runner.ts';

export interface OptimizeRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

/** A runner that can also optimize (the pool runner); the Optimize page needs one. */
export interface Optimizer {
  optimize(doc: StrategyDocument, job: OptimizeJob, opts?: OptimizeRunOptions): Promise<OptimizeJobResult>;
}

export function optimizerOf(runner: Runner | null): (Runner & Optimizer) | null {
  return runner && typeof (runner as Partial<Optimizer>).optimize === 'function' ? (runner as Runner & Optimizer) : null;
}

/** Starts the optimizer worker (its own module: the search bookkeeping, not the engine). */
export type SpawnOptimizer = () => Worker;
const spawnOptimizer: SpawnOptimizer = () =>
  new Worker(new URL('../../workers/optimize.worker.ts', import.meta.url), { type: 'module', name: 'optimizer' });

/**
 * Runs a job: the search in a fresh optimizer worker (the UI layer may not run src/optimize itself), its
 * candidates on `pool` in chunks. Cancel terminates that worker and aborts the pool batches in flight.
 */
export async function optimizeOnPool(
  pool: EnginePool, data: MarketData, doc: StrategyDocument, job: OptimizeJob, opts: OptimizeRunOptions = {}, spawn = spawnOptimizer,
): Promise<OptimizeJobResult> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError();
  const worker = spawn();
  // Walk-forward windows arrive once each (their bars sliced in the worker); later calls name the scope only.
  const scopes = new Map<string, MarketData>();
  const evaluate: RemoteEvaluate = (scope, d, slice, params) => {
    if (slice) scopes.set(scope, slice);
    return pool.evaluateBatch(d, scopes.get(scope) ?? data, params, { signal });
  };
  let onAbort = () => {};
  try {
    const api = wrap<OptimizeWorkerApi>(worker);
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError('optimization cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([api.run(doc, data, job, proxy(evaluate), onProgress && proxy(onProgress)), aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
    for (const d of scopes.values()) void pool.release(d);
  }
}
