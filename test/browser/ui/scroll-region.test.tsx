/**
 * Regression (issue 16 wave 4 screenshots at 390 px): wide tables (the Data page's "Source", the run history's
 * statistics, the trades) scrolled inside their panel with nothing on screen saying so. While a table overflows
 * its panel, the hidden side now casts an edge shadow, a "scroll →" hint shows, and the scroller is a labelled,
 * focusable region that the arrow keys scroll; when the table fits, none of that is there.
 */
import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { DatasetInfo } from '../../../src/data/store.ts';
import { DatasetTable } from '../../../src/ui/data/DatasetTable.tsx';
import { TradeTable } from '../../../src/ui/results/TradeTable.tsx';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(async () => {
  cleanup();
  await page.viewport(1440, 900);
});

const DATASETS: DatasetInfo[] = ['SPX', 'AAPL'].map((symbol) => ({
  id: `bars:${symbol}:1d`, kind: 'bars', symbol, key: '1d', first: Date.UTC(2000, 0, 3), last: Date.UTC(2020, 11, 31), rows: 5_284,
  bytes: 190_000, source: 'embedded: vega-datasets sp500-2000 (S&P 500 index, daily closes)', importedAt: 0, adjusted: false, file: 'f',
}));

const shadow = (el: Element, side: '::before' | '::after') => Number(getComputedStyle(el, side).opacity);

it('Data page "Source" at 390 px: the stored-datasets table says it scrolls, and the keyboard scrolls it', async () => {
  await page.viewport(390, 800);
  const host = await render(<div style={{ padding: '4px' }}><DatasetTable datasets={DATASETS} onDelete={async () => {}} /></div>);
  const region = page.getByRole('region', { name: 'Stored datasets (scrolls sideways)' });
  await expect.element(region).toBeVisible();
  const scroller = region.element() as HTMLElement;
  expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth);
  expect(scroller.tabIndex).toBe(0);
  const cue = host.querySelector('.scroll-cue')!;
  await expect.element(page.getByText('scroll →')).toBeVisible();
  expect(shadow(cue, '::after'), 'right edge shadow').toBe(1);
  expect(shadow(cue, '::before'), 'no left shadow at the start').toBe(0);
  // The page itself is not wider than the phone: the table scrolls inside its panel.
  expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(390);

  scroller.focus();
  await userEvent.keyboard('{End}');
  await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}');
  await expect.poll(() => scroller.scrollLeft, { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => shadow(cue, '::before'), { timeout: 10_000 }).toBe(1);
});

it('trades at 390 px: a labelled scrolling region with the hint; at 1440 px the table fits and has neither', async () => {
  await page.viewport(390, 800);
  await render(<div style={{ padding: '4px' }}><TradeTable trades={RESULT.trades} /></div>);
  await expect.element(page.getByRole('region', { name: 'Trades (scrolls sideways)' })).toBeVisible();
  await expect.element(page.getByText('scroll →')).toBeVisible();
  cleanup();

  await page.viewport(1440, 900);
  const host = await render(<div style={{ padding: '4px' }}><TradeTable trades={RESULT.trades} /></div>);
  await expect.element(page.getByRole('table', { name: /^Trades/ })).toBeVisible();
  expect(host.querySelector('[role="region"]')).toBeNull();
  expect(host.querySelector('.scroll-hint')).toBeNull();
  expect((host.querySelector('.scroll-x') as HTMLElement).tabIndex).toBe(-1);
  expect(shadow(host.querySelector('.scroll-cue')!, '::after')).toBe(0);
});
