import { useSyncExternalStore } from 'react';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** The browser's own network state; runs never need the network once the data are stored. */
function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}

export function StatusLine({ engine }: { engine: boolean }) {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const online = useOnline();
  return (
    <footer className="status-line">
      <span data-testid="isolation" className={isolated ? 'good' : 'warn'}>
        {isolated
          ? 'Cross-origin isolated: workers share bar data without copying.'
          : 'Not cross-origin isolated: bar data are copied to workers (slower).'}
      </span>
      <span className={engine ? 'good' : 'warn'}>{engine ? 'Engine connected' : 'No backtest engine connected'}</span>
      <span role="status" aria-label="Network" className={online ? 'muted' : 'warn'}>
        {online ? 'Online' : 'Offline: runs use the data stored on this device'}
      </span>
    </footer>
  );
}
