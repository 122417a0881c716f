import { EnginePool, type PoolOptions } from '../../../src/rpc/pool.ts';

/** A pool of real module workers, as the app starts them. */
export function browserPool(opts: Omit<PoolOptions, 'spawn'> = {}): EnginePool {
  return new EnginePool({ ...opts, spawn: () => new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module' }) });
}
