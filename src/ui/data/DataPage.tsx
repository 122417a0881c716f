import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { DatasetInfo } from '../../data/store.ts';
import type { StrategyDocument } from '../../schema/index.ts';
import { DEFAULT_SYMBOL } from '../defaults.ts';
import type { DataClient } from './client.ts';
import { ActionsPanel } from './ActionsPanel.tsx';
import { DatasetTable } from './DatasetTable.tsx';
import { DATASETS_KEY } from './keys.ts';
import { ImportPanel } from './ImportPanel.tsx';
import { SeriesPanel } from './SeriesPanel.tsx';
import { STORAGE_KEY, StoragePanel } from './StoragePanel.tsx';
import { requiredSymbols } from './symbols.ts';

export { DATASETS_KEY };

function Needs({ doc, datasets }: { doc: StrategyDocument | null; datasets: readonly DatasetInfo[] | undefined }) {
  if (!doc) return <p className="muted">The document has problems; fix them on the Strategy page.</p>;
  const tf = doc.settings.timeframe;
  const symbols = requiredSymbols(doc);
  const missing = datasets ? symbols.filter((s) => !datasets.some((d) => d.kind === 'bars' && d.symbol === s && d.key === tf)) : [];
  return (
    <>
      <p>
        {tf} bars of <b>{symbols.join(', ')}</b>
        {doc.settings.range?.from || doc.settings.range?.to
          ? ` from ${doc.settings.range.from ?? 'the first bar'} to ${doc.settings.range.to ?? 'the last bar'}`
          : ', all available history'}
        .
      </p>
      {datasets && (missing.length ? (
        <p className="warn" data-testid="missing">Not stored yet: {missing.join(', ')}.</p>
      ) : (
        <p className="good">All stored on this device.</p>
      ))}
    </>
  );
}

/** Stored datasets, import, and device storage; every store operation runs in the data worker. */
export function DataPage({ doc, data }: { doc: StrategyDocument | null; data: DataClient | null }) {
  const qc = useQueryClient();
  const datasets = useQuery({ queryKey: DATASETS_KEY, queryFn: () => data!.list(), enabled: data !== null });
  const refresh = useCallback(() => {
    void qc.invalidateQueries({ queryKey: DATASETS_KEY });
    void qc.invalidateQueries({ queryKey: STORAGE_KEY });
  }, [qc]);
  const remove = async (d: DatasetInfo) => {
    await data!.delete(d.symbol!, d.key);
    refresh();
  };
  const embedded = useMutation({ mutationFn: () => data!.storeEmbedded(), onSuccess: refresh });
  return (
    <div className="data-page">
      <section className="panel" aria-labelledby="h-needs">
        <h2 id="h-needs">Data this strategy needs</h2>
        <Needs doc={doc} datasets={datasets.data} />
      </section>
      {data ? (
        <>
          <section className="panel" aria-labelledby="h-datasets">
            <h2 id="h-datasets">Stored datasets</h2>
            {datasets.data ? <DatasetTable datasets={datasets.data} onDelete={remove} /> : datasets.error ? (
              <p role="alert" className="field-error">The catalog could not be read: {datasets.error.message}</p>
            ) : <p className="muted">Reading the catalog…</p>}
            <p className="row">
              <button type="button" disabled={embedded.isPending} onClick={() => embedded.mutate()}>Add sample data</button>
              <span className="muted">The embedded S&amp;P 500 daily series ({DEFAULT_SYMBOL}), five monthly stocks and the US payroll series (nonfarm, nonfarm_change), no download needed.</span>
              {embedded.error && <span role="alert" className="field-error">Sample data could not be stored: {embedded.error.message}</span>}
            </p>
          </section>
          <ImportPanel client={data} onStored={refresh} />
          <SeriesPanel client={data} datasets={datasets.data} onChanged={refresh} />
          <ActionsPanel client={data} />
        </>
      ) : (
        <p className="panel warn">No data store is connected in this build.</p>
      )}
      <StoragePanel />
    </div>
  );
}
