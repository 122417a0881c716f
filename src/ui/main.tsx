import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createDataClient } from './data/worker-client.ts';
import { embeddedData } from './embedded-data.ts';
import { whenIdle } from './idle.ts';
import { createBrowserRunner } from './runner-browser.ts';
import { UpdatePrompt } from './shell/UpdatePrompt.tsx';
import { registerServiceWorker } from './sw/register.ts';
import { servesSameEntry, watchForUpdates, type UpdateSignal } from './sw/updates.ts';

/** The data worker: catalog, imports, and bars for share-link fingerprints. */
const data = createDataClient().client;

/** The engine pool reads bars through the one data worker (it owns the OPFS handles); SPX is stored on first use. */
const embedded = embeddedData(data);
const runner = createBrowserRunner({ data: embedded.source });
// Engine workers start while the page is idle, not inside the first backtest (see EnginePool.warm).
whenIdle(() => void runner.warm().catch((e: unknown) => console.warn('engine workers did not start:', e)), 1000);

// Offline shell and header-less cross-origin isolation; never in the dev server, where it would cache stale modules.
let updates: UpdateSignal | undefined;
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  updates = watchForUpdates(navigator.serviceWorker, () => servesSameEntry(import.meta.url, import.meta.env.BASE_URL));
  void registerServiceWorker().catch((e: unknown) => console.warn('service worker not registered:', e));
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <UpdatePrompt updates={updates} />
    <App runner={runner} data={data} autoRun ensureData={embedded.ready} />
  </StrictMode>,
);
