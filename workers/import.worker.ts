/** Data worker: CSV import, the OPFS/IndexedDB bar store and loads into shared columns (src/data/browser/service.ts). */
import { expose } from 'comlink';
import { createDataService } from '../src/data/browser/service.ts';
import { helperPrefault, type HelperPrefault } from '../src/data/prefault.ts';

/**
 * A helper thread that takes the fresh pages of the shared columns a load fills (src/data/prefault.ts). Only
 * where memory is shared (the helper needs the same buffers) and a worker can start one; without it loads
 * take their pages themselves, as before.
 */
function startHelper(): HelperPrefault | undefined {
  if (typeof SharedArrayBuffer === 'undefined' || !crossOriginIsolated || typeof Worker === 'undefined') return undefined;
  try {
    return helperPrefault(new Worker(new URL('./prefault.worker.ts', import.meta.url), { type: 'module', name: 'prefault' }));
  } catch {
    return undefined;
  }
}

const prefault = startHelper();
expose(createDataService(prefault ? { prefault } : {}));
