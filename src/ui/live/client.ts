import { proxy, wrap, type Remote } from 'comlink';
import type { LiveApi } from '../../live/browser/service.ts';

/** The live worker as the Live page uses it; tests may pass their own. */
export type LiveClient = Remote<LiveApi>;

let worker: Worker | null = null;
let api: LiveClient | null = null;
const changes = new EventTarget();

/**
 * One live worker per tab, started the first time the Live page opens: it keeps running deployments while the
 * user visits other pages. It tells the page (through `onLiveChange`) after each tick.
 */
export function liveClient(): LiveClient {
  if (!api) {
    worker = new Worker(new URL('../../../workers/live.worker.ts', import.meta.url), { type: 'module', name: 'live' });
    api = wrap<LiveApi>(worker);
    void api.watch(proxy((id: string) => { changes.dispatchEvent(new CustomEvent('change', { detail: id })); }));
  }
  return api;
}

export function onLiveChange(f: (id: string) => void): () => void {
  const h = (e: Event) => f((e as CustomEvent<string>).detail);
  changes.addEventListener('change', h);
  return () => changes.removeEventListener('change', h);
}

/** Stops the tab's live worker, as closing the tab does (tests use it to simulate a reload). */
export function stopLiveWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}
