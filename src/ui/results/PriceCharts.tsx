import { useContext, useId, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import type { AssetOverlay } from '../../rpc/engine-api.ts';
import type { Trade } from '../../schema/index.ts';
import { asTradeRows, type TradeRows } from '../../rpc/trade-rows.ts';
import { AxisModeContext } from './axis-mode.ts';
import { barAxis } from './bar-axis.ts';
import { formatCount, formatPrice, priceDecimals } from './format.ts';
import { MarkerKey } from './MarkerKey.tsx';
import { candlesPlugin, volumePlugin, type BarStyle } from './price-draw.ts';
import { gaps } from './price-series.ts';
import { SeriesPanes, type SeriesSource } from './SeriesPanes.tsx';
import { clusterTrades, hitCluster, marksPlugin, buildMarks, roomForMarks } from './trade-marks.ts';
import { TradeTable } from './TradeTable.tsx';
import { UPlotChart, yAxisSize, type ChartSeries } from './UPlotChart.tsx';

const LINE_COLORS = ['--c-line-1', '--c-line-2', '--c-line-3', '--c-line-4'];
const formatOsc = (v: number) => (Math.abs(v) >= 1000 ? formatCount(v) : v.toFixed(2));
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const formatVolume = (v: number) => (Number.isFinite(v) ? compact.format(v) : '—');
const volumeRange: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1];
const PRICE_HEIGHT = 300;
/** Tall enough for a plot of ~70 px under the x axis: at 90 px the plot was ~25 px and its y axis showed only "0". */
const VOLUME_HEIGHT = 130;
/** Markers sit beyond the bars' highs and lows (trade-marks.ts clearOfBars): the scale leaves them room. */
const priceRange: uPlot.Scale.Range = (u, min, max) => roomForMarks(min, max, (u.bbox?.height ? u.bbox.height / (devicePixelRatio || 1) : PRICE_HEIGHT - 50));

const STYLE_KEY = 'backtester.chart.bars';
const STYLES: { value: BarStyle; label: string }[] = [
  { value: 'candles', label: 'Candles' },
  { value: 'ohlc', label: 'OHLC bars' },
  { value: 'line', label: 'Line (close)' },
];

/** The user's bar style, remembered on this device. */
function useBarStyle(): [BarStyle, (s: BarStyle) => void] {
  const [style, setStyle] = useState<BarStyle>(() => {
    const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STYLE_KEY);
    return STYLES.some((s) => s.value === saved) ? (saved as BarStyle) : 'candles';
  });
  const set = (s: BarStyle) => {
    setStyle(s);
    try { localStorage.setItem(STYLE_KEY, s); } catch { /* private mode: the choice lasts this page */ }
  };
  return [style, set];
}

export interface PriceChartsProps {
  overlays: readonly AssetOverlay[];
  /** The run's trades (trade-rows.ts: read as columns where the result has them) or a list. */
  trades: TradeRows | readonly Trade[];
  /** A bar was clicked: its time (epoch ms of the bucket's first bar). */
  onPick: (time: number) => void;
  /** External series for the panes under the charts; absent: no series panes. */
  series?: SeriesSource;
}

/** One price chart per traded asset with volume, its indicators, entries and exits; other indicators get a pane below. */
export function PriceCharts({ overlays, trades: given, onPick, series }: PriceChartsProps) {
  const [style, setStyle] = useBarStyle();
  const trades = useMemo(() => asTradeRows(given), [given]);
  return (
    <div className="price-charts">
      {overlays.map((o, i) => (
        <AssetChart key={o.symbol} overlay={o} trades={trades} onPick={onPick} style={style} onStyle={setStyle} series={series} first={i === 0} />
      ))}
    </div>
  );
}

interface AssetChartProps {
  overlay: AssetOverlay;
  trades: TradeRows;
  onPick: (time: number) => void;
  style: BarStyle;
  onStyle: (s: BarStyle) => void;
  series: SeriesSource | undefined;
  first: boolean;
}

