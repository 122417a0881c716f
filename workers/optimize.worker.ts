/**
 * Optimizer worker (browser): runs a search's bookkeeping (ranking, genetic operators, walk-forward slicing)
 * off the page's thread, while the candidates themselves run on the page's engine pool through `evaluate`.
 * Wiring only; the logic is src/optimize/job.ts.
 */
import { expose } from 'comlink';
import { runOptimizeJob, type OptimizeWorkerApi } from '../src/optimize/job.ts';

const api: OptimizeWorkerApi = {
  run: (doc, data, job, evaluate, onProgress) => runOptimizeJob(doc, data, job, evaluate, onProgress),
};
expose(api);
