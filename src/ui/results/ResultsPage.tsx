import { useState, type ReactNode } from 'react';
import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import { CompareRuns } from '../history/CompareRuns.tsx';
import { RunHistoryPanel } from '../history/RunHistoryPanel.tsx';
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
}

/** The latest run in full, then the runs kept on this device and a side-by-side comparison of two of them. */
export function ResultsPage({ runner, result, doc, history, actions }: ResultsPageProps) {
  const [picked, setPicked] = useState<string[]>([]);
  // A third tick replaces the older of the two, so the comparison always shows the latest two choices.
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const chosen = picked.map((id) => history.runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  return (
    <>
      {result ? (
        <>
          {actions && <div className="results-actions">{actions}</div>}
          <ResultsView result={result} title={doc?.name ?? 'Results'}
            market={runner && doc ? <MarketPanel runner={runner} doc={doc} result={result} /> : undefined} />
        </>
      ) : (
        <p className="panel muted">No backtest has run in this session yet. Press “Run backtest” on the Strategy page.</p>
      )}
      <div className="results history">
        <section aria-labelledby="h-history">
          <h2 id="h-history">Saved runs</h2>
          {history.error && <p role="alert" className="field-error">Run history unavailable: {history.error.message}</p>}
          <RunHistoryPanel runs={history.runs} selected={picked} onToggle={toggle}
            onDelete={(id) => { setPicked((p) => p.filter((x) => x !== id)); history.remove(id); }} />
        </section>
        {chosen.length === 2 && <CompareRuns a={chosen[0]!} b={chosen[1]!} />}
      </div>
    </>
  );
}
