import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createDataClient } from './data/worker-client.ts';
import type { Runner } from './runner.ts';
import { registerServiceWorker } from './sw/register.ts';

/**
 * The worker-pool Runner is constructed here when it exists (src/rpc + workers/); until then the app edits
 * and validates strategies and says that no engine is connected.
 */
const runner: Runner | null = null;

/** The data worker: catalog, imports, and bars for share-link fingerprints. */
const data = createDataClient().client;

// Offline shell and header-less cross-origin isolation; never in the dev server, where it would cache stale modules.
if (import.meta.env.PROD) void registerServiceWorker().catch((e: unknown) => console.warn('service worker not registered:', e));


const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App runner={runner} data={data} />
  </StrictMode>,
);
