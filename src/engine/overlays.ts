import type { Settings } from '../schema/index.ts';
import type { Plan, PlanIndicator } from '../strategy/index.ts';
import type { IndicatorCache } from './indicator-cache.ts';
import { releaseScratch, scratchColumns } from './fast/transient.ts';
import { runData } from './corporate.ts';
import { barsFor, type MarketData } from './market.ts';

/** One indicator output over a chart's buckets. */
export interface OverlayLine {
  label: string;
  /** True when the line shares the price axis (moving averages, bands, highs/lows of a price field). */
  onPrice: boolean;
  values: Float64Array;
}

/**
 * One asset's bars reduced to at most `points` buckets for a chart: each bucket is the OHLC of the bars it
 * covers (so candles stay honest when zoomed out) and each indicator line takes the value at the bucket's
 * last bar (the value a strategy saw at that bucket's close).
 */
export interface AssetOverlay {
  symbol: string;
  /** Bars in the data, before sampling. */
  bars: number;
  /** Epoch ms of each bucket's first bar (bars are irregular: buckets are by count, not by time). */
  time: Float64Array;
  /** Epoch ms of each bucket's last bar: what was known at the bucket's close is known at this bar (external series panes). */
  end: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Summed volume of the bars in each bucket. */
  volume: Float64Array;
  lines: OverlayLine[];
}

/** Indicators measured in the asset's price units; everything else (RSI, MACD, ATR, …) needs its own axis. */
const PRICE_KINDS = new Set(['sma', 'ema', 'wma', 'bollinger', 'highest', 'lowest']);
const PRICE_SOURCES = new Set(['open', 'high', 'low', 'close']);

function onPrice(pi: PlanIndicator): boolean {
  return PRICE_KINDS.has(pi.spec.kind) && PRICE_SOURCES.has(pi.source);
}

function outputLabel(pi: PlanIndicator, field: string): string {
  return field === 'value' ? pi.label : `${pi.label} ${field}`;
}

/**
 * Chart series for every asset a plan trades: sampled bars plus the plan's indicator columns (from the
 * data set's IndicatorCache where a run kept them, else computed for the chart alone). Indicators of an asset are
 * attached to that asset's chart; `points` ≥ 2 bounds the buckets per asset.
 */
/** `settings`: the document's, so a chart of an adjusted-price run shows the prices the run read. */
export function chartOverlays(plan: Plan, data: MarketData, cache: IndicatorCache, points: number, settings?: Settings): AssetOverlay[] {
  const max = Math.max(2, Math.floor(points));
  const cols = settings ? runData(data, plan.assets, settings).cols : barsFor(data, plan.assets);
  return cols.map((b, asset) => {
    const n = b.length;
    const step = Math.max(1, Math.ceil(n / max));
    const m = Math.ceil(n / step);
    const time = new Float64Array(m);
    const end = new Float64Array(m);
    const open = new Float64Array(m);
    const high = new Float64Array(m);
    const low = new Float64Array(m);
    const close = new Float64Array(m);
    const volume = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const from = j * step;
      const to = Math.min(n, from + step);
      let hi = -Infinity;
      let lo = Infinity;
      let vol = 0;
      for (let i = from; i < to; i++) {
        if (b.high[i]! > hi) hi = b.high[i]!;
        if (b.low[i]! < lo) lo = b.low[i]!;
        vol += b.volume[i]!;
      }
      time[j] = b.time[from]!;
      end[j] = b.time[to - 1]!;
      open[j] = b.open[from]!;
      high[j] = hi;
      low[j] = lo;
      close[j] = b.close[to - 1]!;
      volume[j] = vol;
    }
    const lines: OverlayLine[] = [];
    const seen = new Set<string>();
    for (const pi of plan.indicators) {
      if (pi.asset !== asset) continue;
      // A column the runs did not keep (their signal pass computed it, fast/transient.ts) is computed into
      // scratch memory, sampled and handed back: a chart adds no full column to the worker's memory.
      const kept = cache.has(pi, b);
      const out = kept ? cache.get(pi, b) : scratchColumns(pi, b);
      pi.outputs.forEach((o, k) => {
        const label = outputLabel(pi, o.field);
        if (seen.has(label)) return;
        seen.add(label);
        const src = out[k]!;
        const values = new Float64Array(m);
        for (let j = 0; j < m; j++) values[j] = src[Math.min(n, (j + 1) * step) - 1]!;
        lines.push({ label, onPrice: onPrice(pi), values });
      });
      if (!kept) releaseScratch(out);
    }
    return { symbol: b.symbol, bars: n, time, end, open, high, low, close, volume, lines };
  });
}
