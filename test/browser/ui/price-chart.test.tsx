import uPlot from 'uplot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { AssetOverlay } from '../../../src/rpc/engine-api.ts';
import type { Curves, Trade } from '../../../src/schema/index.ts';
import { EquityCharts } from '../../../src/ui/results/EquityCharts.tsx';
import { PriceCharts } from '../../../src/ui/results/PriceCharts.tsx';
import { ZoomGroupContext } from '../../../src/ui/results/zoom-context.ts';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(() => {
  cleanup();
  localStorage.removeItem('backtester.chart.bars');
});

const DAY = 86_400_000;
const N = 200;
const t0 = Date.UTC(2020, 0, 1);
const time = Float64Array.from({ length: N }, (_, i) => t0 + i * DAY);
// Even bars rise 100 → 104, odd bars fall 104 → 100; highs and lows 2 beyond; volume 1,000 + 10 i.
const open = Float64Array.from({ length: N }, (_, i) => (i % 2 ? 104 : 100));
const close = Float64Array.from({ length: N }, (_, i) => (i % 2 ? 100 : 104));
const overlay: AssetOverlay = {
  symbol: 'XYZ', bars: N, time, end: time, open, close,
  high: Float64Array.from({ length: N }, () => 106), low: Float64Array.from({ length: N }, () => 98),
  volume: Float64Array.from({ length: N }, (_, i) => 1000 + 10 * i),
  lines: [{ label: 'SMA(5) of XYZ', onPrice: true, values: Float64Array.from({ length: N }, (_, i) => (i < 4 ? NaN : 102)) }],
};
// 20 long trades two bars apart (8 px at 800 px for 200 bars: closer than the markers' 12 px gap), one short.
const trade = (side: Trade['side'], entry: number, exit: number, exitReason?: Trade['exitReason']): Trade => ({
  symbol: 'XYZ', side, quantity: 1, entryTime: time[entry]!, exitTime: time[exit]!, entryPrice: 99, exitPrice: 105,
  pnl: 6, returnPct: 6, fees: 0, strategyId: 's', ...(exitReason ? { exitReason } : {}),
});
const trades = [...Array.from({ length: 20 }, (_, k) => trade('long', 100 + 2 * k, 101 + 2 * k)), trade('short', 150, 160, 'stop')];
const curves: Curves = {
  time, equity: Float64Array.from(close, (c) => c * 100), benchmark: Float64Array.from(close, (c) => c * 100), drawdown: new Float64Array(N),
};

function plots(host: HTMLElement): { equity: uPlot; price: uPlot; volume: uPlot } {
  const [eq, pr] = [...host.querySelectorAll('.charts')].map((c) => uPlot.sync(c.getAttribute('data-sync-key')!).plots);
  // A rebuilt chart joins its sync group last: find charts by their series.
  const by = (label: string) => pr!.find((u) => u.series[1]?.label === label)!;
  return { equity: eq![0]!, price: by('Open'), volume: by('Volume') };
}

async function renderCharts(onPick: (t: number) => void = () => {}) {
  const host = await render(
    <div style={{ width: '800px' }}>
      <ZoomGroupContext.Provider value="test-group">
        <EquityCharts curves={curves} />
        <PriceCharts overlays={[overlay]} trades={trades} onPick={onPick} />
      </ZoomGroupContext.Provider>
    </div>,
  );
  await vi.waitFor(() => expect(host.querySelectorAll('.uplot').length).toBe(4));
  return host;
}

/** A click where the pointer already is: a real click could scroll first and leave uPlot's cached position stale. */
function clickHere(over: HTMLElement, pos: { x: number; y: number }) {
  const r = over.getBoundingClientRect();
  const at = { clientX: r.left + pos.x, clientY: r.top + pos.y, bubbles: true };
  over.dispatchEvent(new MouseEvent('mousedown', at));
  over.dispatchEvent(new MouseEvent('mouseup', at));
  over.dispatchEvent(new MouseEvent('click', at));
}

