import type { Endpoint } from 'comlink';
import type { WorkerService } from './transfer.ts';

export type { AssetOverlay, ColumnEntry, DataNeeds, EngineService, EngineTask, OverlayLine, ProgressSink } from '../engine/service.ts';
export type { Explanation } from '../engine/kernel.ts';

/**
 * A spawned engine worker as the pool sees it: a Comlink endpoint it can terminate. A browser `Worker`
 * is one as it is; a Node `worker_threads` Worker is adapted by src/cli/node-pool.ts.
 */
export type EngineEndpoint = Endpoint & { terminate(): unknown };

export type SpawnEngine = () => EngineEndpoint;

/** The API over the wire: the service, plus `runColumns` (results as transferred columns, see transfer.ts). */
export type EngineApi = WorkerService;
