import { useCallback, useState, type ReactNode } from 'react';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import type { DataClient } from '../data/client.ts';
import { CompareRuns } from './lazy-charts.tsx';
import { RunHistoryPanel } from '../history/RunHistoryPanel.tsx';
import type { StoredRun } from '../history/run-store.ts';
import type { RunHistory } from '../history/useRunHistory.ts';
import type { Runner } from '../runner.ts';
import { MarketPanel } from './MarketPanel.tsx';
import { ResultsView } from './ResultsView.tsx';

export interface ResultsPageProps {
  runner: Runner | null;
  result: RunResult | null;
  doc: StrategyDocument | null;
  history: RunHistory;
  /** Actions shown above the current result (the share button). */
  actions?: ReactNode;
  /** Reopens a saved run: its document in the editor, and the run again (deterministic) for its full result. */
  onReopen?: (run: StoredRun) => void;
  /** A run is in progress (the first-visit run starts by itself). */
  running?: boolean;
  /** The data worker: stored series to plot under the price charts. */
  data?: DataClient | null;
}

/** The latest run in full, then the runs kept on this device and a side-by-side comparison of two of them. */
export function ResultsPage({ runner, result, doc, history, actions, onReopen, running = false, data = null }: ResultsPageProps) {
  const [picked, setPicked] = useState<string[]>([]);
  // A third tick replaces the older of the two, so the comparison always shows the latest two choices.
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const chosen = picked.map((id) => history.runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  // Signals from the engine pool carry no trace: the audit asks the runner to re-evaluate the bar.
  const explainBar = useCallback((time: number, signal?: AbortSignal) => runner!.explain!(doc!, time, signal), [runner, doc]);
  const canExplain = runner?.explain !== undefined && doc !== null;
  return (
    <>
      {result ? (
        <>
          {actions && <div className="results-actions">{actions}</div>}
          <ResultsView result={result} title={doc?.name ?? 'Results'} doc={doc} explain={canExplain ? explainBar : undefined}
            market={runner && doc ? <MarketPanel runner={runner} doc={doc} result={result} data={data} /> : undefined} />
        </>
      ) : running ? (
        <p className="panel muted" role="status">Running the backtest…</p>
      ) : (
        <p className="panel muted">No backtest has run in this session yet. Press “Run backtest” on the Strategy page (or Ctrl/Cmd+Enter).</p>
      )}
      <div className="results saved-runs">
        <section aria-labelledby="h-history">
          <h2 id="h-history">Saved runs</h2>
          {history.error && <p role="alert" className="field-error">Run history unavailable: {history.error.message}</p>}
          <RunHistoryPanel runs={history.runs} selected={picked} onToggle={toggle} onRelabel={history.relabel} onReopen={onReopen}
            onDelete={(id) => { setPicked((p) => p.filter((x) => x !== id)); history.remove(id); }} />
        </section>
        {chosen.length === 2 && <CompareRuns a={chosen[0]!} b={chosen[1]!} />}
      </div>
    </>
  );
}
