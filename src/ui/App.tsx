import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import type { DataClient } from './data/client.ts';
import { useValidation } from './doc/useValidation.ts';
import { useBacktest } from './hooks/useBacktest.ts';
import { useDefaultDocument } from './hooks/useDefaultDocument.ts';
import { useDocumentHistory } from './hooks/useDocumentHistory.ts';
import { loadDraft, useDraftStorage } from './hooks/useDraftStorage.ts';
import { useHashRoute } from './hooks/useHashRoute.ts';
import { useRunHistory } from './history/useRunHistory.ts';
import { ResultsPage } from './results/ResultsPage.tsx';
import type { Runner } from './runner.ts';
import { optimizerOf } from './runner-optimize.ts';
import { Header } from './shell/Header.tsx';
import { PageBoundary } from './shell/PageBoundary.tsx';
import { DataPage, LlmPanel, OptimizePage, SettingsPage } from './shell/lazy-pages.ts';
import { StatusLine } from './shell/StatusLine.tsx';
import { ShareBanner } from './share/ShareBanner.tsx';
import { ShareButton } from './share/ShareButton.tsx';
import { useShareLink } from './share/useShareLink.ts';
import { StrategyPage } from './strategy/StrategyPage.tsx';
import './styles.css';

export interface AppProps {
  /** Executes backtests (the worker pool). Null: the app edits and validates but cannot run. */
  runner?: Runner | null;
  /** The data worker (catalog, import, bars for link fingerprints). Null: no data store in this build. */
  data?: DataClient | null;
  /** Tests pass their own client to isolate caches. */
  queryClient?: QueryClient;
}

export function App({ runner = null, data = null, queryClient }: AppProps) {
  const [client] = useState(
    () => queryClient ?? new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <Shell runner={runner} data={data} />
    </QueryClientProvider>
  );
}

const PAGE_NAMES: Record<string, string> = { strategy: 'Strategy', results: 'Results', data: 'Data', optimize: 'Optimize', settings: 'Settings' };

function Shell({ runner, data }: { runner: Runner | null; data: DataClient | null }) {
  const [page, go] = useHashRoute();
  const [initial] = useState(loadDraft);
  const history = useDocumentHistory(initial);
  const templates = useDefaultDocument(history.doc, history.set);
  useDraftStorage(history.doc);
  const validation = useValidation(history.doc);
  const runs = useRunHistory();
  const backtest = useBacktest(runner, (result, doc) => {
    runs.save(doc, result);
    go('results');
  });
  const link = useShareLink(history.set, data);

  return (
    <div className="app">
      <Header page={page} />
      <main className="page">
        <ShareBanner state={link.state} onDismiss={link.dismiss} />
        <PageBoundary key={page} page={PAGE_NAMES[page] ?? page}>
          {page === 'strategy' &&
            (history.doc && validation ? (
              <StrategyPage
                history={history}
                doc={history.doc}
                validation={validation}
                share={<ShareButton doc={validation.doc} data={data} />}
                assistant={<Suspense fallback={null}><LlmPanel doc={history.doc} onAccept={(d) => history.set(d)} data={data} /></Suspense>}
                run={{
                  canRun: runner !== null,
                  running: backtest.running,
                  progress: backtest.progress,
                  error: backtest.error,
                  onRun: backtest.run,
                  onCancel: backtest.cancel,
                }}
              />
            ) : templates.error ? (
              <p role="alert" className="field-error">The default template could not be loaded: {templates.error.message}</p>
            ) : (
              <p role="status" className="muted">Loading the default strategy…</p>
            ))}
          {page === 'results' && (
            <ResultsPage runner={runner} result={backtest.result} doc={backtest.resultDoc} history={runs}
              actions={<ShareButton doc={backtest.resultDoc} data={data} />} />
          )}
          <Suspense fallback={<p role="status" className="muted">Loading the page…</p>}>
            {page === 'data' && <DataPage doc={validation?.doc ?? null} data={data} />}
            {page === 'optimize' && (
              <OptimizePage doc={validation?.doc ?? null} draft={history.doc} optimizer={optimizerOf(runner)} onApply={(d) => history.set(d)} />
            )}
            {page === 'settings' && <SettingsPage />}
          </Suspense>
        </PageBoundary>
      </main>
      <StatusLine engine={runner !== null} />
    </div>
  );
}
