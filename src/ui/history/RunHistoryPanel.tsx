import { formatCount, formatPct, formatRatio, formatTime } from '../results/format.ts';
import { useMemo } from 'react';
import { distinctName, runDifferences } from './run-names.ts';
import type { StoredRun } from './run-store.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

export interface RunHistoryPanelProps {
  runs: readonly StoredRun[];
  /** Ids chosen for comparison, oldest choice first (at most two). */
  selected: readonly string[];
  onToggle: (id: string) => void;
  onDelete: (id: string) => void;
  onRelabel: (id: string, label: string) => void;
  /** Opens the run's document and runs it again (runs are deterministic: the same result, with its audit). */
  onReopen?: (run: StoredRun) => void;
}

const when = (ms: number) => new Date(ms).toLocaleString();

/** Past runs kept on this device (one row per distinct run); label them, reopen one, or tick two to compare. */
export function RunHistoryPanel({ runs, selected, onToggle, onDelete, onRelabel, onReopen }: RunHistoryPanelProps) {
  // Rows of one document with other parameters would all read "SMA crossover (10/20)": say what differs.
  const named = useMemo(() => runDifferences(runs), [runs]);
  const documents = useMemo(() => runDifferences(runs, (r) => r.name), [runs]);
  if (runs.length === 0) return <p className="muted">No runs saved on this device yet.</p>;
  return (
    <ScrollRegion label="Run history">
      <table className="grid run-history">
        <caption>Run history ({runs.length}) — tick two runs to compare</caption>
        <thead>
          <tr>
            <th scope="col">Compare</th><th scope="col">Finished</th><th scope="col">Strategy</th><th scope="col">Label</th><th scope="col">Period</th>
            <th scope="col" className="n">Total return</th><th scope="col" className="n">Sharpe</th>
            <th scope="col" className="n">Max drawdown</th><th scope="col" className="n">Trades</th><th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const label = `${distinctName(r, named)}, ${when(r.time)}`;
            const differs = documents.get(r.id);
            return (
              <tr key={r.id}>
                <td>
                  <input type="checkbox" aria-label={`Compare ${label}`} checked={selected.includes(r.id)} onChange={() => onToggle(r.id)} />
                </td>
                <td className="t">{when(r.time)}</td>
                <th scope="row">{r.name}{differs && <span className="run-differs">{differs}</span>}</th>
                <td>
                  {/* Uncontrolled and saved on blur/Enter, so typing is not a database write per keystroke. */}
                  <input type="text" className="run-label" aria-label={`Label for ${label}`} placeholder="add a label" defaultValue={r.label ?? ''}
                    onBlur={(e) => { if (e.currentTarget.value.trim() !== (r.label ?? '')) onRelabel(r.id, e.currentTarget.value); }}
                    onKeyDown={(e) => { if (e.key === 'Enter') e.currentTarget.blur(); }} />
                </td>
                <td className="t">{formatTime(r.stats.startTime)} – {formatTime(r.stats.endTime)}</td>
                <td className={`n${r.stats.totalReturnPct < 0 ? ' neg' : ''}`}>{formatPct(r.stats.totalReturnPct)}</td>
                <td className="n">{formatRatio(r.stats.sharpe)}</td>
                <td className="n neg">{formatPct(r.stats.maxDrawdownPct)}</td>
                <td className="n">{formatCount(r.stats.tradeCount)}</td>
                <td className="row-actions">
                  {onReopen && <button type="button" className="small" aria-label={`Reopen ${label}`} onClick={() => onReopen(r)}>Reopen</button>}
                  <button type="button" className="small" aria-label={`Delete ${label}`} onClick={() => onDelete(r.id)}>Delete</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
