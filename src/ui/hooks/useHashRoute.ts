import { useCallback, useSyncExternalStore } from 'react';

/** The pages the header links to. */
export const PAGES = ['strategy', 'results', 'data', 'optimize', 'live', 'settings'] as const;
/** Plus the in-app docs (#/docs/statistics/<key>), reached from the statistics' tooltips. */
export type Page = (typeof PAGES)[number] | 'docs';

function current(): Page {
  const name = window.location.hash.replace(/^#\/?/, '');
  if (/^docs(\/|$)/.test(name)) return 'docs';
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'strategy';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** Hash routing: pages are bookmarkable and the back button works, and a static host needs no rewrites. */
export function useHashRoute(): [Page, (page: Page) => void] {
  const page = useSyncExternalStore(subscribe, current, () => 'strategy' as Page);
  const go = useCallback((p: Page) => {
    window.location.hash = `/${p}`;
  }, []);
  return [page, go];
}
