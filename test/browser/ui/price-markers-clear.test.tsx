/**
 * Regression (issue 16 wave 4 screenshots, the 20-year default at 1440 and 390 px): ~118 trades a kind, thinned into
 * counted clusters, sat on the candles at their fill prices and hid the price. Markers now sit beyond the bars
 * (buys below the lows, sells above the highs) and the scale leaves them room: no marker pixel lands on a candle.
 */
import uPlot from 'uplot';
import { afterEach, expect, it, vi } from 'vitest';
import type { AssetOverlay } from '../../../src/rpc/engine-api.ts';
import type { Trade } from '../../../src/schema/index.ts';
import { PriceCharts } from '../../../src/ui/results/PriceCharts.tsx';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

// 5,000 daily bars of a seeded random walk (about 20 years), always in the market: 236 alternating trades.
const N = 5000, DAY = 86_400_000, t0 = Date.UTC(2000, 0, 3);
let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const time = Float64Array.from({ length: N }, (_, i) => t0 + i * DAY);
const open = new Float64Array(N), close = new Float64Array(N), high = new Float64Array(N), low = new Float64Array(N);
for (let i = 0, p = 1400; i < N; i++) {
  open[i] = p;
  p *= 1 + (rand() - 0.5) * 0.03;
  close[i] = p;
  high[i] = Math.max(open[i]!, p) * (1 + rand() * 0.01);
  low[i] = Math.min(open[i]!, p) * (1 - rand() * 0.01);
}
const overlay: AssetOverlay = { symbol: 'SPX', bars: N, time, end: time, open, close, high, low, volume: new Float64Array(N), lines: [] };
const trades: Trade[] = Array.from({ length: 236 }, (_, k) => {
  const e = 10 + k * 21, x = e + 21;
  return { symbol: 'SPX', side: k % 2 ? 'short' : 'long', quantity: 1, entryTime: time[e]!, exitTime: time[x]!, entryPrice: open[e]!, exitPrice: open[x]!, pnl: 0, returnPct: 0, fees: 0, strategyId: 's' };
});

const rgb = (name: string) => {
  const hex = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
};

for (const width of [1400, 358]) {
  it(`20 years of always-in-the-market trades at ${width} px: markers show, and none covers a candle`, async () => {
    const host = await render(<div style={{ width: `${width}px` }}><PriceCharts overlays={[overlay]} trades={trades} onPick={() => {}} /></div>);
    await vi.waitFor(() => expect(host.querySelector('.uplot')).not.toBeNull());
    const u = uPlot.sync(host.querySelector('.charts')!.getAttribute('data-sync-key')!).plots.find((p) => p.series[1]?.label === 'Open')!;
    u.redraw(false, false);
    const { left, top, width: w, height: h } = u.bbox;
    const img = u.ctx.getImageData(left, top, w, h).data;
    // Each pixel column's price extent, from the bars drawn within a pixel of it.
    const hi = new Float64Array(w).fill(-Infinity), lo = new Float64Array(w).fill(Infinity);
    for (let i = 0; i < N; i++) {
      const px = Math.round(u.valToPos(time[i]! / 1000, 'x', true) - left);
      for (let c = Math.max(0, px - 1); c <= Math.min(w - 1, px + 1); c++) {
        hi[c] = Math.max(hi[c]!, high[i]!);
        lo[c] = Math.min(lo[c]!, low[i]!);
      }
    }
    const marks = ['--c-long', '--c-short', '--c-exit'].map(rgb);
    const isMark = (k: number) => marks.some((m) => Math.abs(img[k]! - m[0]!) <= 12 && Math.abs(img[k + 1]! - m[1]!) <= 12 && Math.abs(img[k + 2]! - m[2]!) <= 12);
    let shown = 0, onCandles = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (!isMark((y * w + x) * 4)) continue;
        shown++;
        if (Number.isFinite(hi[x]!) && y >= u.valToPos(hi[x]!, 'y', true) - top && y <= u.valToPos(lo[x]!, 'y', true) - top) onCandles++;
      }
    }
    expect(shown, 'marker pixels drawn').toBeGreaterThan(500);
    expect(onCandles, 'marker pixels on a candle').toBe(0);
  });
}
