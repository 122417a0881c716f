/**
 * External series under the price chart (issue 11 item 4), in real Chromium with the real data worker (OPFS,
 * IndexedDB) and the engine pool: a stored series with a publication lag is run, and its pane steps to each
 * value from the first bar at or after it became known, as the run read it; the picker adds and removes panes.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import uPlot from 'uplot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { parseDocument } from '../../../src/schema/index.ts';
import { MarketPanel } from '../../../src/ui/results/MarketPanel.tsx';
import { ResultsView } from '../../../src/ui/results/ResultsView.tsx';
import { createBrowserRunner } from '../../../src/ui/runner-browser.ts';
import '../../../src/ui/styles.css';
import { dailyCsv, testDataClient } from './data-client.ts';
import { cleanup, render } from './render.tsx';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  cleanup();
  for (const c of closers.splice(0)) await c();
});

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

const parsed = parseDocument({
  version: 1,
  name: 'Macro switch',
  settings: { universe: ['ZIG'], timeframe: '1d', initialCash: 10_000, units: 'whole' },
  strategies: [
    { id: 'in', name: 'in', condition: { all: [{ lhs: { kind: 'series', name: 'cpi', global: true }, op: '>', rhs: 2 }, { lhs: { kind: 'position', field: 'quantity' }, op: '=', rhs: 0 }] }, action: { type: 'buy', amount: { unit: 'all' } } },
    { id: 'out', name: 'out', condition: { all: [{ lhs: { kind: 'series', name: 'cpi', global: true }, op: '<', rhs: 2 }, { lhs: { kind: 'position', field: 'quantity' }, op: '>', rhs: 0 }] }, action: { type: 'sell', amount: { unit: 'all' } } },
  ],
});
if (!parsed.ok) throw new Error('test document invalid');
const DOC = parsed.doc;

/** The uPlot of the figure whose caption starts with `title`. */
function plotOf(title: string): uPlot | undefined {
  const fig = [...document.querySelectorAll('figure.chart')].find((f) => f.querySelector('.chart-title')?.textContent?.startsWith(title));
  const key = fig?.closest('.charts')?.getAttribute('data-sync-key');
  return key ? uPlot.sync(key).plots.find((u) => u.root.parentElement?.closest('figure') === fig) : undefined;
}

/** The value each bar shows: the last value known at or before the bar's start, null before the first. */
function expected(barTimes: ArrayLike<number>, known: [number, number][]): (number | null)[] {
  return Array.from(barTimes, (t) => {
    let v: number | null = null;
    for (const [k, x] of known) if (k <= t * 1000) v = x;
    return v;
  });
}

describe('external series under the price chart', () => {
  it('plots the series the run read, stepped from when each value became known (publication lag included); the picker adds and removes series', async () => {
    const { client, dispose } = await testDataClient();
    closers.push(dispose);
    // ZIG: daily bars 2020-01-02 … 2020-02-10, every calendar day.
    await client.importBars('zig', new File([dailyCsv(40)], 'ZIG.csv'), { fileName: 'ZIG.csv' });
    // cpi, stamped by period end and published two days later: known on Jan 7, Jan 14 and Jan 24.
    await client.importSeries(new File(['date,cpi\n2020-01-05,1\n2020-01-12,3\n2020-01-22,1\n'], 'cpi.csv'), { fileName: 'cpi.csv', lagMs: 2 * DAY });
    // A per-symbol series the strategy does not read, and another symbol's, which the ZIG chart must not offer.
    await client.importSeries(new File(['date,symbol,score\n2020-01-03,ZIG,5\n2020-01-20,ZIG,7\n2020-01-04,QQQ,9\n'], 'score.csv'), { fileName: 'score.csv' });
    const runner = createBrowserRunner({ data: client, size: 1, jobsDb: `series-jobs-${Math.random().toString(36).slice(2)}` });
    closers.push(() => runner.close());
    const result = await runner.run(DOC);
    // The run read cpi with its lag: 3 > 2 from the Jan 14 bar, filled at the Jan 15 open; out after Jan 24.
    expect(result.trades.map((t) => [t.entryTime, t.exitTime])).toEqual([[at('2020-01-15'), at('2020-01-25')]]);

    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await render(
      <QueryClientProvider client={queryClient}>
        <div style={{ width: '800px' }}>
          <ResultsView result={result} title="Macro switch" doc={DOC} market={<MarketPanel runner={runner} doc={DOC} result={result} data={client} />} />
        </div>
      </QueryClientProvider>,
    );
    await vi.waitFor(() => expect(plotOf('cpi (global), as known at each bar')).toBeDefined(), { timeout: 30_000 });
    const cpi = plotOf('cpi (global), as known at each bar')!;
    const price = plotOf('ZIG price')!;
    // Same bars as the price chart, so zoom, cursor and the compressed axis line up bar for bar.
    expect(cpi.data[0]).toEqual(price.data[0]);
    const want = expected(cpi.data[0], [[at('2020-01-07'), 1], [at('2020-01-14'), 3], [at('2020-01-24'), 1]]);
    expect(Array.from(cpi.data[1]!)).toEqual(want);
    const bar = (iso: string) => Array.from(cpi.data[0]).indexOf(at(iso) / 1000);
    expect([cpi.data[1]![bar('2020-01-06')], cpi.data[1]![bar('2020-01-07')], cpi.data[1]![bar('2020-01-13')], cpi.data[1]![bar('2020-01-14')], cpi.data[1]![bar('2020-01-24')]]).toEqual([null, 1, 1, 3, 1]);
    // Drawn as steps that hold until the next value.
    expect(cpi.series[1]!.label).toBe('cpi');

    // The picker offers ZIG's score (not QQQ's, not cpi already shown); adding it draws its pane.
    const picker = page.getByRole('combobox', { name: 'Add a series under the ZIG chart' });
    expect([...(picker.element() as HTMLSelectElement).options].map((o) => o.text)).toEqual(['choose…', 'score (ZIG)']);
    await userEvent.selectOptions(picker, 'ZIG:score');
    await vi.waitFor(() => expect(plotOf('score (ZIG), as known at each bar')).toBeDefined(), { timeout: 15_000 });
    const score = plotOf('score (ZIG), as known at each bar')!;
    expect(Array.from(score.data[1]!)).toEqual(expected(score.data[0], [[at('2020-01-03'), 5], [at('2020-01-20'), 7]]));
    // Zoom the price chart: the series panes follow.
    price.setScale('x', { min: at('2020-01-10') / 1000, max: at('2020-01-20') / 1000 });
    await vi.waitFor(() => expect([cpi.scales.x!.min, score.scales.x!.max]).toEqual([at('2020-01-10') / 1000, at('2020-01-20') / 1000]));

    // Removing the run's own series hides its pane and puts it back in the picker.
    await userEvent.click(page.getByRole('button', { name: 'Remove cpi (global) from the chart' }));
    await vi.waitFor(() => expect(plotOf('cpi (global)')).toBeUndefined());
    expect([...(picker.element() as HTMLSelectElement).options].map((o) => o.text)).toEqual(['choose…', 'cpi (global)']);
    await userEvent.click(page.getByRole('button', { name: 'Remove score (ZIG) from the chart' }));
    await vi.waitFor(() => expect(plotOf('score (ZIG)')).toBeUndefined());
    await userEvent.selectOptions(picker, '*:cpi');
    await vi.waitFor(() => expect(plotOf('cpi (global), as known at each bar')).toBeDefined());
    expect(Array.from(plotOf('cpi (global), as known at each bar')!.data[1]!)).toEqual(want);
  });
});
