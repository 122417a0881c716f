import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { DAY_INCRS, isDaily, legendTime, utcDate } from './time-axis.ts';

export interface ChartSeries {
  label: string;
  values: ArrayLike<number | null>;
  /** CSS custom property holding the colour, so charts follow the light/dark theme. */
  colorVar: string;
  /** CSS custom property holding an area fill colour, if the series is drawn as an area. */
  fillVar?: string;
  /** Markers only, no line (trade entries and exits); null values draw nothing. */
  markers?: boolean;
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
  /** Called with the index into `x` of the point under the cursor when the plot is clicked (not after a drag-zoom). */
  onPick?: (index: number) => void;
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

export function UPlotChart({ title, x, series, height, syncKey, formatY, onPick }: UPlotChartProps) {
  // The latest callback without rebuilding the chart when a parent re-renders with a new closure.
  const pick = useRef(onPick);
  pick.current = onPick;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const width = useElementWidth(box);
  const widthNow = useRef(width);
  widthNow.current = width;
  const ready = width > 0;
  const [pngError, setPngError] = useState<string | null>(null);

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
        tzDate: utcDate,
        legend: { live: true },
        // The y axis grows with its longest label ("3,000.00" was clipped at a fixed 64 px).
        axes: [isDaily(x) ? { ...axis, incrs: DAY_INCRS } : axis, { ...axis, size: (_u, values) => Math.max(48, 16 + 7.5 * Math.max(0, ...(values ?? []).map((v) => String(v).length))), values: (_u, ticks) => ticks.map(formatY) }],
        series: [
          { value: legendTime },
          ...series.map((s) => {
            const color = cssVar(el, s.colorVar, '#888');
            return {
              label: s.label,
              stroke: color,
              width: 1.5,
              fill: s.fillVar ? cssVar(el, s.fillVar, 'transparent') : undefined,
              value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatY(v)),
              ...(s.markers ? { paths: () => null, points: { show: true, size: 9, width: 2, fill: color } } : { spanGaps: true }),
            };
          }),
        ],
        hooks: { setScale: [syncZoom(syncKey)] },
      },
      [x, ...series.map((s) => s.values as unknown as (number | null)[])],
      el,
    );
    plot.current = u;
    // A click is a mousedown and mouseup at one spot; a drag between them is uPlot's zoom, not a pick.
    let down: number | null = null;
    const onDown = (e: MouseEvent) => { down = e.clientX; };
    const onUp = (e: MouseEvent) => {
      const idx = u.cursor.idx;
      if (down !== null && Math.abs(e.clientX - down) < 3 && idx != null) pick.current?.(idx);
      down = null;
    };
    // Capture phase: uPlot's own drag handlers must not hide these from us.
    u.over.addEventListener('mousedown', onDown, true);
    u.over.addEventListener('click', onUp, true);
    if (pick.current) u.over.style.cursor = 'pointer';
    return () => {
      u.over.removeEventListener('mousedown', onDown, true);
      u.over.removeEventListener('click', onUp, true);
      u.destroy();
      plot.current = null;
    };
    // Width is read, not depended on: a resize calls setSize below instead of rebuilding the chart.
  }, [x, series, height, syncKey, formatY, ready]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height });
  }, [width, height]);

  const savePng = () => {
    const u = plot.current;
    const el = box.current;
    if (!u || !el) return;
    setPngError(null);
    const colors = { bg: cssVar(el, '--panel', '#fff'), fg: cssVar(el, '--fg', '#222') };
    // Loaded on the first click, not with the page.
    Promise.all([import('./chart-png.ts'), import('./export.ts')])
      .then(([{ chartPng }, { download, exportName }]) => chartPng(u.ctx.canvas, title, colors).then((b) => download(exportName(title, 'chart', 'png'), b)))
      .catch((e: unknown) => setPngError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <figure className="chart">
      <figcaption>
        {title}
        <button type="button" className="chart-png" onClick={savePng} aria-label={`Save ${title} as PNG`}>PNG</button>
      </figcaption>
      {pngError && <p role="alert" className="field-error">PNG not saved: {pngError}</p>}
      <div ref={box} className="chart-box" />
    </figure>
  );
}
