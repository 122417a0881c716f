import type { Remote } from 'comlink';
import type { DataService } from '../../data/browser/service.ts';

/**
 * The data worker as the UI sees it (workers/import.worker.ts exposes createDataService() over Comlink).
 * Only the type comes from src/data: the UI never runs data-layer code on the main thread.
 */
export type DataClient = Remote<DataService>;
