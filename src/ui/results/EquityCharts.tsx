import { useContext, useId, useMemo } from 'react';
import type { Curves } from '../../schema/index.ts';
import { AxisModeContext } from './axis-mode.ts';
import { barAxis } from './bar-axis.ts';
import { formatMoney } from './format.ts';
import { UPlotChart, type ChartSeries } from './UPlotChart.tsx';

const formatDrawdown = (v: number) => `${v.toFixed(1)} %`;
const formatEquity = (v: number) => formatMoney(v).replace(/\.\d+$/, '');

/** Equity against the benchmark, and drawdown below it; both share a cursor and x zoom (drag to zoom, double-click to reset). */
export function EquityCharts({ curves }: { curves: Curves }) {
  const syncKey = useId();
  const seconds = useMemo(() => curves.time.map((t) => t / 1000), [curves.time]);
  // Compressed (the toggle on the price chart): x counts steps, so nights and weekends take no room.
  const { compress } = useContext(AxisModeContext);
  const axis = useMemo(() => (compress ? barAxis(seconds) : undefined), [compress, seconds]);
  const x = axis?.x ?? seconds;
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
      <UPlotChart title="Equity vs benchmark" x={x} series={equity} height={260} syncKey={syncKey} formatY={formatEquity} xAxis={axis} />
      <UPlotChart title="Drawdown" x={x} series={drawdown} height={140} syncKey={syncKey} formatY={formatDrawdown} xAxis={axis} />
    </div>
  );
}