function AssetChart({ overlay, trades, onPick, style, onStyle, series: external, first }: AssetChartProps) {
  const syncKey = useId();
  const seconds = useMemo(() => overlay.time.map((t) => t / 1000), [overlay.time]);
  const { compress, setCompress } = useContext(AxisModeContext);
  // Compressed: x counts bars (nights, weekends and holidays take no room); markers map their fill time onto it.
  const axis = useMemo(() => (compress ? barAxis(seconds) : undefined), [compress, seconds]);
  const x = axis?.x ?? seconds;
  const formatY = useMemo(() => {
    const d = priceDecimals(overlay.close);
    return (v: number) => formatPrice(v, d);
  }, [overlay.close]);
  // One y-axis width for the price, volume and indicator panes, so their plots (and bars) line up under one another:
  // the price's widest label (the scale's top, with the markers' room) sets it.
  const axisWidth = useMemo(() => {
    let hi = 0;
    for (const v of overlay.high) if (v > hi) hi = v;
    return yAxisSize([formatY(hi * 1.25)]);
  }, [overlay.high, formatY]);
  const marks = useMemo(() => buildMarks(trades, overlay.symbol, axis ? (ms) => axis.fromTime(ms / 1000) : (ms) => ms / 1000), [trades, overlay.symbol, axis]);
  const layer = useMemo(() => marksPlugin(marks, overlay), [marks, overlay]);
  const plugins = useMemo(() => (style === 'line' ? [layer.plugin] : [candlesPlugin(overlay, style, 4), layer.plugin]), [overlay, style, layer]);
  const { price, other } = useMemo(() => {
    const onPrice = overlay.lines.filter((l) => l.onPrice);
    const price: ChartSeries[] = [
      { label: 'Open', values: overlay.open, colorVar: '--c-bench', hidden: true },
      { label: 'High', values: overlay.high, colorVar: '--c-bench', hidden: true },
      { label: 'Low', values: overlay.low, colorVar: '--c-bench', hidden: true },
      { label: 'Close', values: overlay.close, colorVar: '--c-bench', hidden: style !== 'line' },
      ...onPrice.map((l, i) => ({ label: l.label, values: gaps(l.values), colorVar: LINE_COLORS[i % LINE_COLORS.length]! })),
    ];
    const other: ChartSeries[] = overlay.lines
      .filter((l) => !l.onPrice)
      .map((l, i) => ({ label: l.label, values: gaps(l.values), colorVar: LINE_COLORS[(i + onPrice.length) % LINE_COLORS.length]! }));
    return { price, other };
  }, [overlay, style]);
  const hasVolume = useMemo(() => overlay.volume.some((v) => v > 0), [overlay.volume]);
  const volume = useMemo<ChartSeries[]>(() => [{ label: 'Volume', values: overlay.volume, colorVar: '--c-bench', hidden: true }], [overlay.volume]);
  const volumePlugins = useMemo(() => [volumePlugin(overlay)], [overlay]);
  const [opened, setOpened] = useState<readonly Trade[] | null>(null);
  const listRef = useRef<HTMLElement>(null);
  const pickBar = (i: number) => {
    const t = overlay.time[i];
    if (t !== undefined) onPick(t);
  };
  // A click on a marker opens the trades it stands for; anywhere else asks why for that bar.
  const pickPrice = (i: number, at: { left: number; top: number }) => {
    const ratio = devicePixelRatio || 1;
    const cl = layer.clusters;
    const c = hitCluster(cl, cl.left + at.left * ratio, cl.top + at.top * ratio, ratio);
    if (c < 0) return pickBar(i);
    setOpened(clusterTrades(marks, cl, c).map((k) => trades.at(k)));
    requestAnimationFrame(() => listRef.current?.focus());
  };
  const sampled = overlay.time.length < overlay.bars;
  const styleSelect = (
    <>
      <label className="chart-toggle" title="Compress nights, weekends and holidays: the time axis counts bars (the equity chart follows)">
        <input type="checkbox" checked={compress} onChange={(e) => setCompress(e.target.checked)} aria-label="Compress nights and weekends" /> No gaps
      </label>
      <select aria-label={`${overlay.symbol} price bars`} value={style} onChange={(e) => onStyle(e.target.value as BarStyle)}>
        {STYLES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
      </select>
    </>
  );
  return (
    <div className="charts" data-sync-key={syncKey}>
      {/* A short title: at 390 px the old one ("— click a bar to see why, a marker for its trades") took three lines; the hint went to the key. */}
      <UPlotChart title={`${overlay.symbol} price`}
        x={x} series={price} height={PRICE_HEIGHT} syncKey={syncKey} formatY={formatY} onPick={pickPrice} plugins={plugins} controls={styleSelect} xAxis={axis} yAxisMin={axisWidth}
        yRange={marks.x.length > 0 ? priceRange : undefined}>
        <MarkerKey marks={marks} sampled={sampled ? `${formatCount(overlay.bars)} bars drawn as ${formatCount(overlay.time.length)} points` : undefined} />
      </UPlotChart>
      {hasVolume && (
        <UPlotChart title={`${overlay.symbol} volume`} x={x} series={volume} height={VOLUME_HEIGHT} syncKey={syncKey} formatY={formatVolume}
          onPick={pickBar} plugins={volumePlugins} yRange={volumeRange} xAxis={axis} yAxisMin={axisWidth} />
      )}
      {other.length > 0 && (
        <UPlotChart title={`${overlay.symbol} indicators`} x={x} series={other} height={120} syncKey={syncKey} formatY={formatOsc} onPick={pickBar} xAxis={axis} yAxisMin={axisWidth} />
      )}
      {external && (
        <SeriesPanes symbol={overlay.symbol} first={first} x={x} end={overlay.end} syncKey={syncKey} xAxis={axis} onPick={pickBar} source={external} />
      )}
      {opened && (
        <section ref={listRef} tabIndex={-1} className="marker-trades" aria-label={`${overlay.symbol} trades at the marker`}>
          <button type="button" className="close" onClick={() => setOpened(null)} aria-label="Close the marker's trades">×</button>
          <TradeTable trades={opened} />
        </section>
      )}
    </div>
  );
}
