/**
 * "A new version is available": public/sw.js installs a new build's worker, skips waiting and claims every
 * open tab, so a tab that was already controlled sees `controllerchange` when a deploy reaches it. The tab
 * keeps running the code it loaded (its hashed chunks stay cached, see sw.js KEEP_PREVIOUS); it only offers
 * a reload. The first claim of a never-controlled page is not an update (register.ts handles that one),
 * nor is a worker of the very build this tab runs (a tab loaded just as the deploy's worker took over).
 */
export interface UpdateSignal {
  /** True once a newer build has taken over this tab's service worker. */
  available(): boolean;
  subscribe(listener: () => void): () => void;
}

/** The part of navigator.serviceWorker this needs (a fake in tests). */
export type WorkerContainer = Pick<ServiceWorkerContainer, 'controller' | 'addEventListener'>;

export function watchForUpdates(container: WorkerContainer, sameBuild: () => Promise<boolean> = async () => false): UpdateSignal {
  let controlled = container.controller !== null;
  let available = false;
  const listeners = new Set<() => void>();
  container.addEventListener('controllerchange', () => {
    const was = controlled;
    controlled = true;
    if (!was || available) return;
    void sameBuild().catch(() => false).then((same) => {
      if (same || available) return;
      available = true;
      for (const l of listeners) l();
    });
  });
  return {
    available: () => available,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** How often an open tab asks the host for a new sw.js (a single-page app makes no navigations that would). */
export const UPDATE_CHECK_MS = 30 * 60_000;

/**
 * True when the page the host serves now (index.html, network first through sw.js) starts from this tab's
 * own entry chunk: its hashed name changes with the code, so then this tab already runs the deployed version.
 */
export async function servesSameEntry(entryUrl: string, indexUrl: string): Promise<boolean> {
  const entry = new URL(entryUrl).pathname.split('/').pop() ?? '';
  const res = await fetch(indexUrl, { cache: 'no-store' });
  if (!res.ok || !entry) return false;
  return (await res.text()).includes(`/${entry}"`);
}
