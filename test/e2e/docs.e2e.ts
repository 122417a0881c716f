/**
 * Issue #16 add 3: the in-app statistics docs in the built app, at 1440 and 390 px. A statistic's "?" shows what
 * it measures on hover, and its link opens docs/STATISTICS.md rendered inside the app (a lazy chunk of the
 * build, not a download) at that statistic's formula.
 */
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

const browser = chromiumForFile();

for (const width of [1440, 390] as const) {
  it(`a statistic's tooltip link opens the statistics docs rendered in the built app (${width} px)`, async () => {
    const { page, errors } = await openPage(browser(), inject('baseUrl'), 'light', { firstVisit: 'keep', width });
    await page.waitForURL(/#\/results$/, { timeout: 60_000 });
    const stats = page.getByRole('table', { name: 'Statistics', exact: true });
    await stats.waitFor({ timeout: 60_000 });
    // Hover once the page is complete: the charts above the table load after it (lazy chunks, the overlay query).
    await page.getByRole('figure').filter({ hasText: 'SPX price' }).locator('.u-over').waitFor({ timeout: 60_000 });
    await page.getByRole('figure').filter({ hasText: 'Equity vs benchmark' }).locator('canvas').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByRole('status').filter({ hasText: /Loading/ }).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByRole('status', { name: 'Loading charts' }).count(), { timeout: 30_000 }).toBe(0);

    // The whole tooltip is on screen and on top: not cut off by the viewport or by a scroller around the
    // table, also for the last row, whose tooltip hangs below the table.
    for (const [name, says] of [['Turnover', 'traded'], ['Sharpe ratio', 'per unit of annual volatility']] as const) {
      const link = stats.getByRole('link', { name: `${name}: formula` });
      const tip = page.getByRole('tooltip').filter({ hasText: says });
      // Each corner not on top names what is there instead (null: outside the viewport), so a failure says why.
      const covered = () => tip.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const points = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
        const at = (x: number, y: number) => {
          const hit = document.elementFromPoint(x, y);
          return hit === null ? `(${Math.round(x)}, ${Math.round(y)}): outside the ${innerWidth}×${innerHeight} viewport` : el.contains(hit) ? '' : `(${Math.round(x)}, ${Math.round(y)}): <${hit.tagName.toLowerCase()} class="${hit.getAttribute('class') ?? ''}">`;
        };
        return points.map(([x, y]) => at(x!, y!)).filter(Boolean);
      });
      // Scrolled to, hovered and read again until it holds (bounded). Two full-suite CI runs on a loaded machine
      // (ce40e87, 0629841) read all four corners of Turnover's tooltip as covered, for 5 s, right after one
      // hover; run alone, under a CPU burner and with the price charts' chunk held back 4 s it never did, so the
      // cause is not pinned down. A tooltip that is covered whenever it shows still fails, naming what covers it.
      const shown = async () => {
        await link.evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await link.hover();
        await tip.waitFor({ timeout: 5_000 });
        return covered();
      };
      await expect.poll(shown, { message: name, timeout: 20_000, interval: 500 }).toEqual([]);
      const box = (await tip.boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(width);
    }
    await screenshot(page, `docs-tooltip-${width}.png`);
    const help = stats.getByRole('link', { name: 'Sharpe ratio: formula' });

    await help.click();
    await page.waitForURL(/#\/docs\/statistics\/sharpe$/);
    const docs = page.getByRole('article', { name: 'Statistics documentation' });
    // Rendered markdown: headings, tables and code as elements, not the raw text.
    // The document's "# Statistics" is an h2 under the app's h1.
    await docs.getByRole('heading', { name: 'Statistics', exact: true, level: 2 }).waitFor({ timeout: 30_000 });
    expect(await docs.getByRole('table').count()).toBeGreaterThan(2);
    expect(await docs.textContent()).not.toMatch(/^\s*#|\|---/m);
    const row = page.locator('#stat-sharpe');
    expect(await row.textContent()).toContain('(annual return − rf) / annual volatility');
    expect(await row.getAttribute('class')).toContain('target');
    await expect.poll(() => row.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    })).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await screenshot(page, `docs-sharpe-${width}.png`);

    // Back to the results, and another statistic's link opens its own row.
    await docs.getByRole('link', { name: '← Back to the results' }).click();
    await stats.waitFor();
    await stats.getByRole('link', { name: 'Max drawdown: formula' }).click();
    await page.waitForURL(/#\/docs\/statistics\/maxDrawdownPct$/);
    await expect.poll(() => page.locator('#stat-maxDrawdownPct').getAttribute('class')).toContain('target');
    expect(errors).toEqual([]);
    await page.context().close();
  });
}
