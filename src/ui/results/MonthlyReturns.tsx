import { Fragment, useMemo } from 'react';
import type { Curves } from '../../schema/index.ts';
import { formatPct } from './format.ts';
import { monthlyReturns } from './report-math.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Green for gains, red for losses, stronger up to ±10 % a month (±40 % a year). */
function shade(r: number | null, full: number): string | undefined {
  if (r === null || !Number.isFinite(r) || r === 0) return undefined;
  const a = Math.min(1, Math.abs(r) / full) * 0.55 + 0.08;
  return r > 0 ? `rgba(26, 127, 55, ${a.toFixed(2)})` : `rgba(207, 34, 46, ${a.toFixed(2)})`;
}

/** Year × month returns of the strategy's equity, coloured, with each year's compounded total. */
export function MonthlyReturns({ curves }: { curves: Curves }) {
  const rows = useMemo(() => monthlyReturns(curves.time, curves.equity), [curves.time, curves.equity]);
  if (rows.length === 0) return null;
  const cell = (r: number | null, full: number) => (
    <td className="n" style={{ background: shade(r, full) }}>{r === null ? '' : formatPct(r * 100)}</td>
  );
  return (
    <section aria-labelledby="h-monthly" className="monthly">
      <h2 id="h-monthly">Monthly returns</h2>
      <ScrollRegion label="Monthly returns">
        <table className="grid monthly-table">
          <caption className="sr-only">Monthly returns (year by month, with the year’s total)</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              {MONTHS.map((m) => <th key={m} scope="col" className="n">{m}</th>)}
              <th scope="col" className="n">Year</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.year}>
                <th scope="row">{r.year}</th>
                {r.months.map((m, i) => <Fragment key={i}>{cell(m, 0.1)}</Fragment>)}
                {cell(r.total, 0.4)}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
