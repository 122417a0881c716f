import { useState } from 'react';
import type { DatasetInfo } from '../../data/store.ts';
import { formatBarTime, formatBytes } from './format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

export function DeleteCell({ label, onDelete }: { label: string; onDelete: () => Promise<unknown> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!confirming) {
    return <button type="button" className="small" aria-label={`Delete ${label}`} onClick={() => setConfirming(true)}>Delete</button>;
  }
  return (
    <span className="row">
      <button type="button" className="danger" aria-label={`Confirm delete ${label}`} disabled={busy}
        onClick={() => {
          setBusy(true);
          void onDelete().finally(() => setBusy(false));
        }}>
        Delete {label}
      </button>
      <button type="button" aria-label={`Keep ${label}`} onClick={() => setConfirming(false)}>Keep</button>
    </span>
  );
}

/** The stored datasets from the catalog, one row per symbol and time frame. */
export function DatasetTable({ datasets, onDelete }: { datasets: readonly DatasetInfo[]; onDelete: (d: DatasetInfo) => Promise<unknown> }) {
  const bars = datasets.filter((d) => d.kind === 'bars').sort((a, b) => (a.id < b.id ? -1 : 1));
  if (bars.length === 0) return <p className="muted">No bars are stored on this device yet.</p>;
  return (
    <ScrollRegion label="Stored datasets">
      <table className="grid datasets" aria-label="Stored datasets">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Time frame</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col" className="n">Rows</th>
            <th scope="col" className="n">Size</th>
            <th scope="col">Source</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {bars.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.symbol}</th>
              <td>{d.key}</td>
              <td className="t">{formatBarTime(d.first, d.key)}</td>
              <td className="t">{formatBarTime(d.last, d.key)}</td>
              <td className="n">{d.rows.toLocaleString('en-US')}</td>
              <td className="n">{formatBytes(d.bytes)}</td>
              <td className="source">{d.source}{d.adjusted ? ' (adjusted)' : ''}</td>
              <td><DeleteCell label={`${d.symbol} ${d.key}`} onDelete={() => onDelete(d)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
