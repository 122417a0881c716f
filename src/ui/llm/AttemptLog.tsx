import { useEffect, useState } from 'react';
import type { AttemptRecord } from '../../llm/attempts.ts';
import { clearAttemptLog, loadAttemptLog, type AttemptLogEntry } from './store.ts';

function summary(records: readonly AttemptRecord[]): string {
  let tin = 0;
  let tout = 0;
  let cost: number | null = 0;
  for (const r of records) {
    tin += r.inputTokens ?? 0;
    tout += r.outputTokens ?? 0;
    cost = cost === null || r.costUsd === null ? null : cost + r.costUsd;
  }
  return `${records.length} request${records.length === 1 ? '' : 's'}, ${tin.toLocaleString('en-US')} + ${tout.toLocaleString('en-US')} tokens, ${cost === null ? 'cost unknown' : `≈ $${cost.toFixed(4)}`}`;
}

/** Every request of the last run (size, latency, tokens, cost estimate, outcome) and the stored history. */
export function AttemptLog({ records, version }: { records: readonly AttemptRecord[]; version: number }) {
  const [history, setHistory] = useState<AttemptLogEntry[]>([]);
  useEffect(() => {
    // A read that answers after unmount, or after a newer version's read started, must not land (stale log).
    let live = true;
    loadAttemptLog().then((h) => live && setHistory(h), () => live && setHistory([]));
    return () => {
      live = false;
    };
  }, [version]);
  if (records.length === 0 && history.length === 0) return null;
  return (
    <details className="llm-log">
      <summary>Attempt log{records.length ? ` — ${summary(records)}` : ''}</summary>
      {records.length > 0 && (
        <table aria-label="Attempt log">
          <thead>
            <tr><th>Task</th><th>Model</th><th>#</th><th>Outcome</th><th>Prompt chars</th><th>Tokens in/out</th><th>Latency</th><th>Cost</th></tr>
          </thead>
          <tbody>
            {records.map((r, i) => (
              <tr key={i} title={r.error}>
                <td>{r.task}</td>
                <td>{r.model}{r.escalated ? ' ↑' : ''}</td>
                <td>{r.attempt}</td>
                <td>{r.outcome}</td>
                <td>{r.promptChars.toLocaleString('en-US')}</td>
                <td>{r.inputTokens ?? '?'} / {r.outputTokens ?? '?'}</td>
                <td>{r.latencyMs} ms</td>
                <td>{r.costUsd === null ? '?' : `$${r.costUsd.toFixed(5)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {history.length > 0 && (
        <>
          <p className="muted">Stored on this device (last {history.length}):</p>
          <ul className="llm-history">
            {history.map((h) => <li key={h.id}>{new Date(h.time).toLocaleString()} — {h.mode}, {h.ok ? 'accepted by validation' : 'failed'}: {summary(h.records)}</li>)}
          </ul>
          <button type="button" onClick={() => void clearAttemptLog().then(() => setHistory([]))}>Clear the stored log</button>
        </>
      )}
    </details>
  );
}
