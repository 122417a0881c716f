import type { ImportReport } from '../../data/csv/report.ts';
import { formatBarTime } from './format.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** What an import kept and rejected, with the first rejected rows by line so the file can be fixed. */
export function ImportReportView({ report, file }: { report: ImportReport; file: string }) {
  const reasons = Object.entries(report.byReason);
  return (
    <section className="import-report" aria-label={`Import report for ${file}`}>
      <h3>
        {file}: {report.symbol} {report.timeframe} ({report.format})
      </h3>
      <dl className="facts">
        <dt>Rows read</dt>
        <dd data-testid="rows-read">{n(report.rowsRead)}</dd>
        <dt>Rows kept</dt>
        <dd data-testid="rows-kept">{n(report.rowsKept)}</dd>
        <dt>Rows rejected</dt>
        <dd data-testid="rows-rejected">
          {n(report.rowsRejected)}
          {reasons.length > 0 && ` (${reasons.map(([r, c]) => `${r}: ${n(c)}`).join(', ')})`}
        </dd>
        {report.rowsKept > 0 && (
          <>
            <dt>Range</dt>
            <dd>{formatBarTime(report.first, report.timeframe)} to {formatBarTime(report.last, report.timeframe)}</dd>
          </>
        )}
        <dt>Time zone</dt>
        <dd>{report.timezone}</dd>
      </dl>
      {(report.notes.length > 0 || report.sorted) && (
        <ul className="notes">
          {report.sorted && <li>The rows were not in time order and were sorted.</li>}
          {report.notes.map((note) => <li key={note}>{note}</li>)}
        </ul>
      )}
      {report.rejected.length > 0 && (
        <table className="grid">
          <caption>
            Rejected rows{report.rejected.length < report.rowsRejected ? ` (first ${report.rejected.length} of ${n(report.rowsRejected)})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="n">Line</th>
              <th scope="col">Reason</th>
              <th scope="col">Field</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {report.rejected.map((r, i) => (
              <tr key={i}>
                <td className="n">{r.line}</td>
                <td>{r.reason}</td>
                <td>{r.field ?? ''}</td>
                <td><code>{r.text}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
