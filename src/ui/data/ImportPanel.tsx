import { useId, useRef, useState, type DragEvent } from 'react';
import type { DataClient } from './client.ts';
import { formatBytes } from './format.ts';
import { ImportReportView } from './ImportReportView.tsx';
import { useImport, type ImportState } from './useImport.ts';

function Progress({ state, onCancel }: { state: Extract<ImportState, { kind: 'running' }>; onCancel: () => void }) {
  const p = state.progress;
  const total = p?.totalBytes;
  return (
    <div className="import-progress">
      <progress aria-label={`Importing ${state.file}`} value={p && total ? p.bytesRead : undefined} max={total || undefined} />
      <span role="status" className="muted">
        Importing {state.file}
        {p ? `: ${formatBytes(p.bytesRead)}${total ? ` of ${formatBytes(total)}` : ''}, ${p.rowsRead.toLocaleString('en-US')} rows` : '…'}
        {state.queued > 0 && ` (${state.queued} more queued)`}
      </span>
      <button type="button" onClick={onCancel}>Cancel</button>
    </div>
  );
}

/** CSV/JSON import by drag and drop or a file picker, with progress, cancel and the import report. */
export function ImportPanel({ client, onStored }: { client: DataClient; onStored: () => void }) {
  const { state, start, cancel } = useImport(client, onStored);
  const [symbol, setSymbol] = useState('');
  const [over, setOver] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const symbolId = useId();
  const running = state.kind === 'running';
  const take = (list: FileList | null) => {
    if (list && list.length && !running) void start([...list], symbol);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <section className="panel" aria-labelledby="h-import">
      <h2 id="h-import">Import bars</h2>
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop CSV or JSON bar files here, or</p>
        <button type="button" onClick={() => fileRef.current?.click()} disabled={running}>Choose files…</button>
        {/* The native control is hidden (it cannot be styled); the button above opens it. */}
        <input ref={fileRef} hidden aria-label="Bar files" type="file" multiple accept=".csv,.txt,.json,text/csv,application/json"
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = '';
          }} />
        <label htmlFor={symbolId} className="inline">
          Symbol
          <input id={symbolId} type="text" className="sym-wide" value={symbol} placeholder="from file name" onChange={(e) => setSymbol(e.target.value)} />
        </label>
        <p className="muted">
          Formats: Yahoo, Stooq, NinjaTrader, generic time/open/high/low/close/volume. The symbol defaults to the start of the file
          name; the time frame is inferred from the bars. Re-importing a symbol replaces it.
        </p>
      </div>
      {running && <Progress state={state} onCancel={cancel} />}
      {state.kind === 'done' && <ImportReportView report={state.report} file={state.file} />}
      {state.kind === 'cancelled' && <p role="status">Import of {state.file} cancelled; stored data are unchanged.</p>}
      {state.kind === 'failed' && <p role="alert" className="field-error">Import of {state.file} failed: {state.message.replace(/\.$/, '')}. Stored data are unchanged.</p>}
    </section>
  );
}
