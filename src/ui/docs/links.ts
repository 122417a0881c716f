/** Links into the in-app docs (src/ui/docs/DocsPage.tsx): #/docs/statistics/<statistic key>. */
export function statisticHref(key: string): string {
  return `#/docs/statistics/${key}`;
}

/** The statistic (or heading slug) a docs hash points at: "#/docs/statistics/sharpe" → "sharpe". */
export function docsAnchor(hash: string): string | null {
  const m = /^#\/?docs\/statistics\/([A-Za-z0-9_-]+)$/.exec(hash);
  return m ? m[1]! : null;
}
