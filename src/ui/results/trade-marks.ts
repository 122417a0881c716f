import type uPlot from 'uplot';
import type { Trade } from '../../schema/index.ts';

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

/** Markers for `symbol`'s trades; `toX` maps epoch ms to the chart's x (NaN: off the chart, skipped). */
export function buildMarks(trades: readonly Trade[], symbol: string, toX: (ms: number) => number): TradeMarks {
  let n = 0;
  for (const t of trades) if (t.symbol === symbol) n += Number.isFinite(t.exitTime) ? 2 : 1;
  const m: TradeMarks = { x: new Float64Array(n), price: new Float64Array(n), lane: new Uint8Array(n), color: new Uint8Array(n), trade: new Int32Array(n), order: [] };
  let k = 0;
  const put = (x: number, price: number, lane: number, color: number, trade: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(price)) return;
    m.x[k] = x; m.price[k] = price; m.lane[k] = lane; m.color[k] = color; m.trade[k] = trade;
    k++;
  };
  trades.forEach((t, i) => {
    if (t.symbol !== symbol) return;
    const long = t.side === 'long';
    put(toX(t.entryTime), t.entryPrice, long ? 0 : 1, long ? 0 : 1, i);
    if (Number.isFinite(t.exitTime)) put(toX(t.exitTime), t.exitPrice, long ? 2 : 3, t.exitReason ? REASON_COLOR[t.exitReason] : SIGNAL, i);
  });
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
    if (n > 1) {
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

/** The markers as a uPlot plugin drawn over the series; `clusters` holds the last drawn layout, for clicks. */
export function marksPlugin(m: TradeMarks): { plugin: uPlot.Plugin; clusters: Clusters } {
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
