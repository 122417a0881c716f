import type { MarketData } from '../engine/index.ts';
import type { Stats, StrategyDocument } from '../schema/index.ts';
import { invalidStats, tryCompile, type EvaluatorFactory } from './evaluator.ts';
import { heatmap, type HeatmapResult } from './heatmap.ts';
import { optimize, type OptimizeOptions, type OptimizeProgress, type OptimizeResult } from './optimize.ts';

/** What the Optimize page asks for: a search (or walk-forward) and optionally a heatmap around its winner. */
export interface OptimizeJob {
  options: OptimizeOptions;
  /** Two parameters to map the objective over, the others held at the winner's values. */
  heatmap?: { x: string; y: string; resolution?: number };
}

export interface OptimizeJobResult {
  result: OptimizeResult;
  heatmap: HeatmapResult | null;
}

/**
 * Where candidates run when the search itself runs elsewhere (the page's optimizer worker evaluates on the
 * page's engine pool). `data` is sent with a scope's first call only and is null when it is the job's own
 * data, so the pool keeps reusing the data set (and indicator columns) its workers already hold.
 */
export type RemoteEvaluate = (scope: string, doc: StrategyDocument, data: MarketData | null, params: Record<string, number>[]) => Promise<Stats[]>;

/** Evaluators that forward each scope's candidates to `evaluate`, compiling them here first (see poolEvaluator). */
export function remoteEvaluator(data: MarketData, evaluate: RemoteEvaluate): EvaluatorFactory {
  let scopes = 0;
  return (scope) => {
    // Scope ids repeat across jobs (e.g. 'all'); a per-job counter makes them unique to the host.
    const id = `${scope.id}#${++scopes}`;
    let sent = false;
    return async (candidates) => {
      const out: Stats[] = new Array<Stats>(candidates.length);
      const valid: number[] = [];
      candidates.forEach((p, i) => {
        if (tryCompile(scope.doc, p)) valid.push(i);
        else out[i] = invalidStats();
      });
      if (valid.length === 0) return out;
      const payload = sent || scope.data === data ? null : scope.data;
      sent = true;
      const stats = await evaluate(id, scope.doc, payload, valid.map((i) => ({ ...candidates[i]! })));
      valid.forEach((i, k) => { out[i] = stats[k]!; });
      return out;
    };
  };
}

export type JobProgress = OptimizeProgress & { stage: 'search' | 'heatmap' };

/** The Optimize page's job: optimize(), then the heatmap around the winner on the same evaluator. */
export async function runOptimizeJob(
  doc: StrategyDocument, data: MarketData, job: OptimizeJob, evaluate: RemoteEvaluate,
  onProgress?: (p: JobProgress) => void,
): Promise<OptimizeJobResult> {
  const factory = remoteEvaluator(data, evaluate);
  const result = await optimize(doc, data, job.options, factory, onProgress && ((p) => onProgress({ ...p, stage: 'search' })));
  let map: HeatmapResult | null = null;
  if (job.heatmap && result.best) {
    const { objective, constraints, batchSize } = job.options;
    map = await heatmap(doc, data, { ...job.heatmap, objective, constraints, batchSize, at: result.best.params }, factory,
      onProgress && ((p) => onProgress({ ...p, stage: 'heatmap' })));
  }
  return { result, heatmap: map };
}

/**
 * The optimizer worker's API (workers/optimize.worker.ts). The callbacks are Comlink proxies of the page's
 * functions: `evaluate` already returns a promise; progress calls are fire-and-forget.
 */
export interface OptimizeWorkerApi {
  run(doc: StrategyDocument, data: MarketData, job: OptimizeJob, evaluate: RemoteEvaluate, onProgress?: (p: JobProgress) => void): Promise<OptimizeJobResult>;
}
