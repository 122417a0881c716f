import type uPlot from 'uplot';
import type { Trade } from '../../schema/index.ts';
import { asTradeRows, type TradeRows } from '../../rpc/trade-rows.ts';
import { MIN_BAR_PX } from './price-draw.ts';

/**
 * Entries and exits as four lanes, each with its own shape: buys point up from below the fill price, sells
 * point down from above it; entries are filled, exits hollow. Entries are coloured by side, exits by the
 * rule that closed them (#12's exit reasons).
 */
export const LANES = [
  { label: 'Long entry', up: true, filled: true },
  { label: 'Short entry', up: false, filled: true },
  { label: 'Long exit', up: false, filled: false },
  { label: 'Short exit (cover)', up: true, filled: false },
] as const;

/** Marker colours: entries by side, then exits by reason (a strategy's own exit first). */
export const MARK_COLORS = [
  { cssVar: '--c-long', label: 'long' },
  { cssVar: '--c-short', label: 'short' },
  { cssVar: '--c-exit', label: 'signal' },
  { cssVar: '--c-stop', label: 'stop-loss' },
  { cssVar: '--c-target', label: 'take-profit' },
  { cssVar: '--c-trail', label: 'trailing stop' },
  { cssVar: '--c-time', label: 'time exit' },
  { cssVar: '--c-end', label: 'closed at the end' },
] as const;
const REASON_COLOR: Record<NonNullable<Trade['exitReason']>, number> = { stop: 3, target: 4, trail: 5, time: 6, end: 7 };
const SIGNAL = 2;

/** One symbol's markers as columns; `order[lane]` lists that lane's markers by x. */
export interface TradeMarks {
  x: Float64Array;
  price: Float64Array;
  lane: Uint8Array;
  color: Uint8Array;
  /** Index of the marker's trade in the array the marks were built from. */
  trade: Int32Array;
  order: Int32Array[];
}

/**
 * Markers for `symbol`'s trades (a list, or a run's rows read as columns: no trade object made); `toX` maps
 * epoch ms to the chart's x (NaN: off the chart, skipped).
 */
export function buildMarks(trades: TradeRows | readonly Trade[], symbol: string, toX: (ms: number) => number): TradeMarks {
  const rows = asTradeRows(trades), count = rows.length;
  const entryTime = rows.numbers('entryTime'), exitTime = rows.numbers('exitTime');
  const entryPrice = rows.numbers('entryPrice'), exitPrice = rows.numbers('exitPrice');
  let n = 0;
  for (let i = 0; i < count; i++) if (rows.text('symbol', i) === symbol) n += Number.isFinite(exitTime[i]) ? 2 : 1;
  const m: TradeMarks = { x: new Float64Array(n), price: new Float64Array(n), lane: new Uint8Array(n), color: new Uint8Array(n), trade: new Int32Array(n), order: [] };
  let k = 0;
  const put = (x: number, price: number, lane: number, color: number, trade: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(price)) return;
    m.x[k] = x; m.price[k] = price; m.lane[k] = lane; m.color[k] = color; m.trade[k] = trade;
    k++;
  };
  for (let i = 0; i < count; i++) {
    if (rows.text('symbol', i) !== symbol) continue;
    const long = rows.text('side', i) === 'long';
    put(toX(entryTime[i]!), entryPrice[i]!, long ? 0 : 1, long ? 0 : 1, i);
    if (!Number.isFinite(exitTime[i])) continue;
    const reason = rows.text('exitReason', i) as Trade['exitReason'];
    put(toX(exitTime[i]!), exitPrice[i]!, long ? 2 : 3, reason ? REASON_COLOR[reason] : SIGNAL, i);
  }
  const all = Array.from({ length: k }, (_, i) => i);
  m.order = LANES.map((_, lane) => Int32Array.from(all.filter((i) => m.lane[i] === lane).sort((a, b) => m.x[a]! - m.x[b]! || a - b)));
  return m;
}

