import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useElementWidth } from '../hooks/useElementWidth.ts';

export interface ChartSeries {
  label: string;
  values: ArrayLike<number>;
  /** CSS custom property holding the colour, so charts follow the light/dark theme. */
  colorVar: string;
  /** CSS custom property holding an area fill colour, if the series is drawn as an area. */
  fillVar?: string;
}

export interface UPlotChartProps {
  title: string;
  /** X values in seconds (uPlot's time scale unit). */
  x: Float64Array;
  series: ChartSeries[];
  height: number;
  /** Charts with one key share cursor, series focus and x zoom. */
  syncKey: string;
  formatY: (v: number) => string;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** Zooming one chart of a group zooms the others to the same x range. */
function syncZoom(syncKey: string) {
  return (u: uPlot, key: string) => {
    if (key !== 'x') return;
    const min = u.scales.x?.min;
    const max = u.scales.x?.max;
    if (min == null || max == null) return;
    for (const other of uPlot.sync(syncKey).plots) {
      if (other !== u && (other.scales.x?.min !== min || other.scales.x?.max !== max)) other.setScale('x', { min, max });
    }
  };
}

export function UPlotChart({ title, x, series, height, syncKey, formatY }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const width = useElementWidth(box);
  const widthNow = useRef(width);
  widthNow.current = width;
  const ready = width > 0;

  useEffect(() => {
    const el = box.current;
    if (!el || !ready) return;
    const text = cssVar(el, '--fg-muted', '#666');
    const grid = cssVar(el, '--grid', '#ddd');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const u = new uPlot(
      {
        width: widthNow.current,
        height,
        cursor: { sync: { key: syncKey, setSeries: true }, drag: { x: true, y: false } },
        scales: { x: { time: true } },
        legend: { live: true },
        axes: [axis, { ...axis, size: 64, values: (_u, ticks) => ticks.map(formatY) }],
        series: [
          {},
          ...series.map((s) => {
            const color = cssVar(el, s.colorVar, '#888');
            return {
              label: s.label,
              stroke: color,
              width: 1.5,
              fill: s.fillVar ? cssVar(el, s.fillVar, 'transparent') : undefined,
              value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatY(v)),
            };
          }),
        ],
        hooks: { setScale: [syncZoom(syncKey)] },
      },
      [x, ...series.map((s) => s.values as unknown as number[])],
      el,
    );
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
    // Width is read, not depended on: a resize calls setSize below instead of rebuilding the chart.
  }, [x, series, height, syncKey, formatY, ready]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height });
  }, [width, height]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-box" />
    </figure>
  );
}
