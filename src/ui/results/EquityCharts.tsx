import { useId, useMemo } from 'react';
import type { Curves } from '../../schema/index.ts';
import { formatMoney } from './format.ts';
import { UPlotChart, type ChartSeries } from './UPlotChart.tsx';

const formatDrawdown = (v: number) => `${v.toFixed(1)} %`;
const formatEquity = (v: number) => formatMoney(v).replace(/\.\d+$/, '');

/** Equity against the benchmark, and drawdown below it; both share a cursor and x zoom (drag to zoom, double-click to reset). */
export function EquityCharts({ curves }: { curves: Curves }) {
  const syncKey = useId();
  const x = useMemo(() => curves.time.map((t) => t / 1000), [curves.time]);
  const equity: ChartSeries[] = useMemo(
    () => [
      { label: 'Strategy', values: curves.equity, colorVar: '--c-equity' },
      { label: 'Benchmark', values: curves.benchmark, colorVar: '--c-bench' },
    ],
    [curves.equity, curves.benchmark],
  );
  const drawdown: ChartSeries[] = useMemo(
    () => [{ label: 'Drawdown', values: curves.drawdown.map((d) => d * 100), colorVar: '--c-dd', fillVar: '--c-dd-fill' }],
    [curves.drawdown],
  );
  return (
    <div className="charts" data-sync-key={syncKey}>
      <UPlotChart title="Equity vs benchmark" x={x} series={equity} height={260} syncKey={syncKey} formatY={formatEquity} />
      <UPlotChart title="Drawdown" x={x} series={drawdown} height={140} syncKey={syncKey} formatY={formatDrawdown} />
    </div>
  );
}
