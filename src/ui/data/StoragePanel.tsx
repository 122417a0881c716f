import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from './format.ts';
import { defaultPoolSize } from '../../rpc/pool.ts';

export const STORAGE_KEY = ['storage-estimate'] as const;

async function estimate() {
  const [est, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
}

/** Storage used and available, persistence, and what the engine can use on this device. */
export function StoragePanel() {
  // Chromium updates its usage figure some time after OPFS writes land, so a refetch right after an import
  // can still read the old number: poll while the panel is shown (estimate() is cheap).
  const storage = useQuery({ queryKey: STORAGE_KEY, queryFn: estimate, refetchInterval: 1500 });
  const qc = useQueryClient();
  const [asked, setAsked] = useState<boolean | null>(null);
  const workers = defaultPoolSize(navigator.hardwareConcurrency || 2);
  const s = storage.data;
  const persist = async () => {
    setAsked(await navigator.storage.persist());
    await qc.invalidateQueries({ queryKey: STORAGE_KEY });
  };
  return (
    <section className="panel" aria-labelledby="h-device">
      <h2 id="h-device">This device</h2>
      <dl className="facts">
        <dt>Storage used</dt>
        <dd data-testid="storage-used">{s ? formatBytes(s.usage) : storage.error ? 'unavailable' : '…'}</dd>
        <dt>Storage available</dt>
        <dd>{s ? `${formatBytes(Math.max(0, s.quota - s.usage))} of ${formatBytes(s.quota)}` : storage.error ? 'unavailable' : '…'}</dd>
        <dt>Persistent storage</dt>
        <dd>
          {s ? (s.persisted ? 'yes: the browser will not evict the bars' : 'no: the browser may evict cached bars under storage pressure') : '…'}
          {s && !s.persisted && (
            <>
              {' '}
              <button type="button" onClick={() => void persist()}>Keep data on this device</button>
            </>
          )}
          {asked === false && <span role="status" className="muted"> The browser declined (it may allow it after more use, or once the app is installed).</span>}
        </dd>
        <dt>Backtest workers</dt>
        <dd>{workers}</dd>
        <dt>Shared memory</dt>
        <dd>{crossOriginIsolated ? 'available (bars are shared with workers without copying)' : 'unavailable (bars are copied to each worker)'}</dd>
      </dl>
    </section>
  );
}
