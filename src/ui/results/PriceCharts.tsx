import { useId, useMemo } from 'react';
import type { AssetOverlay } from '../../rpc/engine-api.ts';
import type { Trade } from '../../schema/index.ts';
import { formatCount, formatPrice, priceDecimals } from './format.ts';
import { EXIT_MARKERS, gaps, tradeMarkers } from './price-series.ts';
import { UPlotChart, type ChartSeries } from './UPlotChart.tsx';

const LINE_COLORS = ['--c-line-1', '--c-line-2', '--c-line-3', '--c-line-4'];
const formatOsc = (v: number) => (Math.abs(v) >= 1000 ? formatCount(v) : v.toFixed(2));

export interface PriceChartsProps {
  overlays: readonly AssetOverlay[];
  trades: readonly Trade[];
  /** A bar was clicked: its time (epoch ms of the bucket's first bar). */
  onPick: (time: number) => void;
}

/** One price chart per traded asset with its indicators, entries and exits; other indicators get a pane below. */
export function PriceCharts({ overlays, trades, onPick }: PriceChartsProps) {
  return (
    <div className="price-charts">
      {overlays.map((o) => (
        <AssetChart key={o.symbol} overlay={o} trades={trades} onPick={onPick} />
      ))}
    </div>
  );
}

function AssetChart({ overlay, trades, onPick }: { overlay: AssetOverlay; trades: readonly Trade[]; onPick: (time: number) => void }) {
  const syncKey = useId();
  const x = useMemo(() => overlay.time.map((t) => t / 1000), [overlay.time]);
  const formatY = useMemo(() => {
    const d = priceDecimals(overlay.close);
    return (v: number) => formatPrice(v, d);
  }, [overlay.close]);
  const { price, other } = useMemo(() => {
    const { entries, exits, byReason } = tradeMarkers(overlay, trades);
    const onPrice = overlay.lines.filter((l) => l.onPrice);
    const price: ChartSeries[] = [
      { label: `${overlay.symbol} close`, values: overlay.close, colorVar: '--c-bench' },
      ...onPrice.map((l, i) => ({ label: l.label, values: gaps(l.values), colorVar: LINE_COLORS[i % LINE_COLORS.length]! })),
      { label: 'Entry', values: entries, colorVar: '--c-entry', markers: true },
      { label: 'Exit', values: exits, colorVar: '--c-exit', markers: true },
      ...EXIT_MARKERS.flatMap((m) => {
        const values = byReason[m.reason];
        return values ? [{ label: m.label, values, colorVar: m.colorVar, markers: true }] : [];
      }),
    ];
    const other: ChartSeries[] = overlay.lines
      .filter((l) => !l.onPrice)
      .map((l, i) => ({ label: l.label, values: gaps(l.values), colorVar: LINE_COLORS[(i + onPrice.length) % LINE_COLORS.length]! }));
    return { price, other };
  }, [overlay, trades]);
  const pick = (i: number) => {
    const t = overlay.time[i];
    if (t !== undefined) onPick(t);
  };
  const sampled = overlay.time.length < overlay.bars;
  return (
    <div className="charts" data-sync-key={syncKey}>
      <UPlotChart title={`${overlay.symbol} price${sampled ? ` (${formatCount(overlay.bars)} bars in ${formatCount(overlay.time.length)} points)` : ''} — click a bar to see why`}
        x={x} series={price} height={260} syncKey={syncKey} formatY={formatY} onPick={pick} />
      {other.length > 0 && (
        <UPlotChart title={`${overlay.symbol} indicators`} x={x} series={other} height={120} syncKey={syncKey} formatY={formatOsc} onPick={pick} />
      )}
    </div>
  );
}
