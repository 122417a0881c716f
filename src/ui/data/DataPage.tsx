import { useQuery } from '@tanstack/react-query';
import type { StrategyDocument } from '../../schema/index.ts';
import { DEFAULT_SYMBOL } from '../defaults.ts';
import { requiredSymbols } from './symbols.ts';

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** What data the current document needs, and the device storage bars will be cached in. */
export function DataPage({ doc }: { doc: StrategyDocument | null }) {
  const storage = useQuery({
    queryKey: ['storage-estimate'],
    queryFn: async () => {
      const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
      return { ...estimate, persisted };
    },
  });
  const workers = Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
  return (
    <div className="data-page">
      <section className="panel" aria-labelledby="h-needs">
        <h2 id="h-needs">Data this strategy needs</h2>
        {doc ? (
          <p>
            {doc.settings.timeframe} bars of <b>{requiredSymbols(doc).join(', ')}</b>
            {doc.settings.range?.from || doc.settings.range?.to
              ? ` from ${doc.settings.range.from ?? 'the first bar'} to ${doc.settings.range.to ?? 'the last bar'}`
              : ', all available history'}
            .
          </p>
        ) : (
          <p className="muted">The document has problems; fix them on the Strategy page.</p>
        )}
        <p className="muted">The embedded S&amp;P 500 daily series is {DEFAULT_SYMBOL}.</p>
      </section>
      <section className="panel" aria-labelledby="h-device">
        <h2 id="h-device">This device</h2>
        <dl className="facts">
          <dt>Storage used</dt>
          <dd>{storage.data ? `${formatBytes(storage.data.usage ?? 0)} of ${formatBytes(storage.data.quota ?? 0)}` : storage.error ? 'unavailable' : '…'}</dd>
          <dt>Persistent storage</dt>
          <dd>{storage.data ? (storage.data.persisted ? 'yes' : 'no (the browser may evict cached bars)') : '…'}</dd>
          <dt>Backtest workers</dt>
          <dd>{workers}</dd>
          <dt>Shared memory</dt>
          <dd>{crossOriginIsolated ? 'available (bars are shared with workers without copying)' : 'unavailable (bars are copied to each worker)'}</dd>
        </dl>
      </section>
    </div>
  );
}
