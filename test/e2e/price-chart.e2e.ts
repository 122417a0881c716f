/**
 * The readable price chart (#16 add 2) in the built app, at 1440 and 390 px: candles with the strategy's
 * lines, a key to the long/short entry and exit markers, the bar-style choice, and zoom shared with the
 * equity chart. Screenshots: test/e2e/screenshots/price-chart-*.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright';
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot, SCREENSHOTS } from './browser.ts';

const browser = chromiumForFile();
const figure = (page: Page, title: string) => page.getByRole('figure').filter({ hasText: title });

/** The legend's time after hovering a plot `dx` px from its left edge. */
async function timeAt(over: Locator, dx: number): Promise<string> {
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: dx, y: box.height / 2 } });
  const chart = over.locator('xpath=ancestor::figure[1]');
  return (await chart.locator('.u-legend .u-series').first().locator('.u-value').textContent()) ?? '';
}

for (const width of [1440, 390]) {
  it(`at ${width} px: candles, the marker key, bar styles and zoom shared with the equity chart`, async () => {
    const { page, errors } = await openPage(browser(), inject('baseUrl'), 'light', { firstVisit: 'keep', width });
    await page.waitForURL(/#\/results$/, { timeout: 60_000 });
    const price = figure(page, 'SPX price');
    await price.locator('.u-over').waitFor({ timeout: 60_000 });
    expect(await price.getByRole('list', { name: 'Marker key' }).textContent()).toMatch(/Long entry \(\d+\).*Short entry \(\d+\)/);
    expect(await price.getByRole('combobox', { name: 'SPX price bars' }).inputValue()).toBe('candles');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // The title reads on one line and the caption (title, No gaps, bar style, PNG) takes at most two (three at 390 px before).
    const caption = await price.locator('figcaption').evaluate((c) => {
      const range = document.createRange();
      range.selectNodeContents(c.querySelector('.chart-title')!);
      return { titleLines: range.getClientRects().length, titleHeight: range.getBoundingClientRect().height, height: c.getBoundingClientRect().height };
    });
    expect(caption.titleLines).toBe(1);
    expect(caption.height).toBeLessThanOrEqual(2 * Math.max(caption.titleHeight, 28) + 8);
    await screenshot(page, `price-chart-${width}.png`);
    await mkdir(SCREENSHOTS, { recursive: true });
    await price.scrollIntoViewIfNeeded();
    await price.screenshot({ path: join(SCREENSHOTS, `price-chart-${width}-figure.png`) });

    // Drag-zoom the equity chart over its middle fifth: the price chart shows the same first day.
    const equity = figure(page, 'Equity vs benchmark').locator('.u-over');
    await equity.scrollIntoViewIfNeeded();
    const box = (await equity.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomedEquity = await timeAt(equity, 1);
    expect(zoomedEquity).toMatch(/^20\d\d-\d\d-\d\d$/);
    await price.scrollIntoViewIfNeeded();
    expect(await timeAt(price.locator('.u-over'), 1)).toBe(zoomedEquity);
    await price.screenshot({ path: join(SCREENSHOTS, `price-chart-${width}-zoomed.png`) });

    // OHLC bars keep the zoom (the chart is rebuilt at the group's range).
    await price.getByRole('combobox', { name: 'SPX price bars' }).selectOption('ohlc');
    await expect.poll(() => timeAt(price.locator('.u-over'), 1)).toBe(zoomedEquity);

    // No gaps (#16 add 2): the bar axis keeps the zoomed span and the equity chart follows it.
    await price.getByRole('checkbox', { name: 'Compress nights and weekends' }).check();
    await expect.poll(() => timeAt(price.locator('.u-over'), 1)).toBe(zoomedEquity);
    await equity.scrollIntoViewIfNeeded();
    expect(await timeAt(equity, 1)).toBe(zoomedEquity);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await price.scrollIntoViewIfNeeded();
    await price.screenshot({ path: join(SCREENSHOTS, `price-chart-${width}-compressed.png`) });
    expect(errors).toEqual([]);
  });
}