function pixel(u: uPlot, x: number, y: number): [number, number, number] {
  const d = u.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
/** Colours compared channel by channel within 4 (canvas blending rounds). */
function near(got: number[], want: number[]) {
  expect(got.every((v, i) => Math.abs(v - want[i]!) <= 4), `${got} ≈ ${want}`).toBe(true);
}
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

describe('price chart', () => {
  it('draws candles in the up and down colours with a volume pane, and OHLC bars on request', async () => {
    const host = await renderCharts();
    const { price, volume } = plots(host);
    expect(price.series.map((s) => s.label)).toEqual(['Time', 'Open', 'High', 'Low', 'Close', 'SMA(5) of XYZ']);
    expect(volume.series.map((s) => s.label)).toEqual(['Time', 'Volume']);
    expect(volume.scales.y!.min).toBe(0);
    const mid = (u: uPlot) => u.valToPos(101, 'y', true);
    const at = (u: uPlot, i: number) => u.valToPos(time[i]! / 1000, 'x', true);
    // Bars 20 and 21 carry no marker: a rising body is up-coloured, a falling one down-coloured.
    near(pixel(price, Math.round(at(price, 20)), mid(price)), rgb(cssVar('--c-up')));
    near(pixel(price, Math.round(at(price, 21)), mid(price)), rgb(cssVar('--c-down')));
    // Volume bar 30 reaches 1,300 from 0.
    const vx = Math.round(volume.valToPos(time[30]! / 1000, 'x', true));
    expect(volume.ctx.getImageData(vx, Math.round(volume.valToPos(650, 'y', true)), 1, 1).data[3]).toBeGreaterThan(0);
    const top = volume.valToPos(1300, 'y', true);
    expect(pixel(volume, vx, top + 2)).not.toEqual(pixel(volume, vx, top - 2));

    // OHLC bars: the body is gone (a pixel beside the stem, between open and close, inside a zoomed bar is empty).
    price.setScale('x', { min: time[18]! / 1000, max: time[24]! / 1000 });
    const plotLeft = (u: uPlot) => u.valToPos(time[20]! / 1000, 'x', true);
    near(pixel(price, plotLeft(plots(host).price) + 6, mid(price)), rgb(cssVar('--c-up')));
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'XYZ price bars' }), 'ohlc');
    await vi.waitFor(() => expect(plots(host).price).not.toBe(price));
    const ohlc = plots(host).price;
    // The rebuilt chart opens at the zoomed range.
    expect([ohlc.scales.x!.min, ohlc.scales.x!.max]).toEqual([time[18]! / 1000, time[24]! / 1000]);
    // Midway between bars 20 and 21 only the background and grid show: so does the pixel beside the OHLC stem.
    const between = (plotLeft(ohlc) + ohlc.valToPos(time[21]! / 1000, 'x', true)) / 2;
    expect(pixel(ohlc, plotLeft(ohlc) + 6, mid(ohlc))).toEqual(pixel(ohlc, between, mid(ohlc)));
    near(pixel(ohlc, plotLeft(ohlc), mid(ohlc)), rgb(cssVar('--c-up')));
    expect(localStorage.getItem('backtester.chart.bars')).toBe('ohlc');
  });

  it('the price and volume panes line up: one y-axis width, so a bar sits over its volume (regression: "106.00" vs "3K" labels)', async () => {
    const host = await renderCharts();
    const { price, volume } = plots(host);
    expect(price.bbox.left).toBeGreaterThan(0);
    expect(volume.bbox.left).toBe(price.bbox.left);
    expect(volume.bbox.width).toBe(price.bbox.width);
    const at = (u: uPlot) => u.valToPos(time[50]! / 1000, 'x');
    expect(at(volume)).toBeCloseTo(at(price), 6);
  });

  it('the volume pane\'s y axis reads zero and a level near the largest volume (regression: its plot was ~25 px tall and showed only "0")', async () => {
    const host = await renderCharts();
    const { volume } = plots(host);
    const levels = (volume.axes[1] as unknown as { _splits?: number[] })._splits ?? [];
    // Zero and a level at least half the largest volume (2,990 here), so the bars can be read against it.
    expect(levels.length, `volume axis levels: ${levels.join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(Math.max(...levels)).toBeGreaterThanOrEqual(2990 / 2);
    expect(volume.bbox.height / devicePixelRatio).toBeGreaterThanOrEqual(60);
  });

  it('zooms with the equity chart both ways, and a reset shows everything again', async () => {
    const host = await renderCharts();
    const { equity, price, volume } = plots(host);
    const span = (u: uPlot) => [u.scales.x!.min, u.scales.x!.max];
    const a = time[40]! / 1000;
    const b = time[80]! / 1000;
    equity.setScale('x', { min: a, max: b });
    await vi.waitFor(() => expect(span(price)).toEqual([a, b]));
    expect(span(volume)).toEqual([a, b]);
    price.setScale('x', { min: time[10]! / 1000, max: time[20]! / 1000 });
    await vi.waitFor(() => expect(span(equity)).toEqual([time[10]! / 1000, time[20]! / 1000]));
    price.setScale('x', { min: time[0]! / 1000, max: time[N - 1]! / 1000 });
    await vi.waitFor(() => expect(span(equity)).toEqual([time[0]! / 1000, time[N - 1]! / 1000]));
  });

  it('thins dense markers into counted ones whose click lists their trades; a click elsewhere asks why', async () => {
    const picked: number[] = [];
    const host = await renderCharts((t) => picked.push(t));
    expect(page.getByRole('list', { name: 'Marker key' }).element().textContent).toMatch(/Long entry \(20\).*Short entry \(1\).*Long exit \(20\).*Short exit \(cover\) \(1\).*exit by signal \(20\).*exit by stop-loss \(1\)/);
    const { price } = plots(host);
    const over = host.querySelectorAll('.u-over')[2] as HTMLElement;
    // The first long entry: its ▲ sits 4 px below the bar's low (98) at bar 100, merged with the next (two bars = 8 px on).
    const x = price.valToPos(time[100]! / 1000, 'x');
    const y = price.valToPos(98, 'y') + 4 + 6;
    // uPlot caches the plot's page position and refreshes it on scroll: scroll first, then click.
    over.scrollIntoView({ block: 'center' });
    await vi.waitFor(async () => {
      await userEvent.hover(over, { position: { x, y } });
      expect(price.cursor.idx).toBe(100);
    }, { timeout: 15_000, interval: 200 });
    clickHere(over, { x, y });
    const list = () => host.querySelector('section[aria-label="XYZ trades at the marker"]');
    await vi.waitFor(() => expect(list()?.querySelector('caption')?.textContent).toBe('Trades (2)'));
    expect([...list()!.querySelectorAll('tbody tr')].map((r) => (r as HTMLTableRowElement).cells[2]!.textContent)).toEqual(['2020-04-10', '2020-04-12']);
    expect(picked).toEqual([]);
    (list()!.querySelector('button.close') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(list()).toBeNull());
    over.scrollIntoView({ block: 'center' });
    const bar = { x: price.valToPos(time[30]! / 1000, 'x'), y: price.valToPos(101, 'y') };
    // Hover until uPlot's cached plot position has caught up with the scroll (slow under load).
    await vi.waitFor(async () => {
      await userEvent.hover(over, { position: bar });
      expect(price.cursor.idx).toBe(30);
    }, { timeout: 15_000, interval: 200 });
    clickHere(over, bar);
    await vi.waitFor(() => expect(picked).toEqual([time[30]]));
  });
});
