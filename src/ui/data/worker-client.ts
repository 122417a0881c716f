import { wrap } from 'comlink';
import type { DataClient } from './client.ts';

/**
 * Starts the data worker and returns its Comlink proxy. Vite bundles the worker from this URL; the main
 * thread only imports comlink and the type. The store opens lazily on the first call.
 */
export function createDataClient(): { client: DataClient; terminate: () => void } {
  const worker = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'data' });
  return { client: wrap(worker) as DataClient, terminate: () => worker.terminate() };
}
