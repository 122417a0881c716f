import { useId, useMemo } from 'react';
import { formatMoney } from '../results/format.ts';
import { GROUPS } from '../results/stats-groups.ts';
import { UPlotChart, type ChartSeries } from '../results/UPlotChart.tsx';
import type { StoredRun } from './run-store.ts';
import { distinctName, runDifferences } from './run-names.ts';

const formatEquity = (v: number) => formatMoney(v).replace(/\.\d+$/, '');

/**
 * Both runs' equity on one time axis: the union of their sample times, each curve null where it has no
 * sample (uPlot bridges those gaps), so runs over different periods or resolutions still line up.
 */
export function alignCurves(a: StoredRun, b: StoredRun): { x: Float64Array; ya: (number | null)[]; yb: (number | null)[] } {
  const times = [...new Set([...a.curves.time, ...b.curves.time])].sort((p, q) => p - q);
  const at = (r: StoredRun) => {
    const m = new Map<number, number>();
    r.curves.time.forEach((t, i) => m.set(t, r.curves.equity[i]!));
    return times.map((t) => m.get(t) ?? null);
  };
  return { x: Float64Array.from(times, (t) => t / 1000), ya: at(a), yb: at(b) };
}

/** Two runs side by side: every statistic in two columns and both equity curves on one chart. */
export function CompareRuns({ a, b }: { a: StoredRun; b: StoredRun }) {
  const syncKey = useId();
  const { x, series, nameA, nameB } = useMemo(() => {
    const { x, ya, yb } = alignCurves(a, b);
    // Two runs of one document read alike ("SMA crossover (10/20)" twice): each name carries what differs.
    const differences = runDifferences([a, b]);
    const nameA = `A: ${distinctName(a, differences)}`, nameB = `B: ${distinctName(b, differences)}`;
    const series: ChartSeries[] = [
      { label: nameA, values: ya, colorVar: '--c-equity' },
      { label: nameB, values: yb, colorVar: '--c-line-2' },
    ];
    return { x, series, nameA, nameB };
  }, [a, b]);
  return (
    <section className="run-compare" aria-labelledby="h-compare">
      <h2 id="h-compare">Comparison</h2>
      <UPlotChart title="Equity: A vs B" x={x} series={series} height={240} syncKey={syncKey} formatY={formatEquity} />
      <table className="grid stats compare-stats">
        <caption>Statistics compared</caption>
        <thead>
          <tr>
            <th scope="col">Statistic</th>
            <th scope="col" className="n">{nameA}</th>
            <th scope="col" className="n">{nameB}</th>
          </tr>
        </thead>
        {GROUPS.map(([group, rows]) => (
          <tbody key={group}>
            <tr className="group"><th colSpan={3} scope="colgroup">{group}</th></tr>
            {rows.map(([label, key, format]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                {[a, b].map((r) => (
                  <td key={r.id} className={`n${r.stats[key] < 0 ? ' neg' : ''}`}>{format(r.stats[key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}
