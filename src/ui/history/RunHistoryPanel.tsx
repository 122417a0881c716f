import { formatCount, formatPct, formatRatio, formatTime } from '../results/format.ts';
import type { StoredRun } from './run-store.ts';

export interface RunHistoryPanelProps {
  runs: readonly StoredRun[];
  /** Ids chosen for comparison, oldest choice first (at most two). */
  selected: readonly string[];
  onToggle: (id: string) => void;
  onDelete: (id: string) => void;
}

const when = (ms: number) => new Date(ms).toLocaleString();

/** Past runs kept on this device; tick two to compare them side by side. */
export function RunHistoryPanel({ runs, selected, onToggle, onDelete }: RunHistoryPanelProps) {
  if (runs.length === 0) return <p className="muted">No runs saved on this device yet.</p>;
  return (
    <table className="grid">
      <caption>Run history ({runs.length}) — tick two runs to compare</caption>
      <thead>
        <tr>
          <th scope="col">Compare</th><th scope="col">Finished</th><th scope="col">Strategy</th><th scope="col">Period</th>
          <th scope="col" className="n">Total return</th><th scope="col" className="n">Sharpe</th>
          <th scope="col" className="n">Max drawdown</th><th scope="col" className="n">Trades</th><th scope="col"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const label = `${r.name}, ${when(r.time)}`;
          return (
            <tr key={r.id}>
              <td>
                <input type="checkbox" aria-label={`Compare ${label}`} checked={selected.includes(r.id)} onChange={() => onToggle(r.id)} />
              </td>
              <td>{when(r.time)}</td>
              <th scope="row">{r.name}</th>
              <td>{formatTime(r.stats.startTime)} – {formatTime(r.stats.endTime)}</td>
              <td className={`n${r.stats.totalReturnPct < 0 ? ' neg' : ''}`}>{formatPct(r.stats.totalReturnPct)}</td>
              <td className="n">{formatRatio(r.stats.sharpe)}</td>
              <td className="n neg">{formatPct(r.stats.maxDrawdownPct)}</td>
              <td className="n">{formatCount(r.stats.tradeCount)}</td>
              <td><button type="button" className="small" aria-label={`Delete ${label}`} onClick={() => onDelete(r.id)}>Delete</button></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
