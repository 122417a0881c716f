import { useId, useRef, useState } from 'react';
import type { SeriesImportReport } from '../../data/csv/series.ts';
import type { DatasetInfo } from '../../data/store.ts';
import { parseDuration } from '../../lib/duration.ts';
import type { DataClient } from './client.ts';
import { DeleteCell } from './DatasetTable.tsx';
import { formatBarTime } from './format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

type State =
  | { kind: 'idle' }
  | { kind: 'running'; file: string }
  | { kind: 'done'; file: string; report: SeriesImportReport }
  | { kind: 'failed'; file: string; message: string };

/**
 * External series (fundamentals, economic data, custom counts): the stored ones with their range, and an
 * import with an optional publication lag for files stamped by the period they describe.
 */
export function SeriesPanel({ client, datasets, onChanged }: { client: DataClient; datasets: readonly DatasetInfo[] | undefined; onChanged: () => void }) {
  const [lag, setLag] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const fileRef = useRef<HTMLInputElement>(null);
  const lagId = useId();
  const lagMs = lag.trim() === '' ? 0 : parseDuration(lag);
  const lagError = Number.isNaN(lagMs) ? 'expected a duration like 35d, 2w or 12h' : null;
  const series = (datasets ?? []).filter((d) => d.kind === 'series').sort((a, b) => (a.id < b.id ? -1 : 1));

  const take = async (file: File | undefined) => {
    if (!file || lagError) return;
    setState({ kind: 'running', file: file.name });
    try {
      const { report } = await client.importSeries(file, { fileName: file.name, lagMs });
      setState({ kind: 'done', file: file.name, report });
      onChanged();
    } catch (e) {
      setState({ kind: 'failed', file: file.name, message: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <section className="panel" aria-labelledby="h-series">
      <h2 id="h-series">External series</h2>
      {series.length === 0 ? <p className="muted">No series are stored on this device yet.</p> : (
        <ScrollRegion label="Stored series">
          <table className="grid datasets" aria-label="Stored series">
            <thead>
              <tr>
                <th scope="col">Series</th>
                <th scope="col">Symbol</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col" className="n">Values</th>
                <th scope="col">Source</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {series.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.key}</th>
                  <td>{d.symbol ?? 'global'}</td>
                  <td className="t">{formatBarTime(d.first, '1d')}</td>
                  <td className="t">{formatBarTime(d.last, '1d')}</td>
                  <td className="n">{d.rows.toLocaleString('en-US')}</td>
                  <td className="source">{d.source}</td>
                  <td>
                    <DeleteCell label={`series ${d.key}${d.symbol ? ` of ${d.symbol}` : ''}`} onDelete={async () => {
                      await client.deleteSeries(d.key, d.symbol);
                      onChanged();
                    }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <p className="row">
        <button type="button" disabled={state.kind === 'running' || lagError !== null} onClick={() => fileRef.current?.click()}>Import series…</button>
        <input ref={fileRef} hidden aria-label="Series file" type="file" accept=".csv,.txt,.tsv,text/csv"
          onChange={(e) => {
            void take(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }} />
        <label htmlFor={lagId} className="inline">
          Publication lag
          <input id={lagId} type="text" className="sym-wide" value={lag} placeholder="none" aria-invalid={lagError !== null}
            onChange={(e) => setLag(e.target.value)} />
        </label>
        {lagError && <span role="alert" className="field-error">Publication lag: {lagError}</span>}
      </p>
      <p className="muted">
        A CSV of time,value or time,symbol,value, keyed by when each value became known (a published_at or
        released column wins over a date). Data stamped by the period they describe need the lag after which
        they were out: a value is never used before its time plus the lag. Re-importing a series replaces it.
      </p>
      {state.kind === 'running' && <p role="status">Importing {state.file}…</p>}
      {state.kind === 'done' && (
        <p role="status" data-testid="series-report">
          {state.file}: series “{state.report.name}”, {state.report.rowsKept.toLocaleString('en-US')} value(s) kept
          {state.report.rowsRejected > 0 && `, ${state.report.rowsRejected} rejected (${state.report.rejected.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ')})`}
          {`, known at column “${state.report.timeColumn}”`}{state.report.lagMs > 0 && ' + the publication lag'}.
        </p>
      )}
      {state.kind === 'failed' && <p role="alert" className="field-error">Import of {state.file} failed: {state.message}. Stored data are unchanged.</p>}
    </section>
  );
}
