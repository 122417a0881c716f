import { lazy, Suspense, type ComponentProps } from 'react';

/**
 * The charts load after the first page shows (issue #16 "Weight": uPlot and the chart code were ~40 KB of the
 * first load's gzip JS). Until they arrive, a box of the charts' own height holds their place, so nothing below
 * them moves when they appear.
 */
const LazyEquityCharts = lazy(() => import('./EquityCharts.tsx').then((m) => ({ default: m.EquityCharts })));
const LazyCompareRuns = lazy(() => import('../history/CompareRuns.tsx').then((m) => ({ default: m.CompareRuns })));

/** The equity and drawdown charts' place while their code loads (styles.css sizes it like the charts). */
export function ChartsPlaceholder({ kind }: { kind: 'equity' | 'compare' }) {
  return <div className={`charts charts-pending ${kind}`} role="status" aria-label="Loading charts" />;
}

export function EquityCharts(props: ComponentProps<typeof LazyEquityCharts>) {
  return <Suspense fallback={<ChartsPlaceholder kind="equity" />}><LazyEquityCharts {...props} /></Suspense>;
}

export function CompareRuns(props: ComponentProps<typeof LazyCompareRuns>) {
  return <Suspense fallback={<ChartsPlaceholder kind="compare" />}><LazyCompareRuns {...props} /></Suspense>;
}
