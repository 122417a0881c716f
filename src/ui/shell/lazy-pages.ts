import { lazy } from 'react';

/**
 * Pages loaded on demand, so the first load carries only the Strategy and Results pages (issue #16: first
 * load ≤ 200 KB of gzip JS). A new page that is not needed on first visit joins this list the same way and
 * renders inside the App's <Suspense>.
 */
export const OptimizePage = lazy(() => import('../optimize/OptimizePage.tsx').then((m) => ({ default: m.OptimizePage })));
export const DataPage = lazy(() => import('../data/DataPage.tsx').then((m) => ({ default: m.DataPage })));
export const SettingsPage = lazy(() => import('../settings/SettingsPage.tsx'));
/** The "Describe in words" panel of the Strategy page (src/ui/llm): its code loads after the page shows. */
export const LlmPanel = lazy(() => import('../llm/LlmPanel.tsx'));
/** The Live page (#/live): deployments to practice, paper and live trading run in their own worker. */
export const LivePage = lazy(() => import('../live/LivePage.tsx'));
/** The in-app docs (#/docs/statistics): docs/STATISTICS.md rendered from the markdown bundled in its chunk. */
export const DocsPage = lazy(() => import('../docs/DocsPage.tsx'));
