import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { StoredActions } from '../../data/actions-store.ts';
import type { DataClient } from './client.ts';
import { DeleteCell } from './DatasetTable.tsx';
import { formatBarTime } from './format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

/** react-query key of the stored corporate actions. */
export const ACTIONS_KEY = ['corporate-actions'] as const;

type State =
  | { kind: 'idle' }
  | { kind: 'running'; file: string }
  | { kind: 'done'; file: string; rows: StoredActions[] }
  | { kind: 'failed'; file: string; message: string };

const count = (r: StoredActions, type: 'split' | 'dividend') => r.actions.filter((a) => a.type === type).length;
const day = (ms: number) => formatBarTime(ms, '1d');

/**
 * Corporate actions (splits and cash dividends) per symbol: the stored ones with their ex-date range, and an
 * import of the CSV the CLI's --actions reads. A file with any bad line is refused whole, with every problem
 * as file:line:column, and nothing stored changes; a good file replaces the actions of each symbol it names.
 */
export function ActionsPanel({ client }: { client: DataClient }) {
  const qc = useQueryClient();
  const stored = useQuery({ queryKey: ACTIONS_KEY, queryFn: () => client.listActions() });
  const [state, setState] = useState<State>({ kind: 'idle' });
  const fileRef = useRef<HTMLInputElement>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ACTIONS_KEY });

  const take = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: 'running', file: file.name });
    try {
      const rows = await client.importActions(file, file.name);
      setState({ kind: 'done', file: file.name, rows });
    } catch (e) {
      setState({ kind: 'failed', file: file.name, message: e instanceof Error ? e.message : String(e) });
    }
    refresh();
  };

  const rows = stored.data ?? [];
  return (
    <section className="panel" aria-labelledby="h-actions">
      <h2 id="h-actions">Corporate actions</h2>
      {stored.error ? <p role="alert" className="field-error">The stored corporate actions could not be read: {stored.error.message}</p>
        : !stored.data ? <p className="muted">Reading the corporate actions…</p>
        : rows.length === 0 ? <p className="muted">No corporate actions are stored on this device yet.</p> : (
        <ScrollRegion label="Stored corporate actions">
          <table className="grid datasets" aria-label="Stored corporate actions">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col" className="n">Splits</th>
                <th scope="col" className="n">Dividends</th>
                <th scope="col">First ex-date</th>
                <th scope="col">Last ex-date</th>
                <th scope="col">Source</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.symbol}>
                  <th scope="row">{r.symbol}</th>
                  <td className="n">{count(r, 'split')}</td>
                  <td className="n">{count(r, 'dividend')}</td>
                  <td>{r.actions.length ? day(r.actions[0]!.exDate) : '—'}</td>
                  <td>{r.actions.length ? day(r.actions[r.actions.length - 1]!.exDate) : '—'}</td>
                  <td>{r.source}</td>
                  <td>
                    <DeleteCell label={`corporate actions of ${r.symbol}`} onDelete={async () => {
                      await client.deleteActions(r.symbol);
                      refresh();
                    }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <p className="row">
        <button type="button" disabled={state.kind === 'running'} onClick={() => fileRef.current?.click()}>Import corporate actions…</button>
        <input ref={fileRef} hidden aria-label="Corporate actions file" type="file" accept=".csv,.txt,.tsv,text/csv"
          onChange={(e) => {
            void take(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }} />
      </p>
      <p className="muted">
        A CSV of symbol,date,type,value (the format of the CLI’s --actions): date is the ex-date, a split’s value is
        new shares per old share (2, 4:1, 1:10), a dividend’s is cash per share. Every run of a stored symbol uses
        them: adjusted prices (the default) back-adjust its bars, raw prices apply them on their ex-dates. Importing
        a file replaces the actions of each symbol it names.
      </p>
      {state.kind === 'running' && <p role="status">Importing {state.file}…</p>}
      {state.kind === 'done' && (
        <p role="status" data-testid="actions-report">
          {state.file}: {state.rows.map((r) => `${r.symbol} ${count(r, 'split')} split(s), ${count(r, 'dividend')} dividend(s)`).join('; ')} stored.
        </p>
      )}
      {state.kind === 'failed' && (
        <div role="alert" className="field-error" data-testid="actions-error">
          <p>Import of {state.file} failed; stored corporate actions are unchanged.</p>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{state.message}</pre>
        </div>
      )}
    </section>
  );
}
