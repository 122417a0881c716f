import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import type * as Export from './export.ts';

const CSV = 'text/csv;charset=utf-8';

/** Downloads of the run: trades, statistics and equity as CSV, the document with the whole result as JSON. */
export function ExportBar({ result, doc, title }: { result: RunResult; doc: StrategyDocument | null; title: string }) {
  // The writers load on the first click: they are not part of the first load.
  const save = (what: string, ext: string, type: string, text: (m: typeof Export) => string) => () => {
    void import('./export.ts').then((m) => m.download(m.exportName(title, what, ext), new Blob([text(m)], { type })));
  };
  return (
    <div className="exports" role="group" aria-label="Export">
      <span className="muted">Export</span>
      <button type="button" onClick={save('trades', 'csv', CSV, (m) => m.tradesCsv(result.trades))}>Trades CSV</button>
      <button type="button" onClick={save('statistics', 'csv', CSV, (m) => m.statsCsv(result.stats))}>Statistics CSV</button>
      <button type="button" onClick={save('equity', 'csv', CSV, (m) => m.equityCsv(result.curves))}>Equity CSV</button>
      <button type="button" onClick={save('result', 'json', 'application/json', (m) => m.resultJson(result, doc))}>Result JSON</button>
    </div>
  );
}
