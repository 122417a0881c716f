import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { DAY_INCRS, isDaily, legendTime, utcDate } from './time-axis.ts';
import { ZoomGroupContext } from './zoom-context.ts';
import { joinZoom, timeAxis, zoomChanged, type ZoomMember } from './zoom-group.ts';

export interface ChartSeries {
  label: string;
  values: ArrayLike<number | null>;
  /** CSS custom property holding the colour, so charts follow the light/dark theme. */
  colorVar: string;
  /** CSS custom property holding an area fill colour, if the series is drawn as an area. */
  fillVar?: string;
  /** Markers only, no line (trade entries and exits); null values draw nothing. */
  markers?: boolean;
  /** Not drawn by uPlot (a plugin draws it: candles, volume bars) but in the legend and the y range. */
  hidden?: boolean;
  /** A step line (a value holds until the next one: external series). */
  stepped?: boolean;
}

/** An x axis that is not plain time (a compressed axis counts bars): its labels, legend and the map to seconds. */
export interface ChartXAxis {
  values: (u: uPlot, ticks: number[]) => string[];
  /** Where the ticks go (x values); default: uPlot's even steps. */
  splits?: (u: uPlot, axisIdx: number, min: number, max: number) => number[];
  legend: (u: uPlot, v: number | null) => string;
  toTime(x: number): number;
  fromTime(t: number): number;
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
  /** Called with the index into `x` of the point under the cursor when the plot is clicked (not after a drag-zoom),
   * and the cursor's position in CSS pixels inside the plot area. */
  onPick?: (index: number, at: { left: number; top: number }) => void;
  /** Draw hooks (candles, volume bars, trade markers). */
  plugins?: uPlot.Plugin[];
  /** The y scale's range rule (volume starts at 0). */
  yRange?: uPlot.Scale.Range;
  /** Least width of the y axis in CSS pixels: panes stacked under one another pass one, so their plots line up. */
  yAxisMin?: number;
  /** Default: time in seconds. */
  xAxis?: ChartXAxis;
  /** Controls shown in the caption beside the PNG button. */
  controls?: ReactNode;
  /** Extra content under the plot (a marker key). */
  children?: ReactNode;
}

/** The y axis's width for its longest label, in CSS pixels ("3,000.00" was clipped at a fixed 64 px). */
export const yAxisSize = (labels: readonly (string | number)[]) => 16 + 7.5 * Math.max(0, ...labels.map((v) => String(v).length));

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function seriesPaths(s: ChartSeries, color: string): Partial<uPlot.Series> {
  if (s.markers) return { paths: () => null, points: { show: true, size: 9, width: 2, fill: color } };
  if (s.hidden) return { paths: () => null, points: { show: false } };
  return s.stepped ? { spanGaps: true, paths: uPlot.paths.stepped!({ align: 1 }) } : { spanGaps: true };
}

export function UPlotChart({ title, x, series, height, syncKey, formatY, onPick, plugins, yRange, yAxisMin = 0, xAxis, controls, children }: UPlotChartProps) {
  const zoomKey = useContext(ZoomGroupContext) ?? syncKey;
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
    // Set once the chart is built and has joined its zoom group: uPlot's own setScale calls while building are not zooms.
    let member: ZoomMember | null = null;
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const u = new uPlot(
      {
        width: widthNow.current,
        height,
        cursor: { sync: { key: syncKey, setSeries: true }, drag: { x: true, y: false } },
        scales: { x: { time: !xAxis }, ...(yRange ? { y: { range: yRange } } : {}) },
        tzDate: utcDate,
        legend: { live: true },
        plugins,
        // The y axis grows with its longest label ("3,000.00" was clipped at a fixed 64 px).
        axes: [xAxis ? { ...axis, values: xAxis.values, ...(xAxis.splits ? { splits: xAxis.splits } : {}) } : isDaily(x) ? { ...axis, incrs: DAY_INCRS } : axis,
          { ...axis, size: (_u, values) => Math.max(48, yAxisMin, yAxisSize(values ?? [])), values: (_u, ticks) => ticks.map(formatY) }],
        series: [
          { value: xAxis?.legend ?? legendTime },
          ...series.map((s) => {
            const color = cssVar(el, s.colorVar, '#888');
            return {
              label: s.label,
              stroke: color,
              width: 1.5,
              fill: s.fillVar ? cssVar(el, s.fillVar, 'transparent') : undefined,
              value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatY(v)),
              ...seriesPaths(s, color),
            };
          }),
        ],
        hooks: { setScale: [(_u, key) => { if (key === 'x' && member) zoomChanged(zoomKey, member); }] },
      },
      [x, ...series.map((s) => s.values as unknown as (number | null)[])],
      el,
    );
    plot.current = u;
    member = xAxis ? { u, toTime: xAxis.toTime, fromTime: xAxis.fromTime } : timeAxis(u);
    const leave = joinZoom(zoomKey, member);
    // A click is a mousedown and mouseup at one spot; a drag between them is uPlot's zoom, not a pick.
    let down: number | null = null;
    const onDown = (e: MouseEvent) => { down = e.clientX; };
    const onUp = (e: MouseEvent) => {
      const idx = u.cursor.idx;
      if (down !== null && Math.abs(e.clientX - down) < 3 && idx != null) pick.current?.(idx, { left: u.cursor.left ?? 0, top: u.cursor.top ?? 0 });
      down = null;
    };
    // Capture phase: uPlot's own drag handlers must not hide these from us.
    u.over.addEventListener('mousedown', onDown, true);
    u.over.addEventListener('click', onUp, true);
    if (pick.current) u.over.style.cursor = 'pointer';
    return () => {
      u.over.removeEventListener('mousedown', onDown, true);
      u.over.removeEventListener('click', onUp, true);
      leave();
      u.destroy();
      plot.current = null;
    };
    // Width is read, not depended on: a resize calls setSize below instead of rebuilding the chart.
  }, [x, series, height, syncKey, zoomKey, formatY, ready, plugins, yRange, yAxisMin, xAxis]);

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
        <span className="chart-title">{title}</span>
        <span className="chart-tools">
          {controls}
          <button type="button" className="chart-png" onClick={savePng} aria-label={`Save ${title} as PNG`}>PNG</button>
        </span>
      </figcaption>
      {pngError && <p role="alert" className="field-error">PNG not saved: {pngError}</p>}
      <div ref={box} className="chart-box" />
      {children}
    </figure>
  );
}
