export function StatusLine({ engine }: { engine: boolean }) {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  return (
    <footer className="status-line">
      <span data-testid="isolation" className={isolated ? 'good' : 'warn'}>
        {isolated
          ? 'Cross-origin isolated: workers share bar data without copying.'
          : 'Not cross-origin isolated: bar data are copied to workers (slower).'}
      </span>
      <span className={engine ? 'good' : 'warn'}>{engine ? 'Engine connected' : 'No backtest engine connected'}</span>
    </footer>
  );
}
