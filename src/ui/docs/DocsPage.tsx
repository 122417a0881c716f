import { useEffect, useMemo, useSyncExternalStore } from 'react';
import statistics from '../../../docs/STATISTICS.md?raw';
import { renderMarkdown } from './markdown.tsx';
import { docsAnchor } from './links.ts';

/** Anchor ids of the statistics doc: `stat-sharpe`, `stat-period-and-equity`. */
export const STAT_ANCHOR_PREFIX = 'stat-';

function onHash(change: () => void): () => void {
  window.addEventListener('hashchange', change);
  return () => window.removeEventListener('hashchange', change);
}

/**
 * docs/STATISTICS.md inside the app (#/docs/statistics[/key]): bundled as text in this lazily loaded chunk at
 * build time, so it works offline from a build and a link opens the formula, not a download.
 */
export default function DocsPage() {
  const content = useMemo(() => renderMarkdown(statistics, { anchorPrefix: STAT_ANCHOR_PREFIX }), []);
  // Another statistic's link while the docs are open changes only the hash: follow it.
  const anchor = useSyncExternalStore(onHash, () => docsAnchor(window.location.hash), () => null);
  useEffect(() => {
    if (!anchor) return;
    const el = document.getElementById(`${STAT_ANCHOR_PREFIX}${anchor}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.classList.add('target');
    return () => el.classList.remove('target');
  }, [anchor]);
  return (
    <article className="panel docs" aria-label="Statistics documentation">
      <p className="muted"><a href="#/results">← Back to the results</a></p>
      {content}
    </article>
  );
}