/** Markers merged on screen: cluster c stands for `order[lane[c]][from[c] .. to[c]]`, drawn at (px, py) in canvas pixels. */
export class Clusters {
  count = 0;
  /** The plot area's top-left corner in canvas pixels when the clusters were drawn (clicks arrive relative to it). */
  left = 0;
  top = 0;
  lane = new Uint8Array(0);
  from = new Int32Array(0);
  to = new Int32Array(0);
  px = new Float64Array(0);
  py = new Float64Array(0);
  color = new Int16Array(0);
  /** Clusters of lane k are start[k] .. start[k + 1] − 1, in x order. */
  readonly start = new Int32Array(LANES.length + 1);
  ensure(n: number) {
    if (this.lane.length >= n) return;
    this.lane = new Uint8Array(n); this.from = new Int32Array(n); this.to = new Int32Array(n);
    this.px = new Float64Array(n); this.py = new Float64Array(n); this.color = new Int16Array(n);
  }
}

/**
 * Thins markers: in each lane a marker closer than `minPx` to the first marker of the current cluster joins
 * it. A cluster sits at its first marker's x and at the extreme price of its markers (lowest for buys, highest
 * for sells), and keeps its colour only if all its markers share it (−1 otherwise). Markers outside
 * [xMin, xMax] (canvas pixels) are skipped. Allocation-free once `out` is large enough.
 */
export function clusterMarks(m: TradeMarks, toPx: (x: number) => number, toPy: (price: number) => number, minPx: number, xMin: number, xMax: number, out: Clusters): void {
  out.ensure(m.x.length);
  let c = 0;
  for (let lane = 0; lane < LANES.length; lane++) {
    out.start[lane] = c;
    const order = m.order[lane]!;
    const up = LANES[lane]!.up;
    let open = false;
    let left = 0;
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      const px = toPx(m.x[i]!);
      if (px < xMin || px > xMax) { open = false; continue; }
      const py = toPy(m.price[i]!);
      if (open && px - left < minPx) {
        out.to[c - 1] = j;
        if (up ? py > out.py[c - 1]! : py < out.py[c - 1]!) out.py[c - 1] = py;
        if (out.color[c - 1] !== m.color[i]) out.color[c - 1] = -1;
        continue;
      }
      out.lane[c] = lane; out.from[c] = j; out.to[c] = j; out.px[c] = px; out.py[c] = py; out.color[c] = m.color[i]!;
      left = px;
      open = true;
      c++;
    }
  }
  out.count = c;
  out.start[LANES.length] = c;
}

/** The exit lane drawn on the same side as an entry lane (a reversal's long exit and short entry share a bar). */
const SAME_SIDE_EXIT = [3, 2] as const;

/** Whether cluster c (an entry) has an exit cluster on the same spot counting as many trades: one count label says it. */
function countShownByExit(cl: Clusters, c: number, n: number): boolean {
  const lane = cl.lane[c]!;
  if (lane > 1) return false;
  const exit: number = SAME_SIDE_EXIT[lane as 0 | 1];
  let lo = cl.start[exit]!, hi = cl.start[exit + 1]!;
  const x = cl.px[c]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cl.px[mid]! < x - 0.5) lo = mid + 1; else hi = mid;
  }
  return lo < cl.start[exit + 1]! && Math.abs(cl.px[lo]! - x) <= 0.5 && cl.to[lo]! - cl.from[lo]! + 1 === n;
}

/** Size of a marker (half its width) in CSS pixels; hollow exits are larger so an exit and an entry at one fill both show. */
export const markRadius = (lane: number) => (LANES[lane]!.filled ? 5 : 7);
/** Least distance between two markers of a lane, in CSS pixels. */
export const MARK_GAP = 12;
/** A lane with more visible markers than one per this many CSS pixels reads as a wall: it is thinned further. */
const DENSE_PX = 30;
/** At most this many clusters per lane across the plot once a lane is dense. */
const DENSE_CLUSTERS = 40;

