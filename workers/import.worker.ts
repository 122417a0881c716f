/** Data worker: CSV import, the OPFS/IndexedDB bar store and loads into shared columns (src/data/browser/service.ts). */
import { expose } from 'comlink';
import { createDataService } from '../src/data/browser/service.ts';
import { startHelper } from '../src/data/prefault.ts';

// Its helper thread takes the fresh pages of the shared columns a load fills (src/data/prefault.ts).
const prefault = startHelper(() => new Worker(new URL('./prefault.worker.ts', import.meta.url), { type: 'module', name: 'prefault' }));
expose(createDataService(prefault ? { prefault } : {}));
