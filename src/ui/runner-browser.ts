import { JobQueue } from '../rpc/job-queue.ts';
import { EnginePool } from '../rpc/pool.ts';
import { PoolRunner, type BarSource } from './runner-pool.ts';

export interface BrowserRunnerOptions {
  /** The app's data worker client (one per page: it owns the OPFS handles). */
  data: BarSource;
  /** Force the copy path (false) even on an isolated page; default: share when the page can. */
  share?: boolean;
  /** Engine workers; default defaultPoolSize(hardwareConcurrency) (src/rpc/pool.ts). */
  size?: number;
  /** IndexedDB database of the job queue (tests use their own). */
  jobsDb?: string;
}

/**
 * The page's Runner: engine workers started on demand by Vite's worker URL, jobs recorded in the
 * 'backtester-jobs' IndexedDB (opened on the first run, which is also when interrupted jobs of a
 * previous page are marked FAILED).
 */
export function createBrowserRunner(opts: BrowserRunnerOptions): PoolRunner {
  const pool = new EnginePool({
    spawn: () => new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }),
    share: opts.share,
    size: opts.size,
  });
  let queue: Promise<JobQueue> | undefined;
  return new PoolRunner(pool, () => (queue ??= JobQueue.open({ pool, dbName: opts.jobsDb })), opts.data);
}
