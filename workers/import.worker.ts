/** Data worker: CSV import, the OPFS/IndexedDB bar store and loads into shared columns (src/data/browser/service.ts). */
import { expose } from 'comlink';
import { createDataService } from '../src/data/browser/service.ts';

expose(createDataService());