/**
 * The merge distance for this view, in canvas pixels: MARK_GAP, or plot width ÷ 40 when some lane has more
 * visible markers than one per 30 px (20 years of a reversal system at full width, where markers every few
 * pixels cover the candles). Zooming in brings the lane below the threshold and every marker back.
 */
export function markGap(m: TradeMarks, toPx: (x: number) => number, xMin: number, xMax: number, ratio: number): number {
  const width = xMax - xMin;
  const limit = width / (DENSE_PX * ratio);
  for (let lane = 0; lane < LANES.length; lane++) {
    const order = m.order[lane]!;
    let n = 0;
    for (let j = 0; j < order.length; j++) {
      const px = toPx(m.x[order[j]!]!);
      if (px >= xMin && px <= xMax && ++n > limit) return Math.max(MARK_GAP * ratio, width / DENSE_CLUSTERS);
    }
  }
  return MARK_GAP * ratio;
}

/** Gap between a marker's tip and the bar it points at, in CSS pixels. */
export const MARK_OFFSET = 4;
/** Room a marker and its count take beyond the bars (offset, triangle, count), in CSS pixels: the y scale leaves it. */
export const MARK_ROOM = 30;

/** Bar extremes the markers keep clear of (an overlay's columns, parallel to the chart's x). */
export interface BarExtremes {
  high: ArrayLike<number>;
  low: ArrayLike<number>;
}

/**
 * Moves each cluster off the bars it would cover: a buy's ▲ tip MARK_OFFSET below the lowest low of the bars
 * under its triangle and its count, a sell's ▼ tip as far above the highest high, as TradingView's strategy
 * markers sit. At the fill price (the old place) ~120 counted markers a lane covered the 20-year default's
 * candles. `xs` is the chart's x column (ascending); allocation-free.
 */
export function clearOfBars(cl: Clusters, xs: ArrayLike<number>, bars: BarExtremes, toPx: (x: number) => number, toPy: (price: number) => number, ratio: number): void {
  const n = xs.length;
  for (let c = 0; c < cl.count; c++) {
    // The larger (exit) triangle's half width, widened for a three-digit count and a candle's half body: one
    // window for every lane, so an entry and an exit on one bar stay concentric.
    const half = (markRadius(2) + 6) * ratio;
    // A candle stands for the bars up to MIN_BAR_PX right of it: those may reach above or below too.
    const a = cl.px[c]! - half, b = cl.px[c]! + half + MIN_BAR_PX * ratio;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (toPx(xs[mid]!) < a) lo = mid + 1; else hi = mid;
    }
    // The bar just left of the window too: a marker between two bars belongs to the earlier one's candle.
    let high = -Infinity, low = Infinity;
    for (let i = Math.max(0, lo - 1); i < n && (i < lo || toPx(xs[i]!) <= b); i++) {
      const h = bars.high[i]!, l = bars.low[i]!;
      if (h > high) high = h;
      if (l < low) low = l;
    }
    if (LANES[cl.lane[c]!]!.up) {
      if (low < Infinity) cl.py[c] = Math.max(cl.py[c]!, toPy(low) + MARK_OFFSET * ratio);
    } else if (high > -Infinity) {
      cl.py[c] = Math.min(cl.py[c]!, toPy(high) - MARK_OFFSET * ratio);
    }
  }
}

/**
 * The price scale with MARK_ROOM pixels above the highest high and below the lowest low, so markers beyond the
 * extreme bars stay on the plot. `plotPx` is the plot's height in CSS pixels.
 */
export function roomForMarks(min: number, max: number, plotPx: number): [number, number] {
  const span = max - min || Math.abs(max) * 0.02 || 1;
  const pad = (span * MARK_ROOM) / Math.max(MARK_ROOM, plotPx - 2 * MARK_ROOM);
  return [min - pad, max + pad];
}

const LABELS: string[] = [];
const label = (n: number) => (LABELS[n] ??= String(n));

