export function App() {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  return (
    <main>
      <h1>Backtester</h1>
      <p data-testid="isolation">
        {isolated ? 'Cross-origin isolated: workers share bar data without copying.' : 'Not cross-origin isolated: bar data are copied to workers (slower).'}
      </p>
    </main>
  );
}
