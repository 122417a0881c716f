import type uPlot from 'uplot';

/** How the price bars are drawn. */
export type BarStyle = 'candles' | 'ohlc' | 'line';

/** Narrowest group of bars drawn as one candle, in CSS pixels: denser bars merge into one honest OHLC. */
export const MIN_BAR_PX = 3;

/**
 * Splits the bars i0..i1 (inclusive) into runs whose first bars lie at least `minPx` apart on screen: run k
 * covers bars starts[k] .. starts[k + 1] − 1, and starts[count] = i1 + 1. Writes into `starts` (reused between
 * draws, length ≥ i1 − i0 + 2) and returns the count.
 */
export function groupByPixel(xs: ArrayLike<number>, i0: number, i1: number, toPx: (x: number) => number, minPx: number, starts: Int32Array): number {
  let count = 0;
  let left = -Infinity;
  for (let i = i0; i <= i1; i++) {
    const px = toPx(xs[i]!);
    if (px - left >= minPx) {
      starts[count++] = i;
      left = px;
    }
  }
  starts[count] = i1 + 1;
  return count;
}

/** Price columns one chart draws (an overlay's buckets). */
export interface OhlcColumns {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function cssColor(u: uPlot, name: string, fallback: string): string {
  return getComputedStyle(u.root).getPropertyValue(name).trim() || fallback;
}

/**
 * One chart's bar layout for a frame: the visible bars grouped by pixel, the half width of a drawn bar.
 * Its buffers grow with the data and are reused by every draw (no allocation per frame).
 */
class BarLayout {
  starts = new Int32Array(0);
  count = 0;
  half = 0;
  ratio = 1;
  private u: uPlot | null = null;
  readonly toPx = (x: number) => this.u!.valToPos(x, 'x', true);

  /** Lays out the visible bars and clips the canvas to the plot (save/restore pair); false when no bar shows. */
  begin(u: uPlot): boolean {
    const xs = u.data[0];
    const n = xs.length;
    // uPlot keeps the visible index range per series after each scale change.
    const idxs = u.series[0]?.idxs;
    const i0 = Math.max(0, idxs?.[0] ?? 0);
    const i1 = Math.min(n - 1, idxs?.[1] ?? n - 1);
    if (n === 0 || i1 < i0) return false;
    this.u = u;
    if (this.starts.length < n + 2) this.starts = new Int32Array(n + 2);
    this.ratio = devicePixelRatio || 1;
    this.count = groupByPixel(xs, i0, i1, this.toPx, MIN_BAR_PX * this.ratio, this.starts);
    const { left, top, width, height } = u.bbox;
    this.half = Math.max(0.5 * this.ratio, Math.min(12 * this.ratio, (width / Math.max(1, this.count)) * 0.35));
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    return true;
  }
}

/**
 * Candles or OHLC bars (up bars in --c-up, down bars in --c-down), drawn under the indicator lines. Bars
 * closer than MIN_BAR_PX merge into one bar with the first open, the highest high, the lowest low and the
 * last close, so a zoomed-out chart stays readable and true.
 */
export function candlesPlugin(cols: OhlcColumns, style: Exclude<BarStyle, 'line'>, afterSeries: number): uPlot.Plugin {
  const lay = new BarLayout();
  let up = '#1a7f37';
  let down = '#cf222e';
  const draw = (u: uPlot) => {
    if (!lay.begin(u)) return;
    const { starts, count, half, ratio, toPx } = lay;
    const xs = u.data[0];
    const ctx = u.ctx;
    const lw = Math.max(1, Math.round(ratio));
    // An odd-width line centred on a pixel's middle stays one crisp pixel wide.
    const crisp = (lw % 2) / 2;
    ctx.lineWidth = lw;
    // Two passes (rising, then falling bars) so each colour is one path.
    for (let pass = 0; pass < 2; pass++) {
      const color = pass === 0 ? up : down;
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.beginPath();
      for (let k = 0; k < count; k++) {
        const from = starts[k]!;
        const to = starts[k + 1]! - 1;
        const o = cols.open[from]!;
        const c = cols.close[to]!;
        if ((c >= o) !== (pass === 0)) continue;
        let h = -Infinity;
        let l = Infinity;
        for (let i = from; i <= to; i++) {
          if (cols.high[i]! > h) h = cols.high[i]!;
          if (cols.low[i]! < l) l = cols.low[i]!;
        }
        const x = Math.round(toPx(xs[from]!)) + crisp;
        const yh = u.valToPos(h, 'y', true);
        const yl = u.valToPos(l, 'y', true);
        const yo = u.valToPos(o, 'y', true);
        const yc = u.valToPos(c, 'y', true);
        if (style === 'candles') {
          ctx.moveTo(x, yh);
          ctx.lineTo(x, Math.min(yo, yc));
          ctx.moveTo(x, Math.max(yo, yc));
          ctx.lineTo(x, yl);
          ctx.rect(x - half, Math.min(yo, yc), 2 * half, Math.max(ratio, Math.abs(yc - yo)));
        } else {
          ctx.moveTo(x, yh);
          ctx.lineTo(x, yl);
          ctx.moveTo(x - half, yo);
          ctx.lineTo(x, yo);
          ctx.moveTo(x, yc);
          ctx.lineTo(x + half, yc);
        }
      }
      ctx.stroke();
      if (style === 'candles') ctx.fill();
    }
    ctx.restore();
  };
  return {
    hooks: {
      init: (u: uPlot) => { up = cssColor(u, '--c-up', up); down = cssColor(u, '--c-down', down); },
      drawSeries: (u: uPlot, i: number) => { if (i === afterSeries) draw(u); },
    },
  };
}

/**
 * Volume bars coloured like their price bars, merged like them when denser than MIN_BAR_PX; a merged bar is
 * the mean volume of its bars, so bars of different widths compare and stay on the axis.
 */
export function volumePlugin(cols: OhlcColumns): uPlot.Plugin {
  const lay = new BarLayout();
  let up = 'rgba(26,127,55,0.5)';
  let down = 'rgba(207,34,46,0.5)';
  const draw = (u: uPlot) => {
    if (!lay.begin(u)) return;
    const { starts, count, half, ratio, toPx } = lay;
    const xs = u.data[0];
    const base = u.valToPos(0, 'y', true);
    const ctx = u.ctx;
    for (let pass = 0; pass < 2; pass++) {
      ctx.fillStyle = pass === 0 ? up : down;
      ctx.beginPath();
      for (let k = 0; k < count; k++) {
        const from = starts[k]!;
        const to = starts[k + 1]! - 1;
        if ((cols.close[to]! >= cols.open[from]!) !== (pass === 0)) continue;
        let v = 0;
        for (let i = from; i <= to; i++) v += cols.volume[i]!;
        const y = u.valToPos(v / (to - from + 1), 'y', true);
        const x = Math.round(toPx(xs[from]!));
        ctx.rect(x - half, y, 2 * half, Math.max(ratio, base - y));
      }
      ctx.fill();
    }
    ctx.restore();
  };
  return {
    hooks: {
      init: (u: uPlot) => { up = cssColor(u, '--c-up-fill', up); down = cssColor(u, '--c-down-fill', down); },
      draw,
    },
  };
}