/** Draws the clusters; merged markers carry their count beside the tip's far end. */
export function drawClusters(ctx: CanvasRenderingContext2D, cl: Clusters, colors: readonly string[], mixedExit: string, ratio: number): void {
  ctx.lineWidth = 2 * ratio;
  ctx.font = `${10 * ratio}px sans-serif`;
  ctx.textAlign = 'center';
  for (let c = 0; c < cl.count; c++) {
    const lane = LANES[cl.lane[c]!]!;
    const r = markRadius(cl.lane[c]!) * ratio;
    const x = cl.px[c]!;
    const y = cl.py[c]!;
    const dir = lane.up ? 1 : -1;
    const color = cl.color[c]! >= 0 ? colors[cl.color[c]!]! : mixedExit;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x - r, y + dir * 1.7 * r);
    ctx.lineTo(x + r, y + dir * 1.7 * r);
    ctx.closePath();
    if (lane.filled) { ctx.fillStyle = color; ctx.fill(); } else { ctx.strokeStyle = color; ctx.stroke(); }
    const n = cl.to[c]! - cl.from[c]! + 1;
    // Two equal counts drawn on one spot read as a smudge ("3" over "3"): the exit's label stands for both.
    if (n > 1 && !countShownByExit(cl, c, n)) {
      ctx.fillStyle = color;
      ctx.textBaseline = lane.up ? 'top' : 'bottom';
      ctx.fillText(label(n), x, y + dir * (1.7 * r + 2 * ratio));
    }
  }
}

/** The cluster under a point (canvas pixels), or −1: the marker's triangle, its count and a few pixels around. */
export function hitCluster(cl: Clusters, x: number, y: number, ratio: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let c = 0; c < cl.count; c++) {
    const r = markRadius(cl.lane[c]!) * ratio;
    const up = LANES[cl.lane[c]!]!.up;
    const dx = Math.abs(x - cl.px[c]!);
    const along = (y - cl.py[c]!) * (up ? 1 : -1);
    if (dx > r + 4 * ratio || along < -4 * ratio || along > 1.7 * r + 16 * ratio) continue;
    const d = dx + Math.abs(along - r);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}

/** The trades a cluster stands for (indices into the trades the marks were built from), in time order, each once. */
export function clusterTrades(m: TradeMarks, cl: Clusters, c: number): number[] {
  const order = m.order[cl.lane[c]!]!;
  const out: number[] = [];
  for (let j = cl.from[c]!; j <= cl.to[c]!; j++) out.push(m.trade[order[j]!]!);
  return [...new Set(out)];
}

/** The markers as a uPlot plugin drawn over the series, clear of the bars; `clusters` holds the last drawn layout, for clicks. */
export function marksPlugin(m: TradeMarks, bars: BarExtremes): { plugin: uPlot.Plugin; clusters: Clusters } {
  const clusters = new Clusters();
  let colors: string[] = MARK_COLORS.map(() => '#888');
  let mixed = '#888';
  let plot: uPlot | null = null;
  // Made once per chart, not per frame.
  const toPx = (x: number) => plot!.valToPos(x, 'x', true);
  const toPy = (p: number) => plot!.valToPos(p, 'y', true);
  const plugin: uPlot.Plugin = {
    hooks: {
      init: (u: uPlot) => {
        plot = u;
        const style = getComputedStyle(u.root);
        colors = MARK_COLORS.map((c) => style.getPropertyValue(c.cssVar).trim() || '#888');
        mixed = style.getPropertyValue('--c-exit').trim() || '#888';
      },
      draw: (u: uPlot) => {
        const ratio = devicePixelRatio || 1;
        const { left, top, width, height } = u.bbox;
        clusters.left = left;
        clusters.top = top;
        clusterMarks(m, toPx, toPy, markGap(m, toPx, left, left + width, ratio), left, left + width, clusters);
        clearOfBars(clusters, u.data[0], bars, toPx, toPy, ratio);
        const ctx = u.ctx;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        drawClusters(ctx, clusters, colors, mixed, ratio);
        ctx.restore();
      },
    },
  };
  return { plugin, clusters };
}
