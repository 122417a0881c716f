/**
 * Compression of nights and weekends (#16 add 2) in real Chromium: the toggle on the price chart puts every
 * chart of the results (price, volume, equity, drawdown) on a bar-count axis, zoom stays shared, and the
 * trade markers stay on their bars.
 */
import uPlot from 'uplot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { ReactNode } from 'react';
import type { AssetOverlay } from '../../../src/rpc/engine-api.ts';
import type { Curves, Trade } from '../../../src/schema/index.ts';
import { AxisModeContext, useAxisMode } from '../../../src/ui/results/axis-mode.ts';
import { EquityCharts } from '../../../src/ui/results/EquityCharts.tsx';
import { PriceCharts } from '../../../src/ui/results/PriceCharts.tsx';
import { ZoomGroupContext } from '../../../src/ui/results/zoom-context.ts';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(() => {
  cleanup();
  localStorage.removeItem('backtester.chart.compress');
});

const at = (iso: string) => Date.parse(`${iso}Z`);
/** Hourly bars 14:00–20:00 UTC on Thu 2020-01-30, Fri 01-31 and Mon 02-03: a night and a weekend between. */
const time = Float64Array.from(['2020-01-30', '2020-01-31', '2020-02-03'].flatMap((d) => Array.from({ length: 7 }, (_, h) => at(`${d}T${14 + h}:00:00`))));
const N = time.length;
const flat = (v: number) => Float64Array.from({ length: N }, () => v);
const overlay: AssetOverlay = {
  symbol: 'XYZ', bars: N, time, end: time, open: flat(100), close: flat(104), high: flat(106), low: flat(98), volume: flat(1000), lines: [],
};
// One long trade: in at Monday's first bar (14), out at bar 18.
const trades: Trade[] = [{
  symbol: 'XYZ', side: 'long', quantity: 1, entryTime: time[14]!, exitTime: time[18]!, entryPrice: 99, exitPrice: 105, pnl: 6, returnPct: 6, fees: 0, strategyId: 's',
}];
const curves: Curves = { time, equity: flat(10_000), benchmark: flat(10_000), drawdown: new Float64Array(N) };

function Modes({ children }: { children: ReactNode }) {
  return <AxisModeContext.Provider value={useAxisMode()}>{children}</AxisModeContext.Provider>;
}

function plots(host: HTMLElement): { equity: uPlot; price: uPlot; volume: uPlot } {
  const [eq, pr] = [...host.querySelectorAll('.charts')].map((c) => uPlot.sync(c.getAttribute('data-sync-key')!).plots);
  const by = (label: string) => pr!.find((u) => u.series[1]?.label === label)!;
  return { equity: eq![0]!, price: by('Open'), volume: by('Volume') };
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
function pixel(u: uPlot, x: number, y: number): number[] {
  const d = u.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

describe('compressed time axis', () => {
  it('removes nights and weekends from the price, volume and equity charts, keeps zoom shared and markers on their bars', async () => {
    const host = await render(
      <div style={{ width: '800px' }}>
        <ZoomGroupContext.Provider value="compress-group">
          <Modes>
            <EquityCharts curves={curves} />
            <PriceCharts overlays={[overlay]} trades={trades} onPick={() => {}} />
          </Modes>
        </ZoomGroupContext.Provider>
      </div>,
    );
    await vi.waitFor(() => expect(host.querySelectorAll('.uplot').length).toBe(4));
    const before = plots(host).price;
    // Plain time: the weekend between bars 13 and 14 is 66 times an hour wide.
    const gap = (u: uPlot, i: number) => u.valToPos(u.data[0][i + 1]!, 'x') - u.valToPos(u.data[0][i]!, 'x');
    expect(gap(before, 13) / gap(before, 12)).toBeCloseTo(66, 6);

    await userEvent.click(page.getByRole('checkbox', { name: 'Compress nights and weekends' }));
    await vi.waitFor(() => expect(plots(host).price).not.toBe(before));
    await vi.waitFor(() => expect(Array.from(plots(host).equity.data[0])).toEqual(Array.from({ length: N }, (_, i) => i)));
    const { equity, price, volume } = plots(host);
    for (const u of [price, volume]) expect(Array.from(u.data[0])).toEqual(Array.from({ length: N }, (_, i) => i));
    // Every bar one step: the weekend and the nights take no room.
    expect(gap(price, 13)).toBeCloseTo(gap(price, 12), 6);
    expect(gap(price, 6)).toBeCloseTo(gap(price, 12), 6);
    expect(localStorage.getItem('backtester.chart.compress')).toBe('1');

    // The long entry's ▲ sits under bar 14 (Monday's first; 4 px below its low, 98), not under a neighbour.
    const ratio = devicePixelRatio || 1;
    const markerAt = (i: number) => pixel(price, price.valToPos(i, 'x', true), price.valToPos(98, 'y', true) + (4 + 6) * ratio);
    const long = rgb(cssVar('--c-long'));
    await vi.waitFor(() => expect(markerAt(14)).toEqual(long));
    expect(markerAt(12)).not.toEqual(long);

    // Zoom shared on the bar axis: price bars 7..14 (Friday to Monday) are equity steps 7..14.
    price.setScale('x', { min: 7, max: 14 });
    await vi.waitFor(() => expect([equity.scales.x!.min, equity.scales.x!.max]).toEqual([7, 14]));
    expect([volume.scales.x!.min, volume.scales.x!.max]).toEqual([7, 14]);

    // Off again: plain time, still at the same span.
    await userEvent.click(page.getByRole('checkbox', { name: 'Compress nights and weekends' }));
    await vi.waitFor(() => expect(plots(host).equity.data[0][0]).toBe(time[0]! / 1000));
    await vi.waitFor(() => expect([plots(host).price.scales.x!.min, plots(host).price.scales.x!.max]).toEqual([time[7]! / 1000, time[14]! / 1000]));
  });
});
