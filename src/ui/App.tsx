import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DataClient } from './data/client.ts';
import { useCatalog } from './data/useCatalog.ts';
import { useValidation } from './doc/useValidation.ts';
import { useBacktest } from './hooks/useBacktest.ts';
import { usePrepareRun } from './hooks/usePrepareRun.ts';
import { useDefaultDocument } from './hooks/useDefaultDocument.ts';
import { useDocumentHistory } from './hooks/useDocumentHistory.ts';
import { useFirstRun } from './hooks/useFirstRun.ts';
import { useRunKeys } from './hooks/useRunKeys.ts';
import { loadDraft, useDraftStorage } from './hooks/useDraftStorage.ts';
import { useHashRoute } from './hooks/useHashRoute.ts';
import { useRunHistory } from './history/useRunHistory.ts';
import { ResultsPage } from './results/ResultsPage.tsx';
import type { Runner } from './runner.ts';
import type { StrategyDocument } from '../schema/index.ts';
import type { Draft } from './doc/draft.ts';
import type { StoredRun } from './history/run-store.ts';
import { optimizerOf } from './runner-optimize.ts';
import { Header } from './shell/Header.tsx';
import { PageBoundary } from './shell/PageBoundary.tsx';
import { DataPage, DocsPage, LivePage, LlmPanel, OptimizePage, SettingsPage } from './shell/lazy-pages.ts';
import { StatusLine } from './shell/StatusLine.tsx';
import { ShareBanner } from './share/ShareBanner.tsx';
import { ShareButton } from './share/ShareButton.tsx';
import { isShareHash } from './share/codec.ts';
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
  /** Run the default document by itself on a first visit (nothing saved, no link). The app sets it; tests opt in. */
  autoRun?: boolean;
  /** Stores the embedded sample data (once); a shared link's data check waits for it. */
  ensureData?: () => Promise<void>;
}

export function App({ runner = null, data = null, queryClient, autoRun = false, ensureData }: AppProps) {
  const [client] = useState(
    () => queryClient ?? new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <Shell runner={runner} data={data} autoRun={autoRun} ensureData={ensureData} />
    </QueryClientProvider>
  );
}

const PAGE_NAMES: Record<string, string> = { strategy: 'Strategy', results: 'Results', data: 'Data', optimize: 'Optimize', live: 'Live', settings: 'Settings', docs: 'Docs' };

interface ShellProps {
  runner: Runner | null;
  data: DataClient | null;
  autoRun: boolean;
  ensureData?: () => Promise<void>;
}

function Shell({ runner, data, autoRun, ensureData }: ShellProps) {
  const [page, go] = useHashRoute();
  const pageNow = useRef(page);
  // Counts page changes: the first-visit run opens Results only if the user has not moved meanwhile.
  const [firstPage] = useState(page);
  const moved = useRef(false);
  useEffect(() => {
    pageNow.current = page;
    if (page !== firstPage) moved.current = true;
  }, [page, firstPage]);
  const [initial] = useState(loadDraft);
  const [firstVisit] = useState(() => autoRun && initial === null && !isShareHash(window.location.hash));
  const history = useDocumentHistory(initial);
  const templates = useDefaultDocument(history.doc, history.set);
  useDraftStorage(history.doc);
  const validation = useValidation(history.doc);
  const runs = useRunHistory();
  const catalog = useCatalog(data, ensureData);
  const first = useRef<ReturnType<typeof useFirstRun> | null>(null);
  const userRan = useRef(false);
  const link = useShareLink(history.set, data, ensureData);
  const backtest = useBacktest(runner, (result, doc) => {
    runs.save(doc, result);
    link.recheck();
    // The first-visit run shows its result unless the user has meanwhile edited or gone elsewhere.
    // A first-visit run that ends after an edit is still not the user's: it must not pull them off the page
    // they are editing (it did, under load, in the e2e that imports minute bars and edits the universe).
    const auto = !userRan.current && (first.current?.isFirstRun(doc) ?? false);
    if (!auto || (first.current!.untouched() && pageNow.current === 'strategy' && !moved.current)) go('results');
  });
  const runDoc = runner ? backtest.run : null;
  // Runs the user asked for (button, Ctrl/Cmd+Enter, reopen) always show their result.
  const { run: runBacktest } = backtest;
  const runByUser = useCallback((doc: StrategyDocument) => {
    userRan.current = true;
    runBacktest(doc);
  }, [runBacktest]);
  first.current = useFirstRun(firstVisit, history.doc, validation?.doc ?? null, runDoc);
  const validDoc = validation?.doc ?? null;
  usePrepareRun(runner, validDoc);
  useRunKeys(useMemo(() => (runner && validDoc ? () => runByUser(validDoc) : null), [runner, validDoc, runByUser]));
  const { set: setDoc } = history;
  const reopen = useCallback((r: StoredRun) => {
    setDoc(r.doc as Draft, 'reopen');
    runByUser(r.doc);
  }, [setDoc, runByUser]);

  return (
    <div className="app">
      <Header page={page} />
      <main className="page">
        <ShareBanner state={link.state} onDismiss={link.dismiss} canUndo={history.canUndo} />
        <PageBoundary key={page} page={PAGE_NAMES[page] ?? page}>
          {page === 'strategy' &&
            (history.doc && validation ? (
              <StrategyPage
                history={history}
                doc={history.doc}
                validation={validation}
                share={<ShareButton doc={validation.doc} data={data} />}
                assistant={<Suspense fallback={null}><LlmPanel doc={history.doc} onAccept={(d) => history.set(d)} data={data} /></Suspense>}
                catalog={catalog.data}
                run={{
                  canRun: runner !== null,
                  running: backtest.running,
                  progress: backtest.progress,
                  error: backtest.error,
                  onRun: runByUser,
                  onCancel: backtest.cancel,
                }}
              />
            ) : templates.error ? (
              <p role="alert" className="field-error">The default template could not be loaded: {templates.error.message}</p>
            ) : (
              <p role="status" className="muted">Loading the default strategy…</p>
            ))}
          {page === 'results' && (
            <ResultsPage runner={runner} result={backtest.result} doc={backtest.resultDoc} history={runs} running={backtest.running} data={data}
              actions={<ShareButton doc={backtest.resultDoc} data={data} />} onReopen={reopen} />
          )}
          <Suspense fallback={<p role="status" className="muted">Loading the page…</p>}>
            {page === 'data' && <DataPage doc={validation?.doc ?? null} data={data} />}
            {page === 'optimize' && (
              <OptimizePage doc={validation?.doc ?? null} draft={history.doc} optimizer={optimizerOf(runner)} onApply={(d) => history.set(d)} />
            )}
            {page === 'live' && <LivePage doc={validation?.doc ?? null} />}
            {page === 'settings' && <SettingsPage />}
            {page === 'docs' && <DocsPage />}
          </Suspense>
        </PageBoundary>
      </main>
      <StatusLine engine={runner !== null} />
    </div>
  );
}
