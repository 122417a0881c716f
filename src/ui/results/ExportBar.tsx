import type { RunResult, StrategyDocument } from '../../schema/index.ts';
import { download, equityCsv, exportName, resultJson, statsCsv, tradesCsv } from './export.ts';

const CSV = 'text/csv;charset=utf-8';

/** Downloads of the run: trades, statistics and equity as CSV, the document with the whole result as JSON. */
export function ExportBar({ result, doc, title }: { result: RunResult; doc: StrategyDocument | null; title: string }) {
  const save = (what: string, ext: string, type: string, text: () => string) => () =>
    download(exportName(title, what, ext), new Blob([text()], { type }));
  return (
    <div className="exports" role="group" aria-label="Export">
      <span className="muted">Export</span>
      <button type="button" onClick={save('trades', 'csv', CSV, () => tradesCsv(result.trades))}>Trades CSV</button>
      <button type="button" onClick={save('statistics', 'csv', CSV, () => statsCsv(result.stats))}>Statistics CSV</button>
      <button type="button" onClick={save('equity', 'csv', CSV, () => equityCsv(result.curves))}>Equity CSV</button>
      <button type="button" onClick={save('result', 'json', 'application/json', () => resultJson(result, doc))}>Result JSON</button>
    </div>
  );
}
